#!/usr/bin/env bash
# Takes docs/screenshots/tray-states.png: the real window's tray icon and notifications in a real
# system tray. Xvfb has no tray, so trayer (a small standalone XEmbed tray host) stands in for a
# desktop's panel; Qt embeds the icon there and, with no notification service on D-Bus, shows its
# notifications as its own balloons beside the icon. Both are captured with `import -window root`.
#
#   bash scripts/screenshot-tray.sh [build-dir]   (default: build; needs Xvfb, ImageMagick, trayer)
#
# Two shards against the emulator, with --silent-after 5s:
#   1. both Ready                                   → green icon
#   2. shard 1 silenced (heartbeats still ACKed)    → amber icon, "Shard 1 is silent"
#   3. a second run with a token the gateway rejects (close 4004, fatal) → red icon,
#      "Shard 0 stopped (close 4004)"
#   4. a third run whose /gateway/bot reports 40 session starts left → amber, "Identify budget"
# Each capture is the top right corner of the screen (the tray and the balloon); the four are put
# side by side with a caption under each. Each capture waits for the icon's colour (read from the
# screen), not for a fixed time.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
app="$build/app/gatescope"
emulator="$build/emulator/gatescope-emulator"
out=docs/screenshots/tray-states.png
for binary in "$app" "$emulator"; do
    [[ -x $binary ]] || {
        echo "no $binary: build first (cmake --build $build --target gatescope gatescope-emulator)" >&2
        exit 1
    }
done
if ! command -v trayer >/dev/null; then
    echo "skipped: trayer is missing (apt install trayer); Xvfb alone has no system tray" >&2
    exit 0
fi
for tool in Xvfb import convert; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt install xvfb imagemagick)" >&2; exit 1; }
done

source scripts/screenshot-xvfb.sh
start_xvfb 2600x800 -wr # a white desktop behind the panel and the balloons (not black)
# No notification service: Qt draws its own balloon beside the icon, which the capture shows.
unset DBUS_SESSION_BUS_ADDRESS
# A light panel along the top edge, icons at the right, as many desktops have it.
trayer --edge top --align right --widthtype percent --width 100 --height 32 --SetDockType true \
    --transparent false --tint 0xe8e8e8 > "$work/trayer.log" 2>&1 &
pids+=($!)
sleep 1

token=MTAxNTk2.screenshot-tray.c2VjcmV0
printf '%s\n' "$token" > "$work/token"
chmod 600 "$work/token"

# Starts the emulator with "$@" and waits for its address; sets $emulator_pid, $api and $gateway.
start_emulator() {
    "$emulator" --port 0 --token "$token" --shards 2 --rate 20 "$@" > "$work/emulator.log" 2>&1 &
    emulator_pid=$!
    pids+=("$emulator_pid")
    api=
    for _ in $(seq 100); do
        api=$(sed -n 's/^api: //p' "$work/emulator.log")
        gateway=$(sed -n 's/^gateway: //p' "$work/emulator.log")
        [[ -n $api ]] && break
        sleep 0.1
    done
    [[ -n $api ]] || { echo "the emulator did not start:" >&2; cat "$work/emulator.log" >&2; exit 1; }
}

# Starts the window on the emulator: with discovery, or with the arguments given.
start_window() {
    local connect=("$@")
    [[ ${#connect[@]} -gt 0 ]] || connect=(--api-url "$api")
    "$app" --token-file "$work/token" "${connect[@]}" --shards 0-1 --shard-count 2 \
        --silent-after 5s > "$work/window.log" 2>&1 &
    window_pid=$!
    pids+=("$window_pid")
}

stop() { kill "$@" 2>/dev/null || true; wait "$@" 2>/dev/null || true; }

# The top right corner: the panel with the icon and the balloon under it (the window, at most
# 1720 px wide, stays left of it).
capture() {
    import -window root -crop 800x150+1800+0 +repage "$work/$1.png"
}

# Waits (up to a minute) until the tray icon's centre has the colour $1 (TrayStatus::color), so
# each capture shows the state it is named after however slow the machine is.
wait_for_icon() {
    local colour
    for _ in $(seq 120); do
        colour=$(import -window root -crop 1x1+2584+16 +repage -depth 8 txt:- | grep -o '#[0-9A-F]\{6\}')
        [[ $colour == "$1" ]] && return 0
        sleep 0.5
    done
    echo "the tray icon stayed $colour, never $1; the window said:" >&2
    tail -5 "$work/window.log" >&2
    exit 1
}

green='#1F883D' amber='#D29922' red='#CF222E'
# Both shards identify at once (max_concurrency 2), so they are Ready long before the silence.
start_emulator --max-concurrency 2 --fault "silence:1@at:20s"
start_window
wait_for_icon "$green"
capture 1-ready
wait_for_icon "$amber" # the silence starts at 20 s and is noticed 5 s later
sleep 1 # the balloon comes with the colour
capture 2-silent
stop "$window_pid" "$emulator_pid"

# A token the gateway does not accept: both shards are closed with 4004, which is fatal. (Straight
# to the gateway: with discovery the 401 comes before any shard exists.)
start_emulator --max-concurrency 2
printf 'MTAxNTk2.not-this-one.c2VjcmV0\n' > "$work/token"
start_window --gateway-url "$gateway"
wait_for_icon "$red"
sleep 1
capture 3-failed
stop "$window_pid" "$emulator_pid"
printf '%s\n' "$token" > "$work/token"

# Amber from the start (connecting, then the warning): the balloon comes with discovery.
start_emulator --session-start-total 1000 --session-start-remaining 40
start_window
wait_for_icon "$amber"
sleep 3
capture 4-budget
stop "$window_pid" "$emulator_pid"

captions=("Every shard Ready: green"
    "Shard 1 silent (ACKs, no events): amber"
    "Token rejected, close 4004 (fatal): red"
    "40 of 1000 session starts left: amber")
panels=()
i=0
for shot in 1-ready 2-silent 3-failed 4-budget; do
    convert "$work/$shot.png" -bordercolor '#9aa0a6' -border 1 \
        -background white -fill '#202124' -font DejaVu-Sans -pointsize 16 \
        label:"${captions[$i]}" -gravity center -append \
        -bordercolor white -border 8 "$work/panel-$shot.png"
    panels+=("$work/panel-$shot.png")
    i=$((i + 1))
done
convert "${panels[0]}" "${panels[1]}" +append "$work/top.png"
convert "${panels[2]}" "${panels[3]}" +append "$work/bottom.png"
convert "$work/top.png" "$work/bottom.png" -append "$out"
echo "wrote $out"
