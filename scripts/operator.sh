#!/usr/bin/env bash
# `npm run operator -- <action> …`: the CA's side of the demo, from a terminal, against the local
# CA (`npm run demo`; another with KEP_CA_URL). Logs in as the dev accounts and calls the operator
# API (/api/v1/openapi.json documents it).
#
#   queue [in_review|statement_in_review|awaiting_identity]   applications waiting
#   approve ID                      approve the application («Ваш сертификат готов к выпуску!»)
#   request-documents ID COMMENT    ask for documents
#   reject ID COMMENT               reject the application
#   statement-approve ID            accept a scanned, hand-signed statement
#   statement-reject ID COMMENT     reject the scan with a comment
#   confirm-identity ID             the responsible officer confirms identity in person
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CA="${KEP_CA_URL:-http://127.0.0.1:8443/}"
CA="${CA%/}"
PASSWORD=kep-renew-dev-operator

json() { python3 -c 'import json,sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2])), ensure_ascii=False))' "$@"; }

# The demo's authenticator secrets (kep_ca::dev_seed; `npm run demo` enrolls them).
secret_of() { case "$1" in operator) echo KEPRENEWDEMOREVIEWER2222222222AA ;; officer) echo KEPRENEWDEMOOFFICER3333333333BBB ;; esac; }

# The current TOTP code (RFC 6238) of a base32 secret.
totp() {
  python3 - "$1" <<'PY'
import base64, hashlib, hmac, struct, sys, time
secret = sys.argv[1]
key = base64.b32decode(secret + "=" * (-len(secret) % 8))
mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
offset = mac[-1] & 15
print("%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000))
PY
}

token() {
  local answer
  # A code is accepted once: a second login within the same 30 s waits for the next one.
  for _ in 1 2; do
    if answer="$(curl -fsS -H 'content-type: application/json' \
      -d "$(json login "$1" password "$PASSWORD" totp "$(totp "$(secret_of "$1")")")" \
      "$CA/api/v1/operator/login")"; then
      python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' <<<"$answer"
      return 0
    fi
    sleep $((30 - $(date +%s) % 30 + 1))
  done
  return 1
}

call() {
  local who="$1" method="$2" path="$3" body="${4:-}"
  local auth
  auth="$(token "$who")" || die "cannot log in as $who at $CA (is the demo CA running?)"
  curl -sS -X "$method" -H "authorization: Bearer $auth" -H 'content-type: application/json' \
    ${body:+-d "$body"} "$CA$path" | python3 -c '
import json, sys
text = sys.stdin.read()
try:
    data = json.loads(text)
except ValueError:
    print(text or "ok"); sys.exit(0)
if isinstance(data, list):
    if not data:
        print("(none waiting)")
    for a in data:
        print("%4s  %-22s %s" % (a["id"], a["status"], (a.get("requisites") or {}).get("surname", "")))
elif isinstance(data, dict) and "kind" in data:
    print("%s: %s" % (data["kind"], data["message"])); sys.exit(1)
elif isinstance(data, dict):
    print("application %s: %s" % (data["id"], data["status"]))
else:
    print(data)'
}

action="${1:-}"; shift || true
case "$action" in
  queue) call operator GET "/api/v1/operator/queue?status=${1:-in_review}" ;;
  approve) call operator POST "/api/v1/operator/applications/$1/decision" "$(json decision approve)" ;;
  request-documents) call operator POST "/api/v1/operator/applications/$1/decision" "$(json decision request_documents comment "$2")" ;;
  reject) call operator POST "/api/v1/operator/applications/$1/decision" "$(json decision reject comment "$2")" ;;
  statement-approve) call operator POST "/api/v1/operator/applications/$1/statement-decision" "$(json decision approve)" ;;
  statement-reject) call operator POST "/api/v1/operator/applications/$1/statement-decision" "$(json decision reject comment "$2")" ;;
  confirm-identity) call officer POST "/api/v1/operator/applications/$1/identity" ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
