#!/usr/bin/env bash
# Sets up, builds and runs every test suite (CTest). This is the command CI runs.
#   bash scripts/test.sh [ctest options]              the ordinary build (./build)
#   bash scripts/test.sh --sanitize [ctest options]   the same suites built with ASan + UBSan
#                                                     (preset "sanitize", ./build-sanitize)
#   bash scripts/test.sh --sanitize --ci [...]        only the suites named in ci_suites below
#                                                     (what CI's time allows; the README's
#                                                     "Reliability" section says why)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--sanitize" ]; then
    bash scripts/build.sh
    ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
    exit
fi
shift
# The suites CI runs with the sanitizers: the two that reported before (issue 17) and every fuzz
# input. Add a suite here once it passes `scripts/test.sh --sanitize -R <suite>`.
ci_suites=(tst_emulatorserver tst_mainwindow fuzzinputs_csvwriter fuzzinputs_eventdecoder
    fuzzinputs_messagefilter fuzzinputs_replayer fuzzinputs_zlibstreaminflater
    fuzzinputs_zstdstreaminflater tst_gatewaysession tst_zstdstreaminflater tst_sessionfile
    tst_bottoken tst_csvwriter tst_eventdecoder tst_shutdown tst_controllershutdown
    tst_windowshutdown)
targets=(all)
if [ "${1:-}" = "--ci" ]; then
    shift
    targets=("${ci_suites[@]}")
    set -- -R "^($(IFS='|'; echo "${ci_suites[*]}"))\$" "$@"
fi
bash scripts/setup.sh
if [ ! -f build-sanitize/CMakeCache.txt ]; then
    cmake --preset sanitize
fi
cmake --build build-sanitize -j "$(nproc)" --target "${targets[@]}"
# Any report fails its test: UBSan aborts at the first finding (the build also has
# -fno-sanitize-recover), ASan stops at the first error, and LeakSanitizer checks every test
# program's exit. The suppressions cover leaks inside system libraries only (see the file).
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$PWD/cmake/lsan-suppressions.txt:print_suppressions=0"
ctest --test-dir build-sanitize --output-on-failure -j "$(nproc)" "$@"
