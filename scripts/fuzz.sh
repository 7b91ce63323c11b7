#!/usr/bin/env bash
# `npm run fuzz [SECONDS]`: every cargo-fuzz target of the workspace for SECONDS each (default
# 60; 600 for a release-quality run). Each crate keeps its targets in its fuzz/ folder.
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP=1 enables them on the stable toolchain.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

seconds="${1:-60}"
ensure_rust
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
mapfile -t dirs < <(find crates -mindepth 2 -maxdepth 2 -type d -name fuzz | sort)
for dir in "${dirs[@]}"; do
  crate="$(dirname "$dir")"
  for target in $(cd "$crate" && cargo fuzz list); do
    step "Fuzzing $(basename "$crate")::$target for ${seconds}s"
    # The corpus grows in fuzz/corpus/<target> (ignored by git).
    (cd "$crate" && cargo fuzz run "$target" -- -max_total_time="$seconds" -print_final_stats=1)
  done
done
