#!/usr/bin/env bash
# Runs the integration-test binaries named on the command line (after `--`), as `cargo test`
# built them for the arguments before it, each in its package's folder as cargo would. Asking
# cargo for a subset (`cargo test --test a --test b`) would resolve the workspace's features
# for that subset alone, and a cold CI then compiles some 140 crates a second time; the
# binaries of the whole build are already there.
#   scripts/run-test-binaries.sh --workspace --features … -- applications login …
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

build=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do build+=("$1"); shift; done
[ "${1:-}" = "--" ] || die "usage: run-test-binaries.sh CARGO-TEST-ARGS… -- TEST-NAME…"
shift
names="$*"

binaries="$(cargo test "${build[@]}" --no-run --message-format=json 2>/dev/null | NAMES="$names" python3 -c '
import json, os, sys
wanted = set(os.environ["NAMES"].split())
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") != "compiler-artifact" or not m.get("executable"):
        continue
    t = m["target"]
    if t["kind"] == ["test"] and t["name"] in wanted:
        print(os.path.dirname(m["manifest_path"]), m["executable"])
')"
[ -n "$binaries" ] || die "no test binary among: $names"
while read -r dir exe; do
  echo "     Running $(basename "$exe") (in ${dir#"$ROOT"/})"
  (cd "$dir" && "$exe")
done <<<"$binaries"
