#!/usr/bin/env bash
# Takes the README's screenshots from the real window: runs the demo under Xvfb and captures the
# whole screen with ImageMagick's `import -window root` into docs/screenshots/.
#
#   bash scripts/screenshots.sh [build-dir]     (default: build; needs Xvfb and ImageMagick)
#
# 1. servers-tree.png      — the demo after ~20 s: the Servers tree with its counts, the rendered feed.
# 2. rendered-messages.png — the same window with a filter that keeps replies, attachments and mentions,
#                             so a quoted reply, a file and @names are on screen together.
# Settings go to a temporary folder, so the user's own layout and filter are neither used nor
# changed.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
app="$build/app/gatescope"
out=docs/screenshots
[[ -x $app ]] || { echo "no $app: build first (cmake --build $build --target gatescope)" >&2; exit 1; }
for tool in Xvfb import; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt install xvfb imagemagick)" >&2; exit 1; }
done
mkdir -p "$out"

source scripts/screenshot-xvfb.sh
start_xvfb 1920x1080

# Runs the demo for $2 seconds with the feed filter $3, then captures $1.
shoot() {
    local name=$1 seconds=$2 filter=$3
    mkdir -p "$XDG_CONFIG_HOME/Gatescope"
    printf '[feed]\nfilter=%s\n' "$filter" > "$XDG_CONFIG_HOME/Gatescope/Gatescope.conf"
    "$app" --demo > "$work/$name.log" 2>&1 &
    local pid=$!
    pids+=("$pid")
    sleep "$seconds"
    import -window root "$out/$name.png"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    echo "wrote $out/$name.png"
}

shoot servers-tree 20 ''
shoot rendered-messages 25 'is:reply OR has:attachment OR has:mention'
