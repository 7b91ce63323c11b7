#!/usr/bin/env bash
# Signs the Linux packages of a build with a GPG key and lays out what is published:
#   sign-packages.sh <bundle-dir> <out-dir>
# <bundle-dir> is target/{release,debug}/bundle. The key: KEP_RENEW_GPG_KEY (its id or
# fingerprint) in GNUPGHOME (default ~/.gnupg); KEP_RENEW_GPG_PASSPHRASE_FILE when it has a
# passphrase. It makes
#   <out-dir>/rpm/*.rpm           signed with rpmsign (checked with `rpm -K` against the key)
#   <out-dir>/apt/                a signed apt repository: pool/main/k/kep-renew/*.deb,
#                                 dists/stable/{Release,InRelease,Release.gpg}, Packages(.gz)
#   <out-dir>/apt/kep-renew-archive-keyring.gpg (and .asc)   the key apt is given (signed-by)
#   <out-dir>/apt/kep-renew.sources                          a deb822 source for users
# apt checks the .deb through the signed Release (its hash in Packages, their hashes in
# Release); the .deb files themselves carry no signature of their own, as in Debian.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bundles="$(cd "${1:?usage: sign-packages.sh <bundle-dir> <out-dir>}" && pwd)"
out="${2:?usage: sign-packages.sh <bundle-dir> <out-dir>}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
key="${KEP_RENEW_GPG_KEY:?KEP_RENEW_GPG_KEY must name the signing key (npm run build -- --unsigned builds without)}"
suite=stable
base_url="${KEP_RENEW_APT_URL:-https://packages.keprenew.ru/apt}"

gpg_args=(--batch --yes --local-user "$key")
rpm_defines=(--define "_gpg_name $key" --define "__gpg $(command -v gpg)")
if [ -n "${KEP_RENEW_GPG_PASSPHRASE_FILE:-}" ]; then
  gpg_args+=(--pinentry-mode loopback --passphrase-file "$KEP_RENEW_GPG_PASSPHRASE_FILE")
  rpm_defines+=(--define "_gpg_sign_cmd_extra_args --pinentry-mode loopback --passphrase-file $KEP_RENEW_GPG_PASSPHRASE_FILE")
fi
gpg --batch --list-secret-keys "$key" >/dev/null 2>&1 || die "no secret key $key in ${GNUPGHOME:-~/.gnupg}"

shopt -s nullglob
rpms=("$bundles"/rpm/*.rpm)
debs=("$bundles"/deb/*.deb)
[ ${#rpms[@]} -gt 0 ] || die "no .rpm in $bundles/rpm"
[ ${#debs[@]} -gt 0 ] || die "no .deb in $bundles/deb"
rm -rf "$out"
mkdir -p "$out/rpm" "$out/apt"
gpg --batch --export --armor "$key" >"$out/apt/kep-renew-archive-keyring.asc"
gpg --batch --export "$key" >"$out/apt/kep-renew-archive-keyring.gpg"

# --- rpm: the signature inside the package, checked against the key in a throwaway rpm database.
rpmdb="$(mktemp -d)"
trap 'rm -rf "$rpmdb"' EXIT
rpm --dbpath "$rpmdb" --import "$out/apt/kep-renew-archive-keyring.asc"
for package in "${rpms[@]}"; do
  name="$(rpm -qp --queryformat '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}.rpm' "$package" 2>/dev/null)"
  cp "$package" "$out/rpm/$name"
  # (rpmsign says it cannot set GPG_TTY when run without a terminal: true, and harmless.)
  rpmsign --addsign "${rpm_defines[@]}" "$out/rpm/$name" 2>&1 >/dev/null | { grep -v GPG_TTY || true; } >&2
  verdict="$(rpm --dbpath "$rpmdb" -K "$out/rpm/$name")"
  case "$verdict" in
    *"signatures OK"*) echo "rpm: $verdict" ;;
    *) die "rpm -K does not accept $name: $verdict" ;;
  esac
done

# --- apt: the repository layout, its Release signed (inline as InRelease, detached as Release.gpg).
cd "$out/apt"
for package in "${debs[@]}"; do
  name="$(dpkg-deb -f "$package" Package)_$(dpkg-deb -f "$package" Version)_$(dpkg-deb -f "$package" Architecture).deb"
  mkdir -p pool/main/k/kep-renew
  cp "$package" "pool/main/k/kep-renew/$name"
done
arch="$(dpkg-deb -f "${debs[0]}" Architecture)"
mkdir -p "dists/$suite/main/binary-$arch"
apt-ftparchive packages pool >"dists/$suite/main/binary-$arch/Packages"
gzip -9nk "dists/$suite/main/binary-$arch/Packages"
apt-ftparchive \
  -o APT::FTPArchive::Release::Origin="KEP Renew" \
  -o APT::FTPArchive::Release::Label="KEP Renew" \
  -o APT::FTPArchive::Release::Suite="$suite" \
  -o APT::FTPArchive::Release::Codename="$suite" \
  -o APT::FTPArchive::Release::Architectures="$arch" \
  -o APT::FTPArchive::Release::Components=main \
  -o APT::FTPArchive::Release::Description="KEP Renew: renew a qualified e-signature certificate" \
  release "dists/$suite" >"dists/$suite/Release.tmp"
mv "dists/$suite/Release.tmp" "dists/$suite/Release"
gpg "${gpg_args[@]}" --clearsign --digest-algo SHA512 -o "dists/$suite/InRelease" "dists/$suite/Release"
gpg "${gpg_args[@]}" --detach-sign --armor --digest-algo SHA512 -o "dists/$suite/Release.gpg" "dists/$suite/Release"
cat >kep-renew.sources <<SOURCES
Types: deb
URIs: $base_url
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/kep-renew-archive-keyring.gpg
SOURCES
echo "apt: $(find pool -name '*.deb' | wc -l) package(s), dists/$suite/InRelease signed by $key"
