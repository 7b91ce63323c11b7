#!/usr/bin/env bash
# Runs the workspace's Rust tests with the TypeScript bindings folder wiped first: ts-rs writes
# every binding again while the tests run, and any difference from the committed files (a changed,
# new or stale binding) fails the check. Extra arguments go to `cargo test`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bindings=ui/src/bindings
rm -rf "$bindings"
cargo test --workspace --locked "$@"

if ! git diff --exit-code --stat -- "$bindings" || [ -n "$(git ls-files --others --exclude-standard -- "$bindings")" ]; then
  git status --short -- "$bindings" >&2
  die "TypeScript bindings in $bindings are stale: commit the regenerated files"
fi
echo "ok: TypeScript bindings are up to date"
