#!/usr/bin/env bash
# The packages as a person gets them (npm test): the test build as 0.1.0 and as 0.1.1, both with
# a configuration overlay naming a loopback release server and a throwaway minisign key (the
# test build's crates are reused: only the app crate is compiled again, seconds), bundled with
# `tauri bundle`, the 0.1.0 packages signed with a throwaway GPG key by scripts/sign-packages.sh:
#   * `rpm -K` accepts the signed .rpm and refuses it tampered or without the key;
#   * apt refuses the repository signed by another key, and a .deb whose bytes changed;
#   * the .deb is installed from the signed repository with apt-get, the installed app starts
#     under Xvfb (title, login, version, screenshot: tests/install/installed.test.mjs);
#   * it updates itself to 0.1.1 (tests/install/update.test.mjs): another key's signature and
#     a changed package refused, the genuine one installed on consent, the app restarted;
#   * it is purged: nothing of it is left.
# apt works on lists of its own (Dir::State::Lists), so the machine's apt state is untouched;
# the only change, the installed package, is purged on every exit. Runs as root (apt, dpkg).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

[ "$(id -u)" -eq 0 ] || die "the package test installs a .deb: run it as root"
if dpkg-query -W -f '${Status}' kep-renew 2>/dev/null | grep -q 'installed'; then
  die "kep-renew is installed on this machine; the package test would replace it (apt-get purge kep-renew first)"
fi
APP_BIN="${APP_BIN:-target/debug/kep-renew}"
[ -x "$APP_BIN" ] || die "$APP_BIN is missing: cargo test (npm test) builds it"

results="$ROOT/test-results/install"
rm -rf "$results"
mkdir -p "$results"
work="$(mktemp -d "${TMPDIR:-/tmp}/kep-packages.XXXXXX")"
chmod 0755 "$work" # apt reads file: repositories as its _apt user
cleanup() {
  cp -r "$work/app/logs" "$results/app-logs" 2>/dev/null || true
  kill "${UPDATE_SERVER_PID:-}" 2>/dev/null || true
  pkill -x kep-renew 2>/dev/null || true
  apt-get purge -y kep-renew >/dev/null 2>&1 || true
  fusermount -u "$work/run/doc" 2>/dev/null || umount -l "$work/run/doc" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step "The test build as 0.1.0 and 0.1.1, for a loopback release server"
old_version="$(node -p "require('./src-tauri/tauri.conf.json').version ?? require('./package.json').version")"
new_version="$(node -p "const [a, b, c] = process.argv[1].split('.'); [a, b, Number(c) + 1].join('.')" "$old_version")"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
make_test_tls "$work/tls"
npx tauri signer generate --ci -p "" -w "$work/updater.key" >/dev/null
npx tauri signer generate --ci -p "" -w "$work/other.key" >/dev/null
overlay() { # <version> → the configuration overlay of that build
  node -e '
    const [version, pubkey, endpoint] = process.argv.slice(1);
    console.log(JSON.stringify({ version, plugins: { updater: { pubkey, endpoints: [endpoint], requireSignedVersion: true } } }));
  ' "$1" "$(cat "$work/updater.key.pub")" "https://127.0.0.1:$port/latest.json"
}
# The same command as npm test's build (same features, same dependency resolution): with another
# TAURI_CONFIG only the app crate is compiled again.
build_as() { # <version> <bundles> <dir>
  TAURI_CONFIG="$(overlay "$1")" cargo test --workspace --locked \
    --features kep-renew/custom-protocol,kep-renew/e2e-hooks --no-run --test ipc >"$results/build-$1.log" 2>&1 ||
    { tail -30 "$results/build-$1.log" >&2; die "the $1 build failed"; }
  rm -rf target/debug/bundle
  npx tauri bundle --debug --bundles "$2" --config "$(overlay "$1")" >"$results/bundle-$1.log" 2>&1 ||
    { cat "$results/bundle-$1.log" >&2; die "tauri bundle failed for $1"; }
  mkdir -p "$3"
  cp -r target/debug/bundle/. "$3/"
}
build_as "$new_version" deb "$work/bundle-new"
build_as "$old_version" deb,rpm "$work/bundle-old"
new_deb="$(ls "$work"/bundle-new/deb/*.deb)"
# The updater's signatures: the release key's, bound to the version, and another key's.
npx tauri signer sign -f "$work/updater.key" -p "" --app-version "$new_version" "$new_deb" >/dev/null
cp "$new_deb" "$work/other.deb"
npx tauri signer sign -f "$work/other.key" -p "" --app-version "$new_version" "$work/other.deb" >/dev/null
mkdir -p "$work/served"
# The release server's three manifests (scripts/release-manifest.mjs, as a release makes it): the
# genuine package and signature, another key's signature, a changed package.
printf 'Исправлено: установка сертификата на Рутокен после перезапуска.\n' >"$work/notes.txt"
served="https://127.0.0.1:$port"
manifest() { # <name> <served file> <signature>
  node scripts/release-manifest.mjs --out "$work/served/$1.json" --version "$new_version" --notes-file "$work/notes.txt" \
    --entry "linux-x86_64-deb=$served/$2=$3" >/dev/null
}
manifest genuine "kep-renew_${new_version}_amd64.deb" "$new_deb.sig"
manifest other-key "kep-renew_${new_version}_amd64.deb" "$work/other.deb.sig"
manifest changed "changed_${new_version}_amd64.deb" "$new_deb.sig"
chmod -R a+rX "$work"
echo "ok: $old_version and $new_version built ($(stat -c %s "$new_deb") bytes per .deb)"

step "Signing with a throwaway GPG key"
export GNUPGHOME="$work/gnupg"
mkdir -m 0700 "$GNUPGHOME"
new_key() { # <name> → prints the fingerprint
  gpg --batch --passphrase '' --quick-gen-key "$1 <packages@keprenew.invalid>" rsa3072 sign 1d 2>/dev/null
  gpg --batch --list-secret-keys --with-colons "$1" 2>/dev/null | awk -F: '/^fpr/ { print $10; exit }'
}
key="$(new_key "KEP Renew test packages")"
other="$(new_key "Someone else")"
KEP_RENEW_GPG_KEY="$key" bash scripts/sign-packages.sh "$work/bundle-old" "$work/signed"
chmod -R a+rX "$work/signed"
rpm_file="$(ls "$work"/signed/rpm/*.rpm)"
repo="$work/signed/apt"

step "rpm -K: the signed package, tampered, and without the key"
rpmdb="$work/rpmdb"
mkdir "$rpmdb"
rpm --dbpath "$rpmdb" --import "$repo/kep-renew-archive-keyring.asc"
rpm --dbpath "$rpmdb" -K "$rpm_file" | tee "$results/rpm-K.txt" | grep -q 'digests signatures OK' || die "rpm -K refused the signed package"
cp "$rpm_file" "$work/tampered.rpm"
size="$(stat -c %s "$work/tampered.rpm")"
printf 'X' | dd of="$work/tampered.rpm" bs=1 seek=$((size / 2)) conv=notrunc status=none
if rpm --dbpath "$rpmdb" -K "$work/tampered.rpm" >"$results/rpm-K-tampered.txt" 2>&1; then
  die "rpm -K accepted a tampered package: $(cat "$results/rpm-K-tampered.txt")"
fi
mkdir "$work/emptydb"
if rpm --dbpath "$work/emptydb" -K "$rpm_file" >"$results/rpm-K-nokey.txt" 2>&1; then
  die "rpm -K accepted the package without its key: $(cat "$results/rpm-K-nokey.txt")"
fi
grep -q 'NOKEY\|NOT OK' "$results/rpm-K-nokey.txt" || die "rpm -K without the key said: $(cat "$results/rpm-K-nokey.txt")"
echo "ok: $(cat "$results/rpm-K.txt")"

# apt-get on lists, caches and sources of its own: `repo_apt <name> <repo> <apt-get args…>`.
repo_apt() {
  local name="$1" root="$2"
  shift 2
  local dir="$work/apt-$name"
  mkdir -p "$dir/lists/partial" "$dir/archives/partial" "$dir/parts"
  echo "deb [signed-by=$repo/kep-renew-archive-keyring.gpg] file:$root stable main" >"$dir/sources.list"
  apt-get -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts="$dir/parts" \
    -o Dir::State::Lists="$dir/lists" -o Dir::Cache::Archives="$dir/archives" \
    -o APT::Get::List-Cleanup=false -o Acquire::Languages=none "$@"
}

step "apt: a repository signed by another key, and a changed .deb, are refused"
cp -a "$repo" "$work/forged"
gpg --batch --yes --local-user "$other" --clearsign -o "$work/forged/dists/stable/InRelease" "$work/forged/dists/stable/Release"
rm "$work/forged/dists/stable/Release.gpg"
if repo_apt forged "$work/forged" update >"$results/apt-forged.txt" 2>&1 &&
  ! grep -q 'NO_PUBKEY\|not signed\|EXPKEYSIG\|BADSIG' "$results/apt-forged.txt"; then
  die "apt accepted a repository signed by another key: $(cat "$results/apt-forged.txt")"
fi
if repo_apt forged "$work/forged" install -y kep-renew >>"$results/apt-forged.txt" 2>&1; then
  die "apt installed from a repository signed by another key"
fi
cp -a "$repo" "$work/changed"
deb="$(ls "$work"/changed/pool/main/k/kep-renew/*.deb)"
size="$(stat -c %s "$deb")"
printf 'X' | dd of="$deb" bs=1 seek=$((size / 2)) conv=notrunc status=none
repo_apt changed "$work/changed" update >"$results/apt-changed.txt" 2>&1 || die "apt update failed on the signed repository: $(cat "$results/apt-changed.txt")"
if repo_apt changed "$work/changed" install -y kep-renew >>"$results/apt-changed.txt" 2>&1; then
  die "apt installed a .deb whose bytes changed"
fi
grep -q 'Hash Sum mismatch\|unexpected size\|Hashes of expected file' "$results/apt-changed.txt" || die "apt refused the changed .deb, but not for its hash: $(tail -5 "$results/apt-changed.txt")"
dpkg-query -W kep-renew >/dev/null 2>&1 && die "a refused package is on the machine"
echo "ok: both refused"

step "apt-get install kep-renew from the signed repository"
repo_apt signed "$repo" update >"$results/apt-install.txt" 2>&1 || die "apt update failed: $(cat "$results/apt-install.txt")"
repo_apt signed "$repo" install -y --no-install-recommends kep-renew >>"$results/apt-install.txt" 2>&1 ||
  die "apt-get install failed: $(tail -20 "$results/apt-install.txt")"
[ "$(dpkg-query -W -f '${Version}' kep-renew)" = "$old_version" ] || die "the installed version is not $old_version"
[ -x /usr/bin/kep-renew ] || die "/usr/bin/kep-renew is not there"
desktop="$(dpkg -L kep-renew | grep '\.desktop$')" || die "the package installs no .desktop file"
grep -q '^Exec=kep-renew' "$desktop" || die "$desktop does not start kep-renew"
echo "ok: kep-renew $old_version installed ($(dpkg -L kep-renew | wc -l) paths)"

step "The installed app in the virtual display, and its update to $new_version"
python3 tests/install/update_server.py "$work/served" "$port" "$work/tls/chain.pem" "$work/tls/key.pem" \
  "$results/update-server.log" >"$results/update-server.out" 2>&1 &
UPDATE_SERVER_PID=$!
mkdir -p "$work/home" "$work/data" "$work/app"
mkdir -m 0700 "$work/run"
HOME="$work/home" XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/run" \
  KEP_RENEW_DATA_DIR="$work/app" KEP_UPDATE_TLS_ROOT="$work/tls/root.pem" \
  INSTALL_RESULTS="$results" INSTALLED_VERSION="$old_version" UPDATE_NEW_VERSION="$new_version" \
  UPDATE_SERVED="$work/served" UPDATE_SERVER="https://127.0.0.1:$port/" \
  UPDATE_SERVER_LOG="$results/update-server.log" UPDATE_DEB="$new_deb" UPDATE_NOTES="$work/notes.txt" \
  timeout --kill-after=10 420 dbus-run-session -- \
  xvfb-run --auto-servernum --server-args="-screen 0 1280x900x24" \
  bash -c 'tauri-driver --port 4444 >"$INSTALL_RESULTS/tauri-driver.log" 2>&1 & driver=$!
    trap "kill $driver 2>/dev/null || true" EXIT
    node --test --test-concurrency=1 --test-timeout=300000 tests/install/installed.test.mjs tests/install/update.test.mjs' \
  2>"$results/display.log" ||
  { tail -n 30 "$results/display.log" >&2; die "the installed app did not do as it should"; }
[ "$(dpkg-query -W -f '${Version}' kep-renew)" = "$new_version" ] || die "the update did not leave $new_version installed"

step "apt-get purge kep-renew"
apt-get purge -y kep-renew >"$results/apt-purge.txt" 2>&1 || die "apt-get purge failed: $(tail -5 "$results/apt-purge.txt")"
[ ! -e /usr/bin/kep-renew ] || die "/usr/bin/kep-renew is still there"
[ ! -e "$desktop" ] || die "$desktop is still there"
dpkg-query -W -f '${Status}' kep-renew 2>/dev/null | grep -q 'installed' && die "dpkg still lists kep-renew"
echo "ok: removed, nothing left"
