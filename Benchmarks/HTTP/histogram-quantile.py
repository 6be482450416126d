#!/usr/bin/env python3
"""Reads a Prometheus exposition on stdin and prints the count and the upper bounds of the
buckets holding the 50th, 99th and 99.9th percentiles of one histogram (argv[1]), of its
series whose labels contain argv[2] when given; the true quantile is at most that bound."""
import sys

name = sys.argv[1]
labels = sys.argv[2] if len(sys.argv) > 2 else ""
buckets = []
for line in sys.stdin:
    if line.startswith(name + "_bucket{") and labels in line:
        bound = line.split('le="')[1].split('"')[0]
        buckets.append((float("inf") if bound == "+Inf" else float(bound), float(line.rsplit(" ", 1)[1])))
buckets.sort()
total = buckets[-1][1] if buckets else 0
if total == 0:
    sys.exit(f"{name}: no samples")
def bound(q):
    return next(b for b, count in buckets if count >= q * total)
print(f"{name}{'{' + labels + '}' if labels else ''}: {int(total)} samples, p50 <= {bound(0.5) * 1000:g} ms, p99 <= {bound(0.99) * 1000:g} ms, "
      f"p99.9 <= {bound(0.999) * 1000:g} ms")
