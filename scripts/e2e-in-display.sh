#!/usr/bin/env bash
# Runs inside the virtual display made by scripts/e2e.sh: starts tauri-driver on port 4444, runs
# the end-to-end tests, and always stops the driver.
set -euo pipefail
: "${E2E_RESULTS:?run through scripts/e2e.sh}"

# The session's keyring (unlocked, empty password) keeps the CA session across app restarts, and
# a recording notification server shows what the desktop would.
# (HOME and XDG_* point into the run's scratch folder: the user's own keyring is never touched.)
printf 'e2e' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
/usr/bin/python3 tests/e2e/notifications.py "$E2E_RESULTS/notifications.jsonl" >"$E2E_RESULTS/notifications.log" 2>&1 &
notifications=$!
export E2E_NOTIFICATIONS="$E2E_RESULTS/notifications.jsonl"

tauri-driver --port 4444 >"$E2E_RESULTS/tauri-driver.log" 2>&1 &
driver=$!
trap 'kill "$driver" "$notifications" 2>/dev/null || true; wait "$driver" 2>/dev/null || true' EXIT
# Files run in name order: the frame on a fresh app (1-…) before the renewal that moves it on (2-…).
# E2E_ONLY names one test file (a quicker run while working on it).
node --test --test-concurrency=1 --test-timeout=180000 ${E2E_ONLY:-tests/e2e/*.test.mjs}
