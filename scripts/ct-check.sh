#!/usr/bin/env bash
# kep-gost's key generation and signing are constant time in their secrets, as valgrind's
# memcheck sees them (the ctgrind technique, crates/kep-gost-ct): with the private key, the
# drawn randomness and the nonce's entropy marked undefined, no conditional jump and no memory
# address may depend on them outside the declassification points kep_gost::declassify lists.
# The check first proves it can see: two deliberately variable-time helpers and the same run
# without declassification must each be reported. Built with the release profile (the optimizer
# may turn constant-time code into branches: what ships is what is checked).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_apt_packages valgrind

cargo build --release --locked --quiet -p kep-gost-ct
bin="$ROOT/target/release/kep-gost-ct"
log="$(mktemp -d)"
trap 'rm -rf "$log"' EXIT

# memcheck exits 3 when it reported anything; the program's own failures exit 1 or 2.
memcheck() {
  local name="$1"; shift
  local code=0
  valgrind --error-exitcode=3 --leak-check=no --track-origins=yes "$bin" "$@" >"$log/$name" 2>&1 || code=$?
  echo "$code"
}

must_be_caught() {
  local name="$1" says="$2"; shift 2
  local code
  code="$(memcheck "$name" "$@")"
  if [ "$code" != 3 ] || ! grep -q "$says" "$log/$name"; then
    cat "$log/$name" >&2
    die "memcheck did not catch '$*' (exit $code): the check cannot be trusted"
  fi
  echo "caught, as it must be: kep-gost-ct $* ($(grep -m1 -o 'ERROR SUMMARY: [0-9]* errors' "$log/$name"))"
}

must_be_caught leaky-branch "Conditional jump or move depends on uninitialised value" leaky branch
must_be_caught leaky-index "Use of uninitialised value of size" leaky index
must_be_caught undeclassified "uninitialised value" undeclassified

code="$(memcheck check)"
if [ "$code" != 0 ]; then
  cat "$log/check" >&2
  die "kep-gost is not constant time in its secrets (exit $code): see memcheck's report above"
fi
grep -E 'checked$' "$log/check"
grep -o 'ERROR SUMMARY: .*' "$log/check"
