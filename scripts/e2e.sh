#!/usr/bin/env bash
# End-to-end tests of the real app window: Xvfb + tauri-driver (port 4444) + WebKitWebDriver,
# driven by the node:test files in tests/e2e/. Every run is bounded by `timeout`.
# Uses $APP_BIN (default target/debug/kep-renew); builds it when it is missing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

if [ ! -x "$APP_BIN" ]; then
  step "Building the app for the end-to-end tests"
  npm run --silent ui:build
  cargo build -p kep-renew --features custom-protocol --locked
fi
command -v tauri-driver >/dev/null || die "tauri-driver is missing: run scripts/setup.sh test"
command -v WebKitWebDriver >/dev/null || die "WebKitWebDriver is missing: run scripts/setup.sh test"

results="$ROOT/test-results/e2e"
mkdir -p "$results"
export E2E_RESULTS="$results" APP_BIN

# One D-Bus session for notifications and the keyring; one X server for the window.
timeout --kill-after=10 300 \
  dbus-run-session -- \
  xvfb-run --auto-servernum --server-args="-screen 0 1280x900x24" \
  bash scripts/e2e-in-display.sh || {
  status=$?
  echo "--- tauri-driver log (last 40 lines) ---" >&2
  tail -n 40 "$results/tauri-driver.log" >&2 || true
  exit "$status"
}
