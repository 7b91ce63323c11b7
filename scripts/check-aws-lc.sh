#!/usr/bin/env bash
# Fails when aws-lc (rustls' default provider) enters the dependency tree for any target: TLS must
# go through ring (see kep_client::tls).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

status=0
for crate in aws-lc-sys aws-lc-rs; do
  if out="$(cargo tree --workspace --target all --edges all -i "$crate" 2>&1)"; then
    printf '%s is in the dependency tree:\n%s\n' "$crate" "$out" >&2
    status=1
  elif ! grep -q 'did not match any packages' <<<"$out"; then
    printf 'cargo tree failed:\n%s\n' "$out" >&2
    exit 2
  fi
done
[ "$status" -eq 0 ] && echo "ok: neither aws-lc-sys nor aws-lc-rs is in the tree"
exit "$status"
