#!/usr/bin/env bash
# Sets up, builds and runs every test suite (CTest). This is the command CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" "$@"
