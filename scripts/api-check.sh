#!/usr/bin/env bash
# The CA's API against its OpenAPI description: schemathesis (pinned; tests/api/) with every
# check, a fixed seed and a bounded number of examples, against a fresh dev CA on loopback,
# logged in as the dev applicant and the dev operator. Bounded by `timeout` (3 minutes).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

schemathesis="$(ensure_schemathesis)"
[ -x "$ROOT/target/debug/kep-ca" ] || cargo build -p kep-ca --locked --quiet
work="$(mktemp -d "${TMPDIR:-/tmp}/kep-api.XXXXXX")"
cleanup() {
  kill "${DEV_CA_PID:-}" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
export KEP_CA_SCRYPT_LOG_N=10 # throwaway CA keys: cheap scrypt (kep-ca warns)
mkdir -p "$ROOT/test-results"
start_dev_ca "$work/ca" "127.0.0.1:$port" "$ROOT/test-results/api-kep-ca.log"

json() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
phone="+79990000001"
curl -sf -X POST -H 'content-type: application/json' -d "{\"phone\":\"$phone\"}" "$base/api/v1/auth/code" >/dev/null
code="$(curl -sf "$base/dev/calls/last" | json caller | tr -dc 0-9 | tail -c 4)"
KEP_API_APPLICANT_TOKEN="$(curl -sf -X POST -H 'content-type: application/json' \
  -d "{\"phone\":\"$phone\",\"code\":\"$code\"}" "$base/api/v1/auth/verify" | json token)"
KEP_API_OPERATOR_TOKEN="$(curl -sf -X POST -H 'content-type: application/json' \
  -d '{"login":"operator","password":"kep-renew-dev-operator"}' "$base/api/v1/operator/login" | json token)"
export KEP_API_APPLICANT_TOKEN KEP_API_OPERATOR_TOKEN

# Logging out ends the session the run uses: every other operation first, then the logout;
# both passes together within 3 minutes.
started=$SECONDS
run() {
  local remaining=$((180 - (SECONDS - started)))
  [ "$remaining" -gt 0 ] || die "the API check ran out of its 3 minutes"
  SCHEMATHESIS_HOOKS=tests.api.hooks PYTHONPATH="$ROOT" timeout --kill-after=10 "$remaining" \
    "$schemathesis" --config-file tests/api/schemathesis.toml run "$base/api/v1/openapi.json" \
    --checks all --seed 20261201 --max-examples 25 --workers 2 \
    --report junit --report-dir "$ROOT/test-results/api" "$@"
}
run --exclude-path /api/v1/auth/logout
run --include-path /api/v1/auth/logout
