#!/usr/bin/env bash
# How Rapport's costs grow with the history: for each scale (1 = the default demo history of
# 50,000 customers and 40 reps, about 1.3 M events; 10 = 500,000 customers and 400 reps), generates
# the history with `rapport demo`, then measures a full rebuild of every read model, `rapport
# verify` (the limit a rebuild is set against: one pass over the log, no projection), and
# `rapport serve`: time to start, resident memory at rest and under load (anonymous, and the
# file pages of the LMDB maps), queries' p99 (customer 360, funnel, aging, search: 4 connections,
# 10 s each) and durable follow-ups over HTTP (64 connections, 20 s: requests/s and p99), with
# wrk and the scripts of Benchmarks/HTTP. Then the guarantees at that scale: the server is
# killed with SIGKILL under follow-up load, every acknowledged follow-up must be in the log and
# the chain must verify; the server restarts on that log (its resident memory is measured
# again after its own sweep, as a server restarted in steady state holds it); its live read
# models must equal a rebuild from the log (`rapport rebuild --check`); last, `rapport
# compact` seals the log.
# Prints one Markdown table row per scale.
#
# Usage: Benchmarks/Scale/run.sh [SCALE ...]   (default: 1), from a release build:
#   swift build -c release --product rapport && Benchmarks/Scale/run.sh 1 3 10
# SCALE_DIR (default: a new temporary directory) is where histories are written; each takes
# about 1 GB per unit of scale, and is removed after its row unless KEEP=1. BASE_CUSTOMERS
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

# Starts the server on $directory and waits until its read models are at the head; sets
# $server to its pid and $served_in to the seconds that took.
serve() {
    local started
    started=$(date +%s.%N)
    started_at=$started
    "$rapport" serve --data-dir "$directory" --port $port --no-demo --sweep-interval 86400 >> "$work/serve.log" 2>&1 &
    server=$!
    until curl -sf "localhost:$port/health" | grep -q '"readModelsBehind":0'; do
        kill -0 "$server" 2> /dev/null || { tail -5 "$work/serve.log" >&2; exit 1; }
        sleep 0.1
    done
    served_in=$(echo "$(date +%s.%N) - $started" | bc)
}

stop() {
    kill "-$1" "$server"
    wait "$server" 2>/dev/null || true
    server=""
}

echo "| scale | events | data.mdb | generate | rebuild | rebuild peak | verify | rebuild rate / verify rate | serve start | start-up pool sweep | serve resident at rest (anon + file) | query p99: 360 / funnel / aging / search | follow-ups over HTTP | serve resident under load (anon + file) | SIGKILL under load | restart after it | resident after the restart (anon + file) | live read models = rebuild | compact |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for scale in "${@:-1}"; do
    directory="$work/scale-$scale"
    rm -rf "$directory"
    read -r generate_seconds _ < <(timed "$rapport" demo --data-dir "$directory" --customers $((${BASE_CUSTOMERS:-50000} * scale)) --no-read-models)
    events=$("$rapport" stats --data-dir "$directory" 2>/dev/null | awk '/^events / { print $2 }')
    data_mb=$(($(stat -c %s "$directory/data.mdb") / 1000000))

    read -r rebuild_seconds rebuild_kib < <(timed "$rapport" rebuild --data-dir "$directory")
    read -r verify_seconds _ < <(timed "$rapport" verify --data-dir "$directory")

    # sed reads every line (head would close the pipe early, and pipefail would stop the script).
    admin=$("$rapport" replay --data-dir "$directory" --type crm.v1.UserAdded 2>/dev/null | sed -n '1s/.*"userId":"\([^"]*\)".*/\1/p')
    TOKEN=$("$rapport" token create --user "$admin" --name scale --data-dir "$directory" 2>/dev/null)
    export TOKEN
    sync
    : > "$work/serve.log"
    serve
    start_seconds=$served_in
    # The first start sweeps the pool: the demo history ends on 2026-11-01, so everyone idle
    # since is released or warned then. Memory at rest is measured once that is done.
    until grep -q 'pool sweep' "$work/serve.log"; do sleep 0.5; done
    sweep_seconds=$(echo "$(date +%s.%N) - $started_at - $start_seconds" | bc)
    swept=$(sed -n 's/.*released=\([0-9]*\).*warned=\([0-9]*\).*/\1 released, \2 warned/p' "$work/serve.log" | head -1)
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

    # SIGKILL 10 s into a follow-up load whose acknowledged positions are written down; every
    # one must be a follow-up in the log, and the chain must verify.
    rm -f "$work"/acks-*
    CUSTOMERS="$work/customers.txt" ACKS="$work/acks" wrk -t2 -c64 -d20s -s Benchmarks/HTTP/acknowledged-follow-ups.lua "$base" > /dev/null 2>&1 &
    load=$!
    sleep 10
    stop KILL
    wait "$load" || true
    cat "$work"/acks-* | sort -n > "$work/acknowledged.txt"
    acknowledged=$(wc -l < "$work/acknowledged.txt")
    "$rapport" replay --data-dir "$directory" --from "$(head -1 "$work/acknowledged.txt" | grep . || echo 1)" --type crm.v1.FollowUpLogged 2>/dev/null \
        | grep '"note":"crash check"' | sed 's/^{"position":\([0-9]*\),.*/\1/' | sort -n > "$work/present.txt"
    missing=$(comm -23 "$work/acknowledged.txt" "$work/present.txt" | wc -l)
    chain=$("$rapport" verify --data-dir "$directory" > /dev/null 2>&1 && echo "chain verified" || echo "CHAIN BROKEN")
    crash="$acknowledged acknowledged, $missing missing, $chain"

    serve
    restart_seconds=$served_in
    # Memory at rest as a server restarted in steady state holds it: after its own sweep.
    until [ "$(grep -c 'pool sweep' "$work/serve.log")" -ge 2 ]; do sleep 0.5; done
    sleep 5
    read -r restart_rss restart_anon restart_file < <(resident "$server")
    stop TERM
    if "$rapport" rebuild --check --data-dir "$directory" > "$work/check.txt" 2> "$work/check.err"; then
        read_models=$(sed -n 's/^ok: \([0-9]*\) read models at position \([0-9]*\).*/identical, \1 read models at \2/p' "$work/check.txt")
    else
        read_models="DIFFER: $(grep -c DIFFERS "$work/check.txt") read models ($(tail -1 "$work/check.err"))"
    fi
    read -r compact_seconds _ < <(timed "$rapport" compact --data-dir "$directory")
    compact="$compact_seconds s, $(($(stat -c %s "$directory/data.mdb") / 1000000)) MB after"

    rate() { echo "$events / $1 / 1000" | bc; }
    printf '| %s× | %s | %s MB | %.1f s | %.1f s, %s K events/s | %d MB | %.1f s, %s K events/s | %.2f | %.1f s | %s in %.1f s | %s MB (%s + %s) | %s | %s | %s MB (%s + %s) | %s | %.1f s | %s MB (%s + %s) | %s | %s |\n' \
        "$scale" "$events" "$data_mb" "$generate_seconds" "$rebuild_seconds" "$(rate "$rebuild_seconds")" \
        $((rebuild_kib / 1024)) "$verify_seconds" "$(rate "$verify_seconds")" \
        "$(echo "$verify_seconds / $rebuild_seconds" | bc -l)" "$start_seconds" "$swept" "$sweep_seconds" "$rss" "$anon" "$file" \
        "$queries" "$commands" "$load_rss" "$load_anon" "$load_file" "$crash" "$restart_seconds" "$restart_rss" "$restart_anon" "$restart_file" "$read_models" "$compact"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$directory"
done
