#!/usr/bin/env bash
# `npm run build`: the release .deb and .rpm, signed. Give the GPG key the packages are signed
# with as KEP_RENEW_GPG_KEY (id or fingerprint; GNUPGHOME and KEP_RENEW_GPG_PASSPHRASE_FILE as
# needed): target/release/signed/ then holds the rpmsign-signed .rpm and a signed apt repository
# with the .deb (scripts/sign-packages.sh). `npm run build -- --unsigned` builds without signing,
# loudly. Other bundle names: `npm run build -- --bundles deb,rpm`. The signed .msi and .AppImage
# are made by .github/workflows/release.yml on hosted runners (WiX and the AppImage tools are
# downloaded from GitHub, which this machine cannot reach).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bundles=deb,rpm
signed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --unsigned) signed=0 ;;
    --bundles) bundles="$2"; shift ;;
    *) die "unknown option $1 (use --unsigned, --bundles LIST)" ;;
  esac
  shift
done
if [ "$signed" = 1 ] && [ -z "${KEP_RENEW_GPG_KEY:-}" ]; then
  die "KEP_RENEW_GPG_KEY must name the GPG key that signs the packages (or pass --unsigned)"
fi

bash scripts/setup.sh app
ensure_apt_packages "${RELEASE_PACKAGES[@]}"
step "Building release bundles: $bundles"
npx tauri build --bundles "$bundles"
step "Bundles"
find target/release/bundle -maxdepth 2 -type f \( -name '*.deb' -o -name '*.rpm' -o -name '*.AppImage' \) -printf '%p  %s bytes\n'
if [ "$signed" = 1 ]; then
  step "Signing with $KEP_RENEW_GPG_KEY"
  bash scripts/sign-packages.sh target/release/bundle target/release/signed
  find target/release/signed -type f -printf '%p  %s bytes\n'
else
  printf '\n\033[33mWARNING: the packages are NOT signed (--unsigned): do not publish them.\033[0m\n'
fi
