# Shared helpers for the project's scripts. Source it; do not run it.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

# Packages the app needs to build and run (Tauri on WebKitGTK, PC/SC).
APP_PACKAGES=(
  build-essential pkg-config file
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
  libpcsclite-dev
)
# Packages the tests add: a virtual display, the WebKit WebDriver, X tools to inspect the window,
# OpenSSL with its gost engine and GnuTLS as independent readers and verifiers of what we make,
# SoftHSM2 (stock: P-256; a GOST build is made by scripts/softhsm-gost.sh) and pkcs11-tool, pcscd
# with the vpcd virtual reader and the vicc virtual card; rpm and apt-utils to sign and check the
# packages, sudo for the updater's install of a .deb.
TEST_PACKAGES=(poppler-utils python3-dbus python3-gi xvfb xauth webkit2gtk-driver xdotool dbus openssl libengine-gost-openssl gnutls-bin python3
  softhsm2 opensc pcscd vsmartcard-vpcd vsmartcard-vpicc python3-virtualsmartcard python3-pycryptodome gnome-keyring python3-aiosmtpd
  postgresql haproxy chromium chromium-driver python3-yaml
  rpm apt-utils sudo valgrind)
# Packages `npm run build` adds to sign what it makes: rpmsign, apt-ftparchive, gpg.
RELEASE_PACKAGES=(rpm apt-utils gnupg)

TAURI_DRIVER_VERSION=2.1.0

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, through sudo when it needs no password,
# otherwise prints the exact command for the user and fails.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo "$@"
  else
    printf 'Please run this once, then try again:\n\n  sudo %s\n\n' "$*" >&2
    return 1
  fi
}

# Installs the Debian/Ubuntu packages that are missing (and only those).
ensure_apt_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 ||
    die "missing system packages (${missing[*]}) and no apt-get: install their equivalents by hand"
  step "Installing system packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" ||
    die "could not install system packages"
}

ensure_rust() {
  command -v cargo >/dev/null 2>&1 && return 0
  [ -x "$HOME/.cargo/bin/cargo" ] && { export PATH="$HOME/.cargo/bin:$PATH"; return 0; }
  die "Rust is not installed. Install it from https://rustup.rs (rustup), then run this again."
}

ensure_node() {
  command -v node >/dev/null 2>&1 || die "Node.js 20.19+ is needed: install it (e.g. from your distribution or nodejs.org)."
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || die "Node.js 20.19+ is needed, found $(node --version)."
}

# Installs npm packages exactly as locked, when node_modules is missing or older than the lock.
ensure_node_modules() {
  ensure_node
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    step "Installing npm packages"
    (cd "$ROOT" && npm ci --no-audit --no-fund) || die "npm ci failed"
  fi
}

# schemathesis (pinned) in a virtual environment of its own, cached; prints its path.
SCHEMATHESIS_VERSION=4.32.5
ensure_schemathesis() {
  local venv="${KEP_CACHE_DIR:-$HOME/.cache/kep-renew}/schemathesis-$SCHEMATHESIS_VERSION"
  if [ ! -x "$venv/bin/schemathesis" ]; then
    step "Installing schemathesis $SCHEMATHESIS_VERSION" >&2
    python3 -m venv "$venv" >&2 || die "python3 -m venv failed"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2 ||
      die "could not install schemathesis"
  fi
  echo "$venv/bin/schemathesis"
}

ensure_tauri_driver() {
  ensure_rust
  if ! command -v tauri-driver >/dev/null 2>&1 ||
    ! tauri-driver --help 2>&1 | head -n1 >/dev/null; then
    step "Installing tauri-driver $TAURI_DRIVER_VERSION"
    cargo install tauri-driver --locked --version "$TAURI_DRIVER_VERSION" || die "could not install tauri-driver"
  fi
}

# The app binary the end-to-end tests and the demo run: a debug build that serves the built UI
# (custom-protocol), not the Vite dev server.
APP_BIN="$ROOT/target/debug/kep-renew"
export APP_BIN

# Starts `kep-ca serve --dev` on DATA at LISTEN (host:port) logging to LOG, in the background
# (further arguments go to kep-ca: --tls-cert/--tls-key); sets DEV_CA_PID and returns once it
# prints its banner (the first start makes the CA hierarchy).
start_dev_ca() {
  local data="$1" listen="$2" log="$3"
  shift 3
  "$ROOT/target/debug/kep-ca" serve --dev --data "$data" --listen "$listen" "$@" >"$log" 2>&1 &
  DEV_CA_PID=$!
  for _ in $(seq 120); do
    grep -q '/crl/issuing.crl' "$log" 2>/dev/null && return 0
    kill -0 "$DEV_CA_PID" 2>/dev/null || break
    sleep 0.5
  done
  cat "$log" >&2
  die "the local CA (kep-ca) did not start"
}

# Makes a throwaway TLS root and a certificate it signed for 127.0.0.1/localhost in DIR:
# root.pem (the trust anchor), chain.pem (server + root), key.pem.
make_test_tls() {
  local dir="$1"
  mkdir -p "$dir"
  (
    cd "$dir"
    # (The project's OpenSSL configuration with the gost engine is not needed here.)
    export OPENSSL_CONF=/dev/null
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key \
      -out root.pem -days 2 -subj "/CN=KEP Renew e2e TLS root" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem \
      -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf
    openssl x509 -req -in server.csr -CA root.pem -CAkey root.key -CAcreateserial -days 2 \
      -out server.pem -extfile ext.cnf 2>/dev/null
    cat server.pem root.pem >chain.pem
  ) || die "the test TLS certificate could not be made"
}
