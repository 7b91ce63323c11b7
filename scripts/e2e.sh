#!/usr/bin/env bash
# End-to-end tests of the real app window: Xvfb + tauri-driver (port 4444) + WebKitWebDriver,
# driven by the node:test files in tests/e2e/. Every run is bounded by `timeout`.
# Uses $APP_BIN (default target/debug/kep-renew); builds it when it is missing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

if [ ! -x "$APP_BIN" ] || [ "${E2E_BUILD:-}" = 1 ]; then
  step "Building the app for the end-to-end tests"
  npm run --silent ui:build
  cargo build -p kep-renew --features custom-protocol,e2e-hooks --locked
fi
# `cargo test` (npm test) has built kep-ca already; building it alone would unify features
# differently and recompile half the tree.
if [ ! -x "$ROOT/target/debug/kep-ca" ] || [ "${E2E_BUILD:-}" = 1 ]; then
  cargo build -p kep-ca --locked --quiet
fi
command -v tauri-driver >/dev/null || die "tauri-driver is missing: run scripts/setup.sh test"
command -v WebKitWebDriver >/dev/null || die "WebKitWebDriver is missing: run scripts/setup.sh test"

results="$ROOT/test-results/e2e"
rm -rf "$results"
mkdir -p "$results"
export E2E_RESULTS="$results" APP_BIN

# A fresh local CA for the run (cheap scrypt for its throwaway keys), and a fresh app data folder.
work="$(mktemp -d "${TMPDIR:-/tmp}/kep-e2e.XXXXXX")"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# (The session may have mounted the document portal under XDG_RUNTIME_DIR: unmount before removing.)
cleanup() {
  # (A test may have left the CA stopped: wake it so that it can end.)
  kill -CONT "${DEV_CA_PID:-}" 2>/dev/null || true
  kill "${DEV_CA_PID:-}" 2>/dev/null || true
  kill "${PCSCD_PID:-}" 2>/dev/null || true
  fusermount -u "$work/run/doc" 2>/dev/null || umount -l "$work/run/doc" 2>/dev/null || true
  rm -rf "$work" 2>/dev/null || true
}
trap cleanup EXIT
export KEP_CA_SCRYPT_LOG_N=10 # throwaway CA keys: cheap scrypt (kep-ca warns)
# Over HTTPS, as a CA serves it: a throwaway TLS root the app and the tests are told to trust.
make_test_tls "$work/tls"
start_dev_ca "$work/ca" "127.0.0.1:$port" "$results/kep-ca.log" \
  --tls-cert "$work/tls/chain.pem" --tls-key "$work/tls/key.pem"
mkdir -p "$work/control" "$work/app" "$work/files" "$work/home" "$work/data"
# The seeded applicant's current КЭП, as if made by this app earlier: in the app's key store.
mkdir -m 0700 -p "$work/app/keys"
cp "$work/ca/dev-applicant/current.key.pem" "$work/ca/dev-applicant/current.crt" "$work/app/keys/"
mkdir -m 0700 -p "$work/run"
# A GOST token for the key step: the GOST-capable SoftHSM2 (scripts/softhsm-gost.sh) with a token
# initialized like a new Рутокен (factory PIN 12345678).
KEP_SOFTHSM_GOST="${KEP_SOFTHSM_GOST:-$(bash scripts/softhsm-gost.sh | tail -n1)}"
mkdir -p "$work/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/tokens" >"$work/softhsm2.conf"
export SOFTHSM2_CONF="$work/softhsm2.conf" BOTAN_MLOCK_POOL_SIZE=0 KEP_PKCS11_MODULE="$KEP_SOFTHSM_GOST"
pkcs11-tool --module "$KEP_PKCS11_MODULE" --init-token --label "KEP Renew e2e" \
  --so-pin 87654321 --init-pin --pin 12345678 >"$results/token-init.log" 2>&1 ||
  { cat "$results/token-init.log" >&2; die "the test token could not be initialized"; }
# A card reader for the window: pcscd with the vpcd virtual reader on a free port; a test plugs a
# virtual card in (vicc) and out, as a token comes and goes. (Only one pcscd can run: outside CI a
# machine's own is left alone, and that test is skipped.)
if pgrep -x pcscd >/dev/null; then
  [ -z "${CI:-}" ] || die "a pcscd runs already: the token-arrival test needs its own"
  echo "a pcscd runs already: the token-arrival test is skipped" >&2
else
  vpcd_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  mkdir -p "$work/reader.conf.d"
  printf 'FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:0x%04X\nLIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    0x%04X\n' \
    "$vpcd_port" "$vpcd_port" >"$work/reader.conf.d/vpcd"
  pcscd --foreground --config "$work/reader.conf.d" >"$results/pcscd.log" 2>&1 &
  PCSCD_PID=$!
  export E2E_VPCD_PORT="$vpcd_port" E2E_TOKENS="$work/tokens"
fi
# A scratch home for the window's session: its keyring, WebKit caches and the like.
export HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/run"
export KEP_CA_URL="https://127.0.0.1:$port/" KEP_CA_TLS_ROOT="$work/tls/root.pem" \
  NODE_EXTRA_CA_CERTS="$work/tls/root.pem" KEP_RENEW_DATA_DIR="$work/app" \
  KEP_E2E_CONTROL_DIR="$work/control" E2E_FILES="$work/files" KEP_POLL_INTERVAL_S=1
# The tests stall the CA (SIGSTOP/SIGCONT) to see the app cope with a hung server.
export E2E_CA_PID="$DEV_CA_PID"

# One D-Bus session for notifications and the keyring; one X server for the window. (420 s: the
# stalled-CA test waits out the app's 15 s deadline, and the app restarts in every stage.)
timeout --kill-after=10 420 \
  dbus-run-session -- \
  xvfb-run --auto-servernum --server-args="-screen 0 1280x900x24" \
  bash scripts/e2e-in-display.sh || {
  status=$?
  echo "--- tauri-driver log (last 40 lines) ---" >&2
  tail -n 40 "$results/tauri-driver.log" >&2 || true
  exit "$status"
}
