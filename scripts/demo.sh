#!/usr/bin/env bash
# `npm run demo`: installs what is missing, builds the app and the local CA service, starts the
# CA in development mode (it prints the calling number of every login and seeds an applicant with
# a renewal application, a current КЭП, an operator and a responsible officer), prepares a demo
# token (GOST SoftHSM2) and opens the app — everything needed to walk all six stages.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/setup.sh app
step "Building the UI"
npm run --silent ui:build
step "Building the app and the CA service"
cargo build -p kep-renew --features custom-protocol --locked
cargo build -p kep-ca --locked

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  die "no display to open the window on. Run this in a desktop session, or headless: xvfb-run -a npm run demo"
fi

data="${XDG_DATA_HOME:-$HOME/.local/share}/kep-renew-demo"
mkdir -p "$data"
step "Starting the local CA (kep-ca serve --dev) — its log: $data/kep-ca.log"
# The demo's operator and officer get authenticators (their secrets are in the banner): the
# console asks them for codes, as a CA in service does.
export KEP_CA_DEMO_TOTP=1
start_dev_ca "$data/ca" 127.0.0.1:8443 "$data/kep-ca.log"
trap 'kill "$DEV_CA_PID" 2>/dev/null || true' EXIT
grep -v '^\[dev telephony\]' "$data/kep-ca.log" | sed -n '1,8p'
echo "Log in with +7 999 000-00-01; the calling number appears in $data/kep-ca.log"

# The demo app keeps its data next to the CA's (not in your real app folder), with the seeded
# applicant's current КЭП in its key store, so the statement can be signed with it.
if [ ! -e "$data/app/keys/current.key.pem" ]; then
  mkdir -m 0700 -p "$data/app/keys"
  cp "$data/ca/dev-applicant/current.key.pem" "$data/ca/dev-applicant/current.crt" "$data/app/keys/"
fi
echo "The current certificate's key password (stage 3): kep-renew-dev-key"

# A demo token for the key step: the GOST-capable SoftHSM2 (built once, cached), initialized like
# a new Рутокен (PIN 12345678). Without it the key can still be made on this computer.
step "Preparing the demo token (SoftHSM2 with GOST)"
if gost_lib="$(bash scripts/softhsm-gost.sh | tail -n1)" && [ -f "$gost_lib" ]; then
  mkdir -p "$data/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$data/tokens" >"$data/softhsm2.conf"
  export SOFTHSM2_CONF="$data/softhsm2.conf" BOTAN_MLOCK_POOL_SIZE=0 KEP_PKCS11_MODULE="$gost_lib"
  if ! pkcs11-tool --module "$gost_lib" --list-slots 2>/dev/null | grep -q 'KEP Renew demo'; then
    command -v pkcs11-tool >/dev/null || ensure_apt_packages opensc
    pkcs11-tool --module "$gost_lib" --init-token --label "KEP Renew demo" \
      --so-pin 87654321 --init-pin --pin 12345678 >/dev/null
  fi
  echo "Demo token «KEP Renew demo»: PIN 12345678 (SO PIN 87654321)"
else
  echo "The demo token could not be prepared; the key can still be made on this computer." >&2
fi

step "Starting KEP Renew"
KEP_CA_URL="http://127.0.0.1:8443/" KEP_RENEW_DATA_DIR="$data/app" "$APP_BIN"
