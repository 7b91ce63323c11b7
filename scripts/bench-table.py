#!/usr/bin/env python3
"""Prints a Markdown table of kep-gost against OpenSSL's gost engine from criterion's results.

Usage: bench-table.py CRITERION_DIR [CRITERION_DIR...]
Reads every <group>/<bench>/new/{benchmark,estimates}.json that criterion wrote under each
directory (one per run); each cell is the median of the runs' means.
"""
import json
import statistics
import sys
from pathlib import Path

roots = [Path(arg) for arg in sys.argv[1:]] or [Path("target/criterion")]
runs = {}
for root in roots:
    for bench in root.glob("*/*/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        op, _, impl = meta["function_id"].partition("/")
        key = (meta["group_id"], op, impl)
        runs.setdefault(key, []).append(estimates["mean"]["point_estimate"])  # nanoseconds
means = {key: statistics.median(values) for key, values in runs.items()}

if not means:
    sys.exit("no criterion results under " + ", ".join(map(str, roots)))


def fmt(ns):
    return f"{ns / 1000:.1f} µs" if ns is not None else "—"


print(f"Median of {len(roots)} run(s).\n")
print("| family | operation | kep-gost | OpenSSL gost engine | ratio |")
print("|---|---|---:|---:|---:|")
for group in sorted({k[0] for k in means}):
    for op in ("keygen", "sign", "verify"):
        ours = means.get((group, op, "kep-gost"))
        theirs = means.get((group, op, "openssl-gost-engine"))
        ratio = f"{theirs / ours:.2f}×" if ours and theirs else "—"
        print(f"| {group} | {op} | {fmt(ours)} | {fmt(theirs)} | {ratio} |")
