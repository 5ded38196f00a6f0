#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (preset "fuzz": clang-14 with ASan + UBSan) and runs
# each for N seconds (default 60) from its seed corpus (tests/fuzz/corpus/<target>) and its kept
# crashes (tests/fuzz/regressions/<target>). Prints the executions and the corpus size of each.
# New corpus entries and crash inputs go to build-fuzz/fuzz-work/, never into the source tree: a
# crash is fixed, then its input is copied to tests/fuzz/regressions/<target>/ by hand.
# Exits non-zero when any target crashed. FUZZ_SEED=N fixes libFuzzer's random seed, so a run
# repeats the same mutations (CI sets it: its short runs check for regressions, while finding new
# bugs is the job of longer runs without a seed).
#   [FUZZ_SEED=N] bash scripts/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
bash scripts/setup.sh
if [ ! -f build-fuzz/CMakeCache.txt ]; then
    cmake --preset fuzz
fi
cmake --build build-fuzz -j "$(nproc)" --target gatescope_fuzz

work=build-fuzz/fuzz-work
failed=()
printf '%-20s %8s %12s %10s %14s\n' target seconds executions exec/s corpus
for program in build-fuzz/tests/fuzz/fuzz_*; do
    [ -f "$program" ] && [ -x "$program" ] || continue
    name="${program##*/fuzz_}"
    mkdir -p "$work/corpus/$name" "$work/crashes/$name" "$work/logs"
    log="$work/logs/$name.log"
    inputs=("$work/corpus/$name" "tests/fuzz/corpus/$name")
    [ -d "tests/fuzz/regressions/$name" ] && inputs+=("tests/fuzz/regressions/$name")
    # Offscreen: no target opens a window, but Qt must not look for a display either.
    seed=()
    [ -n "${FUZZ_SEED:-}" ] && seed=(-seed="$FUZZ_SEED")
    if ! QT_QPA_PLATFORM=offscreen "$program" "${seed[@]}" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/crashes/$name/" \
        "${inputs[@]}" >"$log" 2>&1; then
        failed+=("$name")
        echo "fuzz: $name crashed; input in $work/crashes/$name/, log $log:" >&2
        grep -E "ERROR|runtime error|SUMMARY|disagree|Test unit written" "$log" | head -20 >&2 || true
    fi
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    # "corp: <units>/<size>" on libFuzzer's last status line is the corpus it ended with.
    corpus=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1 | sed 's/corp: //')
    printf '%-20s %8s %12s %10s %14s\n' "$name" "$seconds" "${executions:-?}" "${rate:-?}" \
        "${corpus:-?} units/bytes"
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: crashes in ${failed[*]}" >&2
    exit 1
fi
