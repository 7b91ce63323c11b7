#!/usr/bin/env python3
"""Prints a Markdown table of kep-gost against OpenSSL's gost engine from criterion's results.

Usage: bench-table.py target/criterion
Reads every <group>/<bench>/new/{benchmark,estimates}.json that criterion wrote.
"""
import json
import sys
from pathlib import Path

root = Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
means = {}
for bench in root.glob("*/*/new/benchmark.json"):
    meta = json.loads(bench.read_text())
    estimates = json.loads((bench.parent / "estimates.json").read_text())
    op, _, impl = meta["function_id"].partition("/")
    means[(meta["group_id"], op, impl)] = estimates["mean"]["point_estimate"]  # nanoseconds

if not means:
    sys.exit("no criterion results under " + str(root))


def fmt(ns):
    return f"{ns / 1000:.1f} µs" if ns is not None else "—"


print("| family | operation | kep-gost | OpenSSL gost engine | ratio |")
print("|---|---|---:|---:|---:|")
for group in sorted({k[0] for k in means}):
    for op in ("keygen", "sign", "verify"):
        ours = means.get((group, op, "kep-gost"))
        theirs = means.get((group, op, "openssl-gost-engine"))
        ratio = f"{theirs / ours:.2f}×" if ours and theirs else "—"
        print(f"| {group} | {op} | {fmt(ours)} | {fmt(theirs)} | {ratio} |")
