#!/usr/bin/env bash
# `npm test`: every check the project promises, in one run. Benchmarks, fuzzing and packaging are
# separate (`npm run bench`, `npm run fuzz`, `npm run build`).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

# The app crate serves the built UI in tests and e2e (one binary, built once by `cargo test`).
# `e2e-hooks` only acts when KEP_E2E_CONTROL_DIR is set (scripts/e2e.sh); releases never have it.
FEATURES=(--features kep-renew/custom-protocol,kep-renew/e2e-hooks)
started=$SECONDS
declare -a timings=()
timed() {
  local name="$1"; shift
  local t0=$SECONDS
  step "$name"
  "$@"
  timings+=("$(printf '%-28s %4ds' "$name" $((SECONDS - t0)))")
}

timed "set-up" bash scripts/setup.sh test
# The GOST-capable SoftHSM2 for kep-token's tests (setup built it; this only prints the path).
KEP_SOFTHSM_GOST="$(bash scripts/softhsm-gost.sh | tail -n1)"
export KEP_SOFTHSM_GOST
timed "rustfmt" cargo fmt --all --check
timed "no aws-lc in the tree" bash scripts/check-aws-lc.sh
timed "UI build" npm run --silent ui:build
timed "cargo test (+ bindings)" bash scripts/check-bindings.sh "${FEATURES[@]}"
# The kep-ca suite once more with every service on PostgreSQL instead of SQLite: the same tests
# (those about the binary on SQLite, several instances and a failing database already run on
# their own databases above), the binaries the first run built (nothing is compiled again);
# kep-client's own `issuance` test comes along (it runs its CA on SQLite either way).
PG_SUITE=(applications renewals trust_import console idempotency issuance login operators operator_accounts outbox
  production providers smtp statement)
timed "kep-ca on PostgreSQL" bash scripts/with-postgres.sh env KEP_CA_TEST_STORE=postgres \
  bash scripts/run-test-binaries.sh --workspace "${FEATURES[@]}" --locked -- "${PG_SUITE[@]}"
timed "API vs its OpenAPI" bash scripts/api-check.sh
timed "clippy" cargo clippy --workspace --all-targets "${FEATURES[@]}" --locked -- -D warnings
timed "kep-token, PKCS#11 alone" bash scripts/check-token-features.sh
timed "kep-gost constant time" bash scripts/ct-check.sh
timed "GitHub workflows" /usr/bin/python3 scripts/check-workflows.py
timed "svelte-check" npm run --silent ui:check
timed "UI unit tests" npm run --silent ui:test
timed "end-to-end (real window)" bash scripts/e2e.sh
timed "packages (sign, install)" bash scripts/package-test.sh

step "Timings"
printf '%s\n' "${timings[@]}"
printf '%-28s %4ds\n' "total" $((SECONDS - started))
