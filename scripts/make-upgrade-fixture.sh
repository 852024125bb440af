#!/usr/bin/env bash
# Makes the upgrade fixtures of this release (issue 17): the demo's first node, with content
# of many kinds (posts, needs and offers, events with participants from the other nodes,
# follows both ways, a coalition of three with its log), once on SQLite
# (tests/fixtures/upgrade/<version>.sqlite) and once on PostgreSQL, as a plain pg_dump
# (tests/fixtures/upgrade/<version>.postgres.sql), made on a throwaway cluster. Run it once
# per release before the first new migration; tests/tests/upgrades.rs migrates every fixture
# there to the current schema. `--only-postgres` or `--only-sqlite` makes one of the two.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:$(ls -d /usr/lib/postgresql/*/bin | head -1)"
cargo build -q -p buurtnet --bin buurtnet
binary="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/debug/buurtnet"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
mkdir -p tests/fixtures/upgrade
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "${pgdata:-}" ] && runuser -u postgres -- pg_ctl -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "${work:-}" "${pgdir:-}"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Runs the demo in $work with the extra arguments given, until it has filled its nodes.
run_demo() {
  work=$(mktemp -d)
  BUURTNET_CONFIG=/dev/null BUURTNET_DATA_DIR="$work" BUURTNET_LOG=warn "$binary" demo --base-port "$(free_port)" "$@" >"$work/log" 2>&1 </dev/null &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 1 240); do
    grep -qs "Ctrl-C" "$work/log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
    sleep 0.5
  done
  grep -q "Ctrl-C" "$work/log" || { echo "the demo did not come up"; cat "$work/log"; exit 1; }
  kill -INT "$pid"
  wait "$pid" || true
}

if [ "${1:-}" != "--only-postgres" ]; then
  run_demo
  cp "$work/demo/zorgvrijstaat/buurtnet.db" "tests/fixtures/upgrade/$version.sqlite"
  echo "tests/fixtures/upgrade/$version.sqlite: $(stat -c %s "tests/fixtures/upgrade/$version.sqlite") bytes"
  rm -rf "$work"
fi

if [ "${1:-}" != "--only-sqlite" ]; then
  pgdir=$(mktemp -d /tmp/buurtnet-fixture-pg.XXXXXX)
  pgdata="$pgdir/data"
  pgport=$(free_port)
  chown postgres:postgres "$pgdir"
  runuser -u postgres -- initdb -D "$pgdata" -A trust -U postgres --no-sync -E UTF8 >/dev/null
  runuser -u postgres -- pg_ctl -D "$pgdata" -o "-k $pgdir -p $pgport -c listen_addresses=127.0.0.1 -c fsync=off" -l "$pgdir/log" -w start >/dev/null
  for node in zorgvrijstaat wijkpaleis middellander; do
    createdb -h 127.0.0.1 -p "$pgport" -U postgres "demo_$node"
  done
  run_demo --postgres "postgres://postgres@127.0.0.1:$pgport/demo_{node}"
  out="tests/fixtures/upgrade/$version.postgres.sql"
  pg_dump --no-owner --no-privileges -h 127.0.0.1 -p "$pgport" -U postgres demo_zorgvrijstaat >"$out"
  echo "$out: $(stat -c %s "$out") bytes"
fi
