#!/usr/bin/env bash
# Makes the upgrade fixture of this release (issue 17): the demo's first node, with content
# of many kinds (posts, needs and offers, events with participants from the other nodes,
# follows both ways, a coalition of three with its log), as its SQLite database in
# tests/fixtures/upgrade/<version>.sqlite. Run it once per release before the first new
# migration; tests/tests/upgrades.rs migrates every fixture there to the current schema.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p buurtnet --bin buurtnet
binary="${CARGO_TARGET_DIR:-target}/debug/buurtnet"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BUURTNET_CONFIG=/dev/null BUURTNET_DATA_DIR="$work" BUURTNET_LOG=warn "$binary" demo --base-port "$port" >"$work/log" 2>&1 </dev/null &
pid=$!
for _ in $(seq 1 240); do
  grep -q "Ctrl-C" "$work/log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/log"; exit 1; }
  sleep 0.5
done
grep -q "Ctrl-C" "$work/log" || { echo "the demo did not come up"; cat "$work/log"; exit 1; }
kill -INT "$pid"
wait "$pid" || true
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
mkdir -p tests/fixtures/upgrade
cp "$work/demo/zorgvrijstaat/buurtnet.db" "tests/fixtures/upgrade/$version.sqlite"
echo "tests/fixtures/upgrade/$version.sqlite: $(stat -c %s "tests/fixtures/upgrade/$version.sqlite") bytes"
