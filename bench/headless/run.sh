#!/usr/bin/env bash
# The headless comparison (issue 15): gatescope --headless, a bare QWebSocket + inflate client
# (the floor, no JSON parse) and Node's @discordjs/ws with zlib-sync, each in its own process
# against the same blast gateway stream (zlib-stream, ~320-byte MESSAGE_CREATE dispatches),
# one after another for several rounds. Each is timed from READY to the N-th MESSAGE_CREATE.
# A benchmark: it prints figures and is never part of ctest or CI.
#
#   bench/headless/run.sh [N=200000] [rounds=3]
#
# BUILD_DIR (default build/) is configured with the default preset if it does not exist yet.
# The Node client is optional: without node/npm, or if `npm ci` fails, it is skipped.
set -euo pipefail

messages=${1:-200000}
rounds=${2:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}

if [[ ! -f $build/CMakeCache.txt ]]; then
    cmake --preset default -B "$build" -S "$root" >/dev/null
fi
cmake --build "$build" -j2 --target gatescope bench_blast_gateway bench_headless_floor >/dev/null
gatescope=$build/app/gatescope
blaster=$build/bench/headless/bench_blast_gateway
floor=$build/bench/headless/bench_headless_floor

clients=(gatescope floor)
node_dir=$here/node
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "note: node/npm not found; the @discordjs/ws client is skipped" >&2
elif [[ -d $node_dir/node_modules/@discordjs/ws && -d $node_dir/node_modules/zlib-sync/build ]] \
    || (cd "$node_dir" && npm ci --no-audit --no-fund >&2); then
    clients+=(discordjs)
else
    echo "note: npm ci in $node_dir failed (zlib-sync needs python3, make and g++);" \
        "the @discordjs/ws client is skipped" >&2
fi

work=$(mktemp -d)
blaster_pid=
cleanup() {
    if [[ -n $blaster_pid ]]; then
        kill "$blaster_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
token=$work/token
(umask 077 && echo bench-token >"$token")

# Starts a blast gateway for one connection; sets blaster_pid and port.
start_blaster() {
    "$blaster" --messages "$messages" --connections 1 >"$work/blaster.out" 2>"$work/blaster.err" &
    blaster_pid=$!
    port=
    for _ in $(seq 600); do
        port=$(sed -n 's|^listening ws://127.0.0.1:\([0-9]*\)$|\1|p' "$work/blaster.out")
        [[ -n $port ]] && return 0
        kill -0 "$blaster_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "bench_blast_gateway did not start: $(cat "$work/blaster.err")" >&2
    exit 1
}

stop_blaster() {
    for _ in $(seq 50); do
        kill -0 "$blaster_pid" 2>/dev/null || break
        sleep 0.1
    done
    kill "$blaster_pid" 2>/dev/null || true
    wait "$blaster_pid" 2>/dev/null || true
    blaster_pid=
}

# Runs one client against the running blaster; prints its JSON line ({"messages","ingest_s"}).
run_client() {
    case $1 in
    gatescope)
        timeout 300 "$gatescope" --headless --quiet --gateway-url "ws://127.0.0.1:$port" \
            --token-file "$token" --exit-after-messages "$messages" --stats-json 2>"$work/client.err"
        ;;
    floor)
        timeout 300 "$floor" "ws://127.0.0.1:$port/?v=10&encoding=json&compress=zlib-stream" \
            "$messages" 2>"$work/client.err"
        ;;
    discordjs)
        timeout 300 node "$node_dir/discordjs-client.mjs" "ws://127.0.0.1:$port" "$messages" \
            2>"$work/client.err"
        ;;
    esac | tail -n 1
}

# events/s from a JSON line, or nothing when the run did not take in every message.
rate_of() {
    local json=$1 got ingest
    got=$(sed -n 's/.*"messages":\([0-9]*\).*/\1/p' <<<"$json")
    ingest=$(sed -n 's/.*"ingest_s":\([0-9.eE+-]*\).*/\1/p' <<<"$json")
    [[ $got == "$messages" && -n $ingest ]] || return 0
    awk -v n="$messages" -v s="$ingest" 'BEGIN { if (s > 0) printf "%.0f\n", n / s }'
}

load() { cut -d' ' -f1 /proc/loadavg; }

echo "headless comparison: $messages MESSAGE_CREATE (~320 bytes, zlib-stream), $rounds rounds," \
    "clients: ${clients[*]}; $(nproc) cores"
declare -A rates
for round in $(seq "$rounds"); do
    for client in "${clients[@]}"; do
        start_blaster
        before=$(load)
        json=$(run_client "$client" || true)
        stop_blaster
        rate=$(rate_of "$json")
        if [[ -z $rate ]]; then
            echo "round $round  $client: FAILED: $(tail -n 3 "$work/client.err" | tr '\n' ' ')" >&2
            continue
        fi
        rates[$client]+="$rate "
        printf 'round %d  %-10s %9s events/s   (load %s before)\n' "$round" "$client" "$rate" "$before"
    done
done

# median min max of the numbers in $1
stats() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ v[NR] = $1 }
    END { if (NR == 0) exit; m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          printf "%.0f %.0f %.0f\n", m, v[1], v[NR] }'; }

echo
printf '%-10s %12s %25s %5s\n' client "median ev/s" "range ev/s" runs
declare -A median
for client in "${clients[@]}"; do
    read -r med lo hi < <(stats "${rates[$client]:-}") || true
    [[ -n ${med:-} ]] || { printf '%-10s %12s\n' "$client" "no run"; continue; }
    median[$client]=$med
    printf '%-10s %12s %25s %5d\n' "$client" "$med" "$lo – $hi" "$(wc -w <<<"${rates[$client]}")"
    med=
done
ratio() {
    [[ -n ${median[$1]:-} && -n ${median[$2]:-} ]] || { echo "n/a"; return; }
    awk -v a="${median[$1]}" -v b="${median[$2]}" 'BEGIN { printf "%.2f", a / b }'
}
echo
echo "gatescope / discordjs: $(ratio gatescope discordjs)   (target >= 2.0)"
echo "gatescope / floor:     $(ratio gatescope floor)   (target >= 0.85)"
echo "load after: $(uptime | sed 's/.*load average/load average/')"
