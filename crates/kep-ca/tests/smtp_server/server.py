"""A real SMTP server for the e-mail tests (Debian's python3-aiosmtpd): STARTTLS required (or
implicit TLS with --implicit), AUTH required over TLS, one login. Every message is written to
OUT as N.json with what a mail client would show: sender, recipients, decoded subject and body,
content type and charset. Prints "ready" once it listens; stops when stdin closes."""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import pathlib
import ssl
import sys
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--cert", required=True)
parser.add_argument("--key", required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--login", required=True)
parser.add_argument("--password", required=True)
parser.add_argument("--implicit", action="store_true")
args = parser.parse_args()
# aiosmtpd 1.4 warns about its own deprecated attribute on every login.
warnings.filterwarnings("ignore", category=DeprecationWarning)
logging.getLogger("mail.log").setLevel(logging.ERROR)
out = pathlib.Path(args.out)
out.mkdir(parents=True, exist_ok=True)


class Recorder:
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "content_type": body.get_content_type(),
            "charset": body.get_content_charset(),
            "body": body.get_content(),
            "authenticated": session.authenticated,
            # With implicit TLS the whole connection is TLS from the first byte.
            "tls": args.implicit or session.ssl is not None,
        }
        n = len(list(out.glob("*.json")))
        (out / f"{n}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == args.login
        and auth_data.password.decode() == args.password
    )
    return AuthResult(success=ok, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(args.cert, args.key)
common = dict(
    hostname="127.0.0.1",
    port=args.port,
    authenticator=authenticator,
    # STARTTLS: AUTH only after the upgrade. Implicit TLS: the connection is TLS throughout
    # (aiosmtpd 1.4 does not see that and would refuse AUTH).
    auth_require_tls=not args.implicit,
    auth_exclude_mechanism=["CRAM-MD5"],
)
if args.implicit:
    controller = Controller(Recorder(), ssl_context=context, **common)
else:
    controller = Controller(
        Recorder(), tls_context=context, require_starttls=True, **common
    )
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
