#!/usr/bin/env bash
# Takes docs/screenshots/split-view.png: the real window in demo mode under Xvfb, with two feeds
# split side by side (each with its own filter) and a second tab. The layout is given through
# the window's own saved settings, in a settings folder of this run only.
# Needs xvfb-run (xvfb, xauth) and ImageMagick's `import`. Usage: scripts/screenshot-splits.sh
set -euo pipefail
cd "$(dirname "$0")/.."
binary=build/app/gatescope
[ -x "$binary" ] || cmake --build build --target gatescope
out=docs/screenshots/split-view.png
config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT
mkdir -p "$config/Gatescope"
# The feed layout as FeedArea::saveLayout() writes it: left every channel without bots, right
# the messages with a mention or an attachment; a second tab with the edited ones.
cat > "$config/Gatescope/Gatescope.conf" <<'INI'
[feed]
layout="{\"version\":1,\"currentTab\":0,\"currentPane\":1,\"tabs\":[{\"orientation\":\"horizontal\",\"sizes\":[1,1],\"children\":[{\"pane\":{\"query\":\"\",\"toggles\":[\"-is:bot\"]}},{\"pane\":{\"query\":\"has:mention OR has:attachment\"}}]},{\"orientation\":\"horizontal\",\"children\":[{\"pane\":{\"query\":\"is:edited\"}}]}]}"
INI
XDG_CONFIG_HOME="$config" xvfb-run -a -s '-screen 0 1600x1000x24' bash -c "
    '$binary' --demo --duration 14 &
    app=\$!
    sleep 10
    import -window root '$out'
    wait \$app
"
echo "wrote $out"
