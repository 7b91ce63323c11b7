#!/usr/bin/env bash
# Peak memory of `kep-ca trust import` on a list of 200 MiB (the cap), next to the same binary's
# `kep-ca trust show` on the same database as the baseline; both timed. The list is written by
# tests/trust_list_big.py in the published shape (random certificate bytes, real thumbprints).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

cargo build --release -p kep-ca --quiet
work="$(mktemp -d "${TMPDIR:-/tmp}/kep-trust-memory.XXXXXX")"
trap 'rm -rf "$work"' EXIT
python3 tests/trust_list_big.py "$work/tsl.xml" $((200 * 1024 * 1024 - 4096))
size=$(stat -c %s "$work/tsl.xml")
measure() { # <label> <args…>: prints the label, peak RSS (MiB) and wall time
  local label="$1"; shift
  /usr/bin/time -f "%M %e" -o "$work/time" target/release/kep-ca "$@" --dev --data "$work/data" >"$work/out" 2>"$work/err" ||
    { cat "$work/out" "$work/err" >&2; die "$label failed"; }
  read -r kib seconds <"$work/time"
  printf '%-34s %8.1f MiB peak  %7.2f s\n' "$label" "$(echo "$kib / 1024" | bc -l)" "$seconds"
}
step "kep-ca trust import: a $((size / 1024 / 1024)) MiB list"
measure "trust show (baseline, empty)" trust show
measure "trust import ($((size / 1024 / 1024)) MiB)" trust import "$work/tsl.xml"
cat "$work/out"
measure "trust show (baseline, after)" trust show
