#!/usr/bin/env bash
# Load on `rapport serve`: 64 connections logging follow-ups durably for 30 s, as the admin of
# a copy of the default history, while SUBSCRIBERS (default 100) clients follow the live event
# stream over SSE. Usage: [SUBSCRIBERS=N] Benchmarks/HTTP/run-follow-ups.sh HISTORY_DIR
# (HISTORY_DIR holds a log made by `rapport demo`; it is copied, never written).
# Prints wrk's figures, then the server's delivery lag to the subscribers (commit to frame
# written) and its commit latency and batch sizes, from /metrics; then, the server stopped,
# the same wrk against `http-ceiling` (Benchmarks/HTTP/Ceiling): Hummingbird alone answering
# the same request, the framework's ceiling on this machine in the same run.
set -euo pipefail
cd "$(dirname "$0")/../.."
history=${1:?give the directory of a demo history}
work=$(mktemp -d)
subscribers=${SUBSCRIBERS:-100}
ceiling=""
trap 'kill $server $ceiling $(jobs -p) 2>/dev/null || true; wait 2>/dev/null; rm -rf "$work"' EXIT
cp "$history/data.mdb" "$work/"
[ -d "$history/read-models" ] && cp -r "$history/read-models" "$work/"
rapport=.build/release/rapport
admin=$($rapport replay --data-dir "$work" --type crm.v1.UserAdded 2>/dev/null | head -1 | sed 's/.*"userId":"\([^"]*\)".*/\1/')
export TOKEN=$($rapport token create --user "$admin" --name load --data-dir "$work" 2>/dev/null)
$rapport serve --data-dir "$work" --port 18282 --metrics-port 18283 --no-demo --sweep-interval 86400 > "$work/serve.log" 2>&1 &
server=$!
until curl -sf localhost:18282/health | grep -q '"readModelsBehind":0'; do sleep 1; done
curl -sf -H "Authorization: Bearer $TOKEN" 'localhost:18282/v1/customers?pool=true&limit=1000' \
  | python3 -c 'import json,sys; print("\n".join(c["customerID"] for c in json.load(sys.stdin)["customers"]))' > "$work/customers.txt"
export CUSTOMERS="$work/customers.txt"
# One follow-up first: the access checks fold the log's users on first use.
curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"channel":"call","note":"warm-up"}' "localhost:18282/v1/customers/$(head -1 "$CUSTOMERS")/follow-ups"
for _ in $(seq "$subscribers"); do
  curl -sN -H "Authorization: Bearer $TOKEN" localhost:18282/v1/subscribe > /dev/null &
done
if [ "$subscribers" -gt 0 ]; then
  until curl -sf localhost:18283/metrics | grep -Eq "^rapport_subscribers $subscribers(\.0)?\$"; do sleep 0.2; done
fi
echo "== rapport serve"
wrk -t2 -c64 -d30s --latency -s Benchmarks/HTTP/follow-ups.lua http://127.0.0.1:18282
curl -sf localhost:18283/metrics > "$work/metrics.txt"
quantiles=Benchmarks/HTTP/histogram-quantile.py
if [ "$subscribers" -gt 0 ]; then $quantiles rapport_subscriber_delivery_lag_seconds < "$work/metrics.txt"; fi
$quantiles rapport_http_request_duration_seconds 'route="/v1/customers/{customer}/follow-ups"' < "$work/metrics.txt"
$quantiles rapport_log_commit_duration_seconds < "$work/metrics.txt"
grep -E '^rapport_log_batch_appends_(sum|count)' "$work/metrics.txt"

kill $server $(jobs -p) 2>/dev/null || true
wait 2>/dev/null || true
echo "== http-ceiling: Hummingbird alone, same request, same wrk"
.build/release/http-ceiling 18290 > "$work/ceiling.log" 2>&1 &
ceiling=$!
until curl -sf -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"channel":"call"}' localhost:18290/v1/customers/warm-up/follow-ups; do sleep 0.2; done
wrk -t2 -c64 -d30s --latency -s Benchmarks/HTTP/follow-ups.lua http://127.0.0.1:18290
