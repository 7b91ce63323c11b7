#!/usr/bin/env bash
# `npm run fuzz [SECONDS]`: runs every cargo-fuzz target of the workspace for SECONDS each
# (default 60; use 600 for a release-quality run). Each crate keeps its targets in its fuzz/ folder.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

seconds="${1:-60}"
mapfile -t dirs < <(find crates -mindepth 2 -maxdepth 2 -type d -name fuzz | sort)
if [ ${#dirs[@]} -eq 0 ]; then
  echo "No fuzz targets yet: they arrive with the parsers that need them (kep-gost, kep-pki)."
  exit 0
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for dir in "${dirs[@]}"; do
  for target in $(cd "$dir/.." && cargo fuzz list); do
    step "Fuzzing $(basename "$(dirname "$dir")")::$target for ${seconds}s"
    (cd "$dir/.." && cargo fuzz run "$target" -- -max_total_time="$seconds")
  done
done
