# Sourced by the screenshot scripts (not run on its own). `start_xvfb WIDTHxHEIGHT [XVFB-OPTION…]`
# starts Xvfb on a display number nobody uses and points DISPLAY, a fresh settings folder
# (XDG_CONFIG_HOME, so the user's own layout and filter are neither used nor changed) and Qt's xcb
# platform at it. $work is a temporary folder; every pid added to $pids is killed, and $work
# removed, on exit.
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

start_xvfb() {
    local display=97
    while [[ -e /tmp/.X11-unix/X$display || -e /tmp/.X$display-lock ]]; do display=$((display + 1)); done
    Xvfb ":$display" -screen 0 "$1x24" -nolisten tcp "${@:2}" &
    pids+=($!)
    for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X$display ]] && break; sleep 0.1; done
    export DISPLAY=":$display" XDG_CONFIG_HOME="$work/config" QT_QPA_PLATFORM=xcb
    unset DISCORD_TOKEN
}
