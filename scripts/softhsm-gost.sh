#!/usr/bin/env bash
# Builds a GOST-capable SoftHSM2 for the tests: Debian's softhsm2 2.6.1 source with the Botan
# crypto backend and --enable-gost (Debian's own package is built without GOST). The result is
# cached; the script prints the path of libsofthsm2.so on its last line.
#
# Recipe: shared/docs/toolchain.md ("GOST-capable SoftHSM for tests"). Every process that loads
# the library needs BOTAN_MLOCK_POOL_SIZE=0, or it segfaults at exit.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

VERSION=2.6.1
ORIG_SHA256=ac9ac1e3f4402f88bf3e626a18f070f8031c031947ed469c6e17482495ec72b6
cache="${KEP_CACHE_DIR:-$HOME/.cache/kep-renew}/softhsm-gost-$VERSION"
lib="$cache/libsofthsm2.so"
if [ -f "$lib" ]; then
  echo "$lib"
  exit 0
fi

ensure_apt_packages libbotan-2-dev g++ make pkg-config dpkg-dev >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A private apt state with deb-src lines, so the system's lists are left alone.
mkdir -p "$work/apt/lists/partial" "$work/apt/sources"
sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$work/apt/sources/src.sources"
apt_opts=(-o "Dir::Etc::SourceParts=$work/apt/sources" -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::State::Lists=$work/apt/lists" -o "Debug::NoLocking=1")
step "Fetching the softhsm2 $VERSION source" >&2
apt-get "${apt_opts[@]}" update -qq >&2
# The Debian-patches tarball may be missing from the mirror: apt-get then fails *after* the
# original tarball arrived, so its checksum, not the exit code, decides.
(cd "$work" && apt-get "${apt_opts[@]}" source --download-only "softhsm2=$VERSION-2.1" >&2) || true
orig="$work/softhsm2_$VERSION.orig.tar.gz"
[ -f "$orig" ] || die "the softhsm2 source did not arrive"
echo "$ORIG_SHA256  $orig" | sha256sum -c --quiet - >&2 || die "softhsm2 source checksum mismatch"

step "Building SoftHSM2 with Botan and GOST" >&2
tar -xzf "$orig" -C "$work"
(
  cd "$work/softhsm2-$VERSION"
  ./configure --with-crypto-backend=botan --enable-gost --disable-p11-kit --disable-eddsa \
    --disable-static >"$work/configure.log" 2>&1 || { tail -30 "$work/configure.log" >&2; exit 1; }
  make -j"$(nproc)" -C src/lib >"$work/make.log" 2>&1 || { tail -30 "$work/make.log" >&2; exit 1; }
)
mkdir -p "$cache"
cp "$work/softhsm2-$VERSION/src/lib/.libs/libsofthsm2.so" "$lib"
echo "$lib"
