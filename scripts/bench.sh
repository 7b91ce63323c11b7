#!/usr/bin/env bash
# `npm run bench [criterion filter]`: the workspace's criterion benchmarks in release mode.
# kep-gost is measured against OpenSSL's gost engine in the same run, three times; the ratio table
# (medians of the three) is printed at the end (and written to target/criterion/gost-ratio.md).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_rust
ensure_apt_packages libssl-dev pkg-config openssl libengine-gost-openssl python3 postgresql softhsm2

conf="$ROOT/target/bench/openssl-gost.cnf"
mkdir -p "$(dirname "$conf")"
engines="$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')"
cat >"$conf" <<CNF
openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
dynamic_path = $engines/gost.so
default_algorithms = ALL
CNF

step "kep-gost against OpenSSL's gost engine"
# Build first, then run the bench binary with the engine config: cargo itself links OpenSSL and
# must not load the engine.
bench_bin="$(cargo bench -p kep-gost --features engine-comparison --bench gost --no-run \
  --message-format=json | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "gost" and m.get("executable"):
        print(m["executable"])')"
[ -x "$bench_bin" ] || die "the gost benchmark did not build"
# Three runs (each kep-gost next to the engine, family by family): the table takes the median.
runs=()
for run in 1 2 3; do
  home="$ROOT/target/criterion-gost/run$run"
  (cd crates/kep-gost && OPENSSL_CONF="$conf" CRITERION_HOME="$home" "$bench_bin" --bench "$@")
  runs+=("$home")
done

step "kep-ca: status polling, 200 clients, median of 3: SQLite, PostgreSQL, two instances on PostgreSQL"
cargo bench -p kep-ca --bench polling

step "kep-ca: issuance on SQLite (issuing key in a file, then on SoftHSM) and on PostgreSQL, next to the raw signing rates"
cargo bench -p kep-ca --bench issuance

step "kep-ca: OCSP answers, 50 clients with nonces, median of 3"
cargo bench -p kep-ca --bench ocsp

step "kep-ca: a signer's path against 60 000 listed certificates, indexed and not"
cargo bench -p kep-ca --bench trust_path

bash scripts/trust-list-memory.sh

step "kep-client: a 2 GiB sparse file signed as a stream (peak memory before and after, must grow < 64 MiB)"
cargo run --release --locked -p kep-client --example sign_large_file -- 2
# Baseline, same run: OpenSSL's gost engine hashing a file of the same size with Streebog-256
# (the signing above is hash-bound).
sparse="$(mktemp "${TMPDIR:-/tmp}/kep-bench-sparse.XXXXXX")"
truncate -s 2G "$sparse"
TIMEFORMAT='baseline: openssl dgst -md_gost12_256 over the same 2 GiB: %R s'
time (OPENSSL_CONF="$conf" openssl dgst -md_gost12_256 "$sparse" >/dev/null)
rm -f "$sparse"

step "Ratios (OpenSSL time / kep-gost time: above 1 means kep-gost is faster)"
mkdir -p target/criterion
python3 scripts/bench-table.py "${runs[@]}" | tee target/criterion/gost-ratio.md
