#!/usr/bin/env bash
# Sets up, builds and starts Gatescope. With no token configured it starts in demo mode.
# Extra arguments go to the app, e.g. `scripts/run.sh --headless --duration 10`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec ./build/app/gatescope "$@"
