#!/usr/bin/env bash
# `npm run build`: the release .deb and .rpm, signed, and what the updater needs.
#   KEP_RENEW_GPG_KEY             the GPG key the packages are signed with (id or fingerprint;
#                                 GNUPGHOME and KEP_RENEW_GPG_PASSPHRASE_FILE as needed)
#   KEP_RENEW_UPDATER_PUBKEY      the release's minisign public key (`tauri signer generate`)
#   TAURI_SIGNING_PRIVATE_KEY(_PATH), TAURI_SIGNING_PRIVATE_KEY_PASSWORD   its private key
#   KEP_RENEW_UPDATE_URL          where installed apps ask for latest.json (https)
#   KEP_RENEW_DOWNLOAD_URL        where the packages are published (default: the folder of
#                                 KEP_RENEW_UPDATE_URL)
#   KEP_RENEW_RELEASE_NOTES       a file with the release notes («Что нового»)
#   KEP_RENEW_CA_URL              the CA the release talks to (https)
# target/release-app/signed/ then holds rpm/ (rpmsign-signed), apt/ (a signed apt repository with the
# .deb: scripts/sign-packages.sh) and updates/ (the packages, their updater signatures bound to the
# version, latest.json with linux-x86_64-deb and -rpm entries). `--no-updates` builds an app that
# never updates itself; `--unsigned` signs nothing (and has no updater) — both say so loudly.
# Other bundle names: `npm run build -- --bundles deb,rpm`. The signed .msi and .AppImage
# are made by .github/workflows/release.yml on hosted runners (WiX and the AppImage tools are
# downloaded from GitHub, which this machine cannot reach).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bundles=deb,rpm
signed=1
updates=1
while [ $# -gt 0 ]; do
  case "$1" in
    --unsigned) signed=0; updates=0 ;;
    --no-updates) updates=0 ;;
    --bundles) bundles="$2"; shift ;;
    *) die "unknown option $1 (use --unsigned, --no-updates, --bundles LIST)" ;;
  esac
  shift
done
if [ "$signed" = 1 ] && [ -z "${KEP_RENEW_GPG_KEY:-}" ]; then
  die "KEP_RENEW_GPG_KEY must name the GPG key that signs the packages (or pass --unsigned)"
fi
config=()
if [ "$updates" = 1 ]; then
  for name in KEP_RENEW_UPDATER_PUBKEY KEP_RENEW_UPDATE_URL; do
    [ -n "${!name:-}" ] || die "$name is needed for the updater (or pass --no-updates)"
  done
  [ -n "${TAURI_SIGNING_PRIVATE_KEY:-}${TAURI_SIGNING_PRIVATE_KEY_PATH:-}" ] ||
    die "TAURI_SIGNING_PRIVATE_KEY or TAURI_SIGNING_PRIVATE_KEY_PATH must give the updater's signing key (or pass --no-updates)"
  case "$KEP_RENEW_UPDATE_URL" in https://*) ;; *) die "KEP_RENEW_UPDATE_URL must be https" ;; esac
  config=(--config "$(node -e '
    const [pubkey, endpoint] = process.argv.slice(1);
    console.log(JSON.stringify({ plugins: { updater: { pubkey, endpoints: [endpoint], requireSignedVersion: true } } }));
  ' "$KEP_RENEW_UPDATER_PUBKEY" "$KEP_RENEW_UPDATE_URL")")
fi

bash scripts/setup.sh app
ensure_apt_packages "${RELEASE_PACKAGES[@]}"
step "Building release bundles: $bundles"
npx tauri build --bundles "$bundles" "${config[@]}" -- --profile release-app
step "Bundles"
find target/release-app/bundle -maxdepth 2 -type f \( -name '*.deb' -o -name '*.rpm' -o -name '*.AppImage' \) -printf '%p  %s bytes\n'
if [ "$signed" = 1 ]; then
  step "Signing with $KEP_RENEW_GPG_KEY"
  bash scripts/sign-packages.sh target/release-app/bundle target/release-app/signed
  find target/release-app/signed -type f -printf '%p  %s bytes\n'
else
  printf '\n\033[33mWARNING: the packages are NOT signed (--unsigned): do not publish them.\033[0m\n'
fi
if [ "$updates" = 1 ]; then
  step "Updater artefacts"
  version="$(node -p "require('./src-tauri/tauri.conf.json').version ?? require('./package.json').version")"
  download="${KEP_RENEW_DOWNLOAD_URL:-${KEP_RENEW_UPDATE_URL%/*}}"
  updates_dir=target/release-app/signed/updates
  rm -rf "$updates_dir" && mkdir -p "$updates_dir"
  entries=()
  shopt -s nullglob
  for package in target/release-app/bundle/deb/*.deb target/release-app/bundle/rpm/*.rpm; do
    kind="${package##*.}"
    name="kep-renew_${version}_$([ "$kind" = deb ] && echo amd64 || echo x86_64).$kind"
    cp "$package" "$updates_dir/$name"
    npx tauri signer sign --app-version "$version" "$updates_dir/$name" >/dev/null
    entries+=(--entry "linux-x86_64-$kind=$download/$name=$updates_dir/$name.sig")
  done
  notes=()
  [ -n "${KEP_RENEW_RELEASE_NOTES:-}" ] && notes=(--notes-file "$KEP_RENEW_RELEASE_NOTES")
  node scripts/release-manifest.mjs --out "$updates_dir/latest.json" --version "$version" "${notes[@]}" "${entries[@]}"
else
  printf '\n\033[33mWARNING: this build has no updater: installed copies will never update themselves.\033[0m\n'
fi
