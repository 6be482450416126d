#!/usr/bin/env bash
# How Rapport's costs grow with the history: for each scale (1 = the default demo history of
# 50,000 customers, about 1.1 M events; 10 = 500,000 customers), generates the history with
# `rapport demo`, then measures a full rebuild of every read model, `rapport verify` (the
# limit a rebuild is set against: one pass over the log, no projection), and `rapport serve`:
# time to start, and resident memory at rest (anonymous, and the file pages of the LMDB maps).
# Prints one Markdown table row per scale.
#
# Usage: Benchmarks/Scale/run.sh [SCALE ...]   (default: 1), from a release build:
#   swift build -c release --product rapport && Benchmarks/Scale/run.sh 1 3 10
# SCALE_DIR (default: a new temporary directory) is where histories are written; each takes
# about 0.6 GB per unit of scale, and is removed after its row unless KEEP=1. BASE_CUSTOMERS
# (default 50000) is scale 1's size, RAPPORT the binary (default: the release build).
set -euo pipefail
cd "$(dirname "$0")/../.."
rapport=${RAPPORT:-$PWD/.build/release/rapport}
[ -x "$rapport" ] || { echo "build first: swift build -c release --product rapport" >&2; exit 2; }
Tools/bootstrap curl >/dev/null
work=${SCALE_DIR:-$(mktemp -d)}
mkdir -p "$work"
port=18383
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true' EXIT

# Prints "seconds peak-KiB" of a command, its output in $work/last.out.
timed() {
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" > "$work/last.out" 2> "$work/last.err"
    cat "$work/time.txt"
}

# VmRSS, RssAnon and RssFile of a process, in MB.
resident() {
    awk '/^(VmRSS|RssAnon|RssFile):/ { printf "%d ", $2 / 1024 } END { print "" }' "/proc/$1/status"
}

echo "| scale | events | data.mdb | generate | rebuild | rebuild peak | verify | rebuild / verify | serve start | serve resident (anon + file) |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for scale in "${@:-1}"; do
    directory="$work/scale-$scale"
    rm -rf "$directory"
    read -r generate_seconds _ < <(timed "$rapport" demo --data-dir "$directory" --customers $((${BASE_CUSTOMERS:-50000} * scale)))
    events=$("$rapport" stats --data-dir "$directory" 2>/dev/null | awk '/^events / { print $2 }')
    data_mb=$(($(stat -c %s "$directory/data.mdb") / 1000000))

    read -r rebuild_seconds rebuild_kib < <(timed "$rapport" rebuild --data-dir "$directory")
    read -r verify_seconds _ < <(timed "$rapport" verify --data-dir "$directory")

    sync
    started=$(date +%s.%N)
    "$rapport" serve --data-dir "$directory" --port $port --no-demo --sweep-interval 86400 > "$work/serve.log" 2>&1 &
    server=$!
    until curl -sf "localhost:$port/health" | grep -q '"readModelsBehind":0'; do sleep 0.1; done
    start_seconds=$(echo "$(date +%s.%N) - $started" | bc)
    sleep 5
    read -r rss anon file < <(resident "$server")
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=""

    rate() { echo "$events / $1 / 1000" | bc; }
    printf '| %s× | %s | %s MB | %.1f s | %.1f s, %s K events/s | %d MB | %.1f s, %s K events/s | %.2f | %.1f s | %s MB (%s + %s) |\n' \
        "$scale" "$events" "$data_mb" "$generate_seconds" "$rebuild_seconds" "$(rate "$rebuild_seconds")" \
        $((rebuild_kib / 1024)) "$verify_seconds" "$(rate "$verify_seconds")" \
        "$(echo "$verify_seconds / $rebuild_seconds" | bc -l)" "$start_seconds" "$rss" "$anon" "$file"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$directory"
done
