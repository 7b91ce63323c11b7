#!/usr/bin/env bash
# `npm run demo`: installs what is missing, builds the app and opens it.
# (Later steps add the local CA service and the demo token to this script.)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/setup.sh app
step "Building the UI"
npm run --silent ui:build
step "Building the app"
cargo build -p kep-renew --features custom-protocol --locked

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  die "no display to open the window on. Run this in a desktop session, or headless: xvfb-run -a npm run demo"
fi
step "Starting KEP Renew"
exec "$APP_BIN"
