#!/usr/bin/env bash
# `npm run footprint`: what KEP Renew costs a person next to the smallest Tauri 2.12 app
# (tests/footprint/minimal), both release builds made in this run with the same settings (release-app):
# the .deb's size, cold start to first paint and memory (PSS of the app and the WebKit
# processes it starts, with the wizard's first screen open), in the same virtual display,
# runs alternating between the two. Writes test-results/footprint/report.md.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

runs="${FOOTPRINT_RUNS:-5}"
results="$ROOT/test-results/footprint"
rm -rf "$results"
mkdir -p "$results"
bash scripts/setup.sh app
ensure_apt_packages xvfb xauth xdotool x11-apps dbus

step "Release build: KEP Renew"
t0=$SECONDS
npx tauri build --bundles deb --ci -- --profile release-app >"$results/build-kep-renew.log" 2>&1 || { tail -30 "$results/build-kep-renew.log" >&2; die "the release build failed"; }
kep_build=$((SECONDS - t0))
step "Release build: the minimal Tauri app"
t0=$SECONDS
(cd tests/footprint/minimal && CARGO_TARGET_DIR="$ROOT/target/footprint" npx tauri build --bundles deb --ci) \
  >"$results/build-minimal.log" 2>&1 || { tail -30 "$results/build-minimal.log" >&2; die "the minimal build failed"; }
minimal_build=$((SECONDS - t0))
kep_deb="$(ls target/release-app/bundle/deb/*.deb)"
minimal_deb="$(ls target/footprint/release/bundle/deb/*.deb)"

step "Start-up and memory in a virtual display ($runs runs each, alternating)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" && mkdir -m 0700 "$scratch/run"
HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run" RUNS="$runs" RESULTS="$results" \
  timeout 900 dbus-run-session -- xvfb-run --auto-servernum --server-args="-screen 0 1280x900x24" \
  bash -c 'for i in $(seq "$RUNS"); do
      /usr/bin/python3 tests/footprint/first_paint.py "Обновление сертификата КЭП" 1 target/release-app/kep-renew >>"$RESULTS/kep-renew.jsonl"
      /usr/bin/python3 tests/footprint/first_paint.py "Minimal Tauri" 1 target/footprint/release/minimal-tauri >>"$RESULTS/minimal.jsonl"
    done' 2>"$results/display.log"

/usr/bin/python3 - "$results" "$kep_deb" "$minimal_deb" "$kep_build" "$minimal_build" <<'PY' | tee "$results/report.md"
import json, os, statistics, sys
results, kep_deb, minimal_deb, kep_build, minimal_build = sys.argv[1:6]
def load(name):
    with open(os.path.join(results, name)) as f:
        return [json.loads(line) for line in f if line.strip()]
kep, minimal = load("kep-renew.jsonl"), load("minimal.jsonl")
def med(rows, key):
    return statistics.median(r[key] for r in rows)
mib = lambda n: n / 1024 / 1024
print("| | KEP Renew | minimal Tauri 2.12 | ratio |")
print("|---|---|---|---|")
ks, ms = os.path.getsize(kep_deb), os.path.getsize(minimal_deb)
print(f"| .deb (release) | {mib(ks):.2f} MiB | {mib(ms):.2f} MiB | {ks / ms:.2f}× |")
kp, mp = med(kep, "pss_kib"), med(minimal, "pss_kib")
print(f"| memory, PSS of all processes (median of {len(kep)}) | {kp / 1024:.1f} MiB | {mp / 1024:.1f} MiB | {kp / mp:.2f}× |")
kf, mf = med(kep, "first_paint_ms"), med(minimal, "first_paint_ms")
print(f"| cold start to first paint (median) | {kf:.0f} ms | {mf:.0f} ms | {kf / mf:.2f}× |")
print(f"| first run's first paint | {kep[0]['first_paint_ms']} ms | {minimal[0]['first_paint_ms']} ms | |")
print(f"| window mapped (median) | {med(kep, 'mapped_ms'):.0f} ms | {med(minimal, 'mapped_ms'):.0f} ms | |")
print(f"| release build time (this run) | {kep_build} s | {minimal_build} s | |")
print(f"\n{len(kep)} and {len(minimal)} of the runs measured (a run whose window did not appear is in display.log).")
PY
