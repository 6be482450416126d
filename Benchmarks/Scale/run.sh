#!/usr/bin/env bash
# How Rapport's costs grow with the history: for each scale (1 = the default demo history of
# 50,000 customers, about 1.1 M events; 10 = 500,000 customers), generates the history with
# `rapport demo`, then measures a full rebuild of every read model, `rapport verify` (the
# limit a rebuild is set against: one pass over the log, no projection), and `rapport serve`:
# time to start, resident memory at rest and under load (anonymous, and the file pages of the
# LMDB maps), queries' p99 (customer 360, funnel, aging, search: 4 connections, 10 s each)
# and durable follow-ups over HTTP (64 connections, 20 s: requests/s and p99), with wrk and
# the scripts of Benchmarks/HTTP. Prints one Markdown table row per scale.
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
Tools/bootstrap curl wrk bc >/dev/null
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

# The p99 wrk reports for a script of Benchmarks/HTTP against the server, in ms.
p99() {
    wrk "$@" | sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p'
}

echo "| scale | events | data.mdb | generate | rebuild | rebuild peak | verify | rebuild rate / verify rate | serve start | serve resident at rest (anon + file) | query p99: 360 / funnel / aging / search | follow-ups over HTTP | serve resident under load (anon + file) |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for scale in "${@:-1}"; do
    directory="$work/scale-$scale"
    rm -rf "$directory"
    read -r generate_seconds _ < <(timed "$rapport" demo --data-dir "$directory" --customers $((${BASE_CUSTOMERS:-50000} * scale)))
    events=$("$rapport" stats --data-dir "$directory" 2>/dev/null | awk '/^events / { print $2 }')
    data_mb=$(($(stat -c %s "$directory/data.mdb") / 1000000))

    read -r rebuild_seconds rebuild_kib < <(timed "$rapport" rebuild --data-dir "$directory")
    read -r verify_seconds _ < <(timed "$rapport" verify --data-dir "$directory")

    admin=$("$rapport" replay --data-dir "$directory" --type crm.v1.UserAdded 2>/dev/null | head -1 | sed 's/.*"userId":"\([^"]*\)".*/\1/')
    TOKEN=$("$rapport" token create --user "$admin" --name scale --data-dir "$directory" 2>/dev/null)
    export TOKEN
    sync
    started=$(date +%s.%N)
    "$rapport" serve --data-dir "$directory" --port $port --no-demo --sweep-interval 86400 > "$work/serve.log" 2>&1 &
    server=$!
    until curl -sf "localhost:$port/health" | grep -q '"readModelsBehind":0'; do sleep 0.1; done
    start_seconds=$(echo "$(date +%s.%N) - $started" | bc)
    sleep 5
    read -r rss anon file < <(resident "$server")

    base="http://127.0.0.1:$port"
    curl -sf -H "Authorization: Bearer $TOKEN" "$base/v1/customers?pool=true&limit=1000" \
        | python3 -c 'import json,sys; print("\n".join(c["customerID"] for c in json.load(sys.stdin)["customers"]))' \
            > "$work/customers.txt"
    sed 's|^|/v1/customers/|' "$work/customers.txt" > "$work/360.txt"
    printf '/v1/funnel?period=%s\n' 2025 2025-Q2 2025-Q4 2026-Q1 2026-03 > "$work/funnel.txt"
    printf '/v1/receivables/aging?asOf=%s\n' 2025-06-30 2025-12-31 2026-03-31 2026-06-30 > "$work/aging.txt"
    curl -sf -H "Authorization: Bearer $TOKEN" "$base/v1/customers?pool=true&limit=200" \
        | python3 -c 'import json,sys,urllib.parse; print("\n".join("/v1/search?q=" + urllib.parse.quote(c["name"]) for c in json.load(sys.stdin)["customers"]))' \
            > "$work/search.txt"
    queries=""
    for kind in 360 funnel aging search; do
        queries="$queries${queries:+ / }$(PATHS="$work/$kind.txt" p99 -t1 -c4 -d10s -s Benchmarks/HTTP/paths.lua "$base") ms"
    done
    CUSTOMERS="$work/customers.txt" wrk -t2 -c64 -d20s -s Benchmarks/HTTP/follow-ups.lua "$base" > "$work/wrk.txt" &
    load=$!
    sleep 15
    read -r load_rss load_anon load_file < <(resident "$server")
    wait "$load"
    commands="$(sed -n 's/^Requests\/sec: *\([0-9]*\).*/\1/p' "$work/wrk.txt") req/s, p99 $(sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p' "$work/wrk.txt") ms"
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=""

    rate() { echo "$events / $1 / 1000" | bc; }
    printf '| %s× | %s | %s MB | %.1f s | %.1f s, %s K events/s | %d MB | %.1f s, %s K events/s | %.2f | %.1f s | %s MB (%s + %s) | %s | %s | %s MB (%s + %s) |\n' \
        "$scale" "$events" "$data_mb" "$generate_seconds" "$rebuild_seconds" "$(rate "$rebuild_seconds")" \
        $((rebuild_kib / 1024)) "$verify_seconds" "$(rate "$verify_seconds")" \
        "$(echo "$verify_seconds / $rebuild_seconds" | bc -l)" "$start_seconds" "$rss" "$anon" "$file" \
        "$queries" "$commands" "$load_rss" "$load_anon" "$load_file"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$directory"
done
