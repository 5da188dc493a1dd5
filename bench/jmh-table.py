#!/usr/bin/env python3
"""Turns JMH JSON (-rf json) from EspSealBench/EspOpenBench into a Markdown table:
Gbit/s = ops/s x inner bytes x 8 / 1e9, ns/packet = 1e9 / ops/s, B/packet = gc.alloc.rate.norm."""
import json
import sys

rows = {}
for r in json.load(open(sys.argv[1])):
    p = r["params"]
    op = r["benchmark"].rsplit(".", 1)[1]
    ops = r["primaryMetric"]["score"]
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score", float("nan"))
    size = int(p["size"])
    rows[(p["suite"], size, p["provider"], op)] = (ops * size * 8 / 1e9, 1e9 / ops, alloc)

print("| suite | bytes | provider | seal Gbit/s | seal ns/pkt | seal B/pkt | open Gbit/s | open ns/pkt | open B/pkt |")
print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
for key in sorted({k[:3] for k in rows}, key=lambda k: (k[0], k[1], k[2])):
    s = rows.get(key + ("seal",), (float("nan"),) * 3)
    o = rows.get(key + ("open",), (float("nan"),) * 3)
    print(f"| {key[0]} | {key[1]} | {key[2]} | {s[0]:.2f} | {s[1]:.0f} | {s[2]:.0f} | {o[0]:.2f} | {o[1]:.0f} | {o[2]:.0f} |")
