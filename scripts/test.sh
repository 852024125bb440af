#!/usr/bin/env bash
# Runs every test of Buurtnet: installs what the tests need (pinned: PostgreSQL server
# binaries, the Fedify, bovine and bovine-herd peers, the toot and Mastodon.py clients), then
# cargo test.
# PostgreSQL: the tests start their own throwaway cluster (tests/src/pg.rs) with the server
# binaries of this machine; this script only makes sure they are there.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh
scripts/install-interop-deps.sh
scripts/install-client-deps.sh
scripts/install-browser-deps.sh
# Debian keeps the server binaries out of PATH.
for pg_bin in /usr/lib/postgresql/*/bin; do
  [ -d "$pg_bin" ] && PATH="$PATH:$pg_bin"
done
export PATH

export CARGO_TERM_COLOR=never
# A clean build with the fuzz targets takes about 20 GB. A full disk shows up as failing tests
# ("database or disk is full"), so say early how much is free (CI failed that way once).
free_gb=$(df -Pk . | awk 'NR == 2 { print int($4 / 1048576) }')
echo "test.sh: ${free_gb} GB free on this disk"
if [ "$free_gb" -lt 20 ]; then
  echo "test.sh: WARNING: under 20 GB free; the build and the tests may fill the disk" >&2
fi
# A clean CI build gains nothing from incremental artefacts, and they doubled the disk a
# run needs (one CI run failed with "No space left on device").
if [ "${CI:-}" = "true" ]; then
  export CARGO_INCREMENTAL=0
fi
# Build everything first (the binary too: one scenario runs `buurtnet serve` as a process).
cargo build --workspace --all-targets
cargo test --workspace --no-fail-fast "$@"

# Fuzzing every parser of foreign input for a bounded time (docs/security.md "Fuzzing").
# Building the targets takes a quarter of an hour from clean, so it runs in CI and when asked.
if [ "${CI:-}" = "true" ] || [ "${BUURTNET_FUZZ:-}" = "1" ]; then
  scripts/fuzz.sh
else
  echo "test.sh: FUZZING NOT RUN here (it runs in CI; BUURTNET_FUZZ=1 scripts/test.sh or scripts/fuzz.sh runs it)"
fi
