#!/usr/bin/env bash
# Builds the Gatescope DEB package into build/packages/ and prints its path. Like scripts/build.sh
# it installs the Debian packages needed and configures ./build once with the default preset; it
# then builds only the programs the package ships and runs CPack (config: cmake/packaging.cmake).
# Install the result with `sudo apt install ./build/packages/gatescope_<version>_<arch>.deb`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -f build/CMakeCache.txt ]; then
    cmake --preset default
fi
# Ninja re-runs the configure step first when any CMake file changed, so CPackConfig.cmake is current.
cmake --build build -j "$(nproc)" --target gatescope gatescope-emulator
rm -f build/packages/gatescope_*.deb
cpack --config build/CPackConfig.cmake
shopt -s nullglob
debs=(build/packages/gatescope_*.deb)
if [ ${#debs[@]} -ne 1 ]; then
    echo "package: expected one build/packages/gatescope_*.deb, found ${#debs[@]}" >&2
    exit 1
fi
echo "package: $PWD/${debs[0]}"
