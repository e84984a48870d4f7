#!/usr/bin/env bash
# with-postgres.sh CMD...: runs CMD with MOCKPAY_TEST_POSTGRES naming a
# throw-away PostgreSQL cluster: Debian's postgresql package (the server
# binaries under /usr/lib/postgresql/*/bin), initdb'd in a temporary
# directory, on a free loopback port, removed afterwards. No Docker. initdb
# refuses to run as root (CI runs as root), so as root the cluster belongs
# to the postgres user the package creates.
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "with-postgres.sh: no PostgreSQL server (apt-get install postgresql)" >&2
  exit 1
fi

dir=$(mktemp -d /tmp/mockpay-pg.XXXXXX)
as=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$dir"
  as=(runuser -u postgres --)
fi
"${as[@]}" "$bin/initdb" -D "$dir/data" -U mockpay -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }

stop() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

# A free port: a random one nobody listens on; when another process takes
# it first, the server fails to bind and the next try picks another.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
for try in 1 2 3 4 5; do
  port=$(free_port)
  if "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null; then
    break
  fi
  [ "$try" = 5 ] && { cat "$dir/server.log" >&2; exit 1; }
done

export MOCKPAY_TEST_POSTGRES="postgres://mockpay@127.0.0.1:$port/postgres?sslmode=disable"
echo "with-postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $port" >&2
"$@"
