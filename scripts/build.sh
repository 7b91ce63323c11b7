#!/usr/bin/env bash
# `npm run build`: release bundles. Here (Linux, offline) that is the .deb; pass other bundle
# names to try more, e.g. `npm run build -- deb,rpm`. The signed .msi and .AppImage are made by
# .github/workflows/release.yml on hosted runners (the AppImage tools and WiX are downloaded from
# GitHub, which this machine cannot reach).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bundles="${1:-deb}"
bash scripts/setup.sh app
step "Building release bundles: $bundles"
npx tauri build --bundles "$bundles"
step "Bundles"
find target/release/bundle -maxdepth 2 -type f \( -name '*.deb' -o -name '*.rpm' -o -name '*.AppImage' \) -printf '%p  %s bytes\n'
