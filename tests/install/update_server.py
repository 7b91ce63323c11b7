"""A release server on loopback for the update test: serves a folder over HTTPS (the test's
TLS certificate) and logs each request's path, so the test sees what the app fetched.

usage: update_server.py <folder> <port> <chain.pem> <key.pem> <log>
"""

import http.server
import ssl
import sys
from functools import partial


def main() -> None:
    folder, port, chain, key, log = sys.argv[1:6]

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{self.command} {self.path} {args[1] if len(args) > 1 else ''}\n")

        def end_headers(self) -> None:
            # The manifest changes between the test's steps: never from a cache.
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(port)), partial(Handler, directory=folder))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print("serving", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
