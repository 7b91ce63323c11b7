#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster: Debian's server (scripts/setup.sh
# installs it) initialised in a temporary folder, listening on a free loopback port, as the
# `postgres` user when we are root (initdb refuses root). The command sees the server as
# KEP_TEST_POSTGRES ("host=127.0.0.1 port=N user=kep"); tests make their own databases on it.
# The cluster is stopped and its folder removed when the command ends, however it ends.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
[ -x "$bin/initdb" ] || die "PostgreSQL is not installed: run scripts/setup.sh test"
dir="$(mktemp -d /tmp/kep-pg.XXXXXX)"
port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
owner=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  owner=(runuser -u postgres --)
fi
stop() {
  "${owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U kep -E UTF8 --no-sync >/dev/null
"${owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null ||
  { cat "$dir/log" >&2; die "PostgreSQL did not start"; }
export KEP_TEST_POSTGRES="host=127.0.0.1 port=$port user=kep"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throwaway, $dir)"
"$@"
