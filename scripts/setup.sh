#!/usr/bin/env bash
# Installs the Debian 12 packages Gatescope needs to build, test and run. Safe to run again:
# packages already present are skipped without touching apt.
set -euo pipefail

# libsimdjson-dev: the one-pass event decoder; libzstd-dev: the store's compressed raw JSON;
# libpcre2-dev and pkgconf: the filter's regexes matched on UTF-8 (PCRE2 8-bit with JIT).
packages=(cmake ninja-build g++ pkgconf qt6-base-dev qt6-websockets-dev zlib1g-dev libsimdjson-dev
    libzstd-dev libpcre2-dev python3 xvfb xauth dpkg-dev)
# clang-14 and libclang-rt-14-dev: libFuzzer (-fsanitize=fuzzer) and clang's sanitizer runtimes for
# the fuzz targets in tests/fuzz (scripts/fuzz.sh); the GCC sanitizer build needs nothing extra.
packages+=(clang-14 libclang-rt-14-dev)
# tinyproxy (HTTP CONNECT) and microsocks (SOCKS5): real proxies the tests start on loopback, each
# with its own config and port, to prove the gateway and discovery go through --proxy. (The
# tinyproxy package enables a system service; the tests never use it.)
packages+=(tinyproxy microsocks)
# qt6-httpserver-dev: Qt's HTTP server module behind --metrics-listen (the Prometheus endpoint), so
# no hand-written HTTP parser faces the network; prometheus: its promtool checks the /metrics text
# in tst_metricsendpoint (the test skips with a message without it).
packages+=(qt6-httpserver-dev prometheus)
# imagemagick: `import -window root` in scripts/screenshots.sh, which captures the README's pictures
# of the real window under Xvfb.
packages+=(imagemagick)
# trayer: a standalone system tray host, for scripts/screenshot-tray.sh only (Xvfb has no tray; the
# script skips without it).
packages+=(trayer)
# libhiredis-dev: the fleet's Redis protocol (core/fleet), encoding commands and parsing replies
# only. Debian's is 0.14.1, which has no TLS, so the sockets are Qt's (QSslSocket gives rediss://).
# redis-server and openssl: the fleet tests start a real Redis on a free loopback port (never the
# system one the package enables on 6379) and make a self-signed certificate for rediss://.
packages+=(libhiredis-dev redis-server openssl)
# qtkeychain-qt6-dev: the connect dialog's "Remember the token" keeps the token in the system
# keyring (Secret Service or KWallet) instead of a file; without a keyring the window says so.
packages+=(qtkeychain-qt6-dev)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
