#!/usr/bin/env bash
# Runs inside the virtual display made by scripts/e2e.sh: starts tauri-driver on port 4444, runs
# the end-to-end tests, and always stops the driver.
set -euo pipefail
: "${E2E_RESULTS:?run through scripts/e2e.sh}"

tauri-driver --port 4444 >"$E2E_RESULTS/tauri-driver.log" 2>&1 &
driver=$!
trap 'kill "$driver" 2>/dev/null || true; wait "$driver" 2>/dev/null || true' EXIT
node --test --test-concurrency=1 --test-timeout=120000 tests/e2e/*.test.mjs
