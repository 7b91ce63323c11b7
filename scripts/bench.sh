#!/usr/bin/env bash
# `npm run bench`: every criterion benchmark of the workspace, in release mode. Each crate that
# has benchmarks keeps them under its own benches/ folder.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

mapfile -t crates < <(find crates -mindepth 2 -maxdepth 2 -type d -name benches -printf '%h\n' | sort)
if [ ${#crates[@]} -eq 0 ]; then
  echo "No benchmarks yet: they arrive with the crates that need them (kep-gost first)."
  exit 0
fi
for dir in "${crates[@]}"; do
  step "Benchmarks of $(basename "$dir")"
  cargo bench -p "$(basename "$dir")" "$@"
done
