# Sourced by tests/run.sh: starts a throwaway PostgreSQL cluster for the tests and removes it
# when the shell exits (also on failure). The machine image has PostgreSQL 15; when `initdb`
# is missing it is installed with apt-get. The server runs as the `postgres` user on a free
# loopback port, with its data in a new temporary directory; trust authentication on
# 127.0.0.1 only. Exports VERSUS_TEST_POSTGRES (an admin URL) and VERSUS_TEST_PG_BIN.

pg_bin() {
  local found
  found=$(command -v "$1" 2>/dev/null || true)
  if [ -z "$found" ]; then
    # Debian keeps the server programs off PATH, in its postgresql-N package: ask dpkg where.
    found=$(dpkg-query -W -f='${Package}\n' 'postgresql-[0-9]*' 2>/dev/null \
      | xargs -r dpkg -L 2>/dev/null | grep "/bin/$1\$" | sort -V | tail -n 1 || true)
  fi
  echo "$found"
}

if [ -z "$(pg_bin initdb)" ]; then
  echo "installing PostgreSQL (apt-get)"
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
PG_INITDB=$(pg_bin initdb)
PG_CTL=$(pg_bin pg_ctl)
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_dir=$(mktemp -d -t versus-pg.XXXXXX)
chmod 755 "$pg_dir"
[ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop_postgres() {
  as_postgres "$PG_CTL" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_postgres EXIT

as_postgres "$PG_INITDB" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
as_postgres "$PG_CTL" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=${VERSUS_TEST_PG_FSYNC:-off} -c max_connections=200" start >/dev/null

export VERSUS_TEST_POSTGRES="postgres://postgres@127.0.0.1:$pg_port/postgres"
# The outage test starts (and stops) a cluster of its own with these programs.
export VERSUS_TEST_PG_BIN="$(dirname "$PG_INITDB")"
echo "PostgreSQL for the tests on 127.0.0.1:$pg_port (data in $pg_dir)"
