#!/usr/bin/env bash
# kep-token without its default features is the PKCS#11 part only — what a CA's service links
# for keys on an HSM: it must build, and neither PC/SC nor the OS keyring (nor D-Bus) may be in
# its dependency tree, nor in kep-ca's.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

cargo check -p kep-token --no-default-features --lib --locked --quiet
tree="$(cargo tree -p kep-token --no-default-features --edges normal --prefix none)"
if found="$(grep -E '^(pcsc|keyring|zbus|dbus-secret-service|secret-service) ' <<<"$tree")"; then
  printf 'kep-token without default features still depends on:\n%s\n' "$found" >&2
  exit 1
fi
tree="$(cargo tree -p kep-ca --edges normal --prefix none)"
if found="$(grep -E '^(pcsc|keyring|zbus|dbus-secret-service|secret-service) ' <<<"$tree")"; then
  printf 'kep-ca links more of kep-token than PKCS#11:\n%s\n' "$found" >&2
  exit 1
fi
echo "ok: kep-token builds as the PKCS#11 part alone (no PC/SC, no OS keyring), and kep-ca links only that"
