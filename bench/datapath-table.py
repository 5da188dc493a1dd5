#!/usr/bin/env python3
"""Turns JMH JSON (-rf json) from DataPathBench into a Markdown table. One op is one super-packet of 48 TCP
segments of 1,360 payload bytes: Gbit/s = 65,280 x 8 / (ns/op), ns/packet and B/packet = per op / 48."""
import json
import sys

SEGMENTS, MSS = 48, 1360
PROVIDER = {"aes128gcm16": "ACCP", "aes128-sha256": "JCE"}

print("| direction | suite | provider | us/op (± 99.9 %) | Gbit/s TCP payload | ns/packet | B/op | B/packet |")
print("|---|---|---|---:|---:|---:|---:|---:|")
for r in sorted(json.load(open(sys.argv[1])), key=lambda r: (r["benchmark"], r["params"]["suite"])):
    op = r["benchmark"].rsplit(".", 1)[1]
    suite = r["params"]["suite"]
    us = r["primaryMetric"]["score"]
    err = r["primaryMetric"]["scoreError"]
    alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score", float("nan"))
    gbit = SEGMENTS * MSS * 8 / (us * 1000)
    print(f"| {op} | {suite} | {PROVIDER.get(suite, '?')} | {us:.1f} ± {err:.1f} | {gbit:.2f} | "
          f"{us * 1000 / SEGMENTS:.0f} | {alloc:.0f} | {alloc / SEGMENTS:.2f} |")
