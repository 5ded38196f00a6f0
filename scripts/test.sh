#!/usr/bin/env bash
# Sets up, builds and runs every test suite (CTest). This is the command CI runs.
#   bash scripts/test.sh [ctest options]              the ordinary build (./build)
#   bash scripts/test.sh --sanitize [ctest options]   the same suites built with ASan + UBSan
#                                                     (preset "sanitize", ./build-sanitize)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--sanitize" ]; then
    bash scripts/build.sh
    ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
    exit
fi
shift
bash scripts/setup.sh
if [ ! -f build-sanitize/CMakeCache.txt ]; then
    cmake --preset sanitize
fi
cmake --build build-sanitize -j "$(nproc)"
# Any report fails its test: UBSan aborts at the first finding (the build also has
# -fno-sanitize-recover), ASan stops at the first error, and LeakSanitizer checks every test
# program's exit. The suppressions cover leaks inside system libraries only (see the file).
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$PWD/cmake/lsan-suppressions.txt:print_suppressions=0"
ctest --test-dir build-sanitize --output-on-failure -j "$(nproc)" "$@"
