#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian/Ubuntu machine.
#   scripts/setup.sh app   — to build and run the app (npm run demo)
#   scripts/setup.sh test  — plus what the tests need (npm test)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

what="${1:-test}"
ensure_rust
ensure_node
case "$what" in
  app) ensure_apt_packages "${APP_PACKAGES[@]}" ;;
  test)
    ensure_apt_packages "${APP_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    ensure_tauri_driver
    ensure_schemathesis >/dev/null
    # The GOST-capable SoftHSM2 the token tests use (built once, cached).
    bash "$ROOT/scripts/softhsm-gost.sh" >/dev/null
    ;;
  *) die "unknown set-up '$what' (use app or test)" ;;
esac
ensure_node_modules
