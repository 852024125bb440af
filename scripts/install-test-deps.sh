#!/usr/bin/env bash
# Installs what the tests need beyond Rust, pinned: PostgreSQL server binaries (if missing).
# Safe to run again; it only installs what is not there yet.
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1; }

if ! have initdb || ! have pg_ctl; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$pg_bin" ]; then
    echo "install-test-deps: installing PostgreSQL server binaries (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "install-test-deps: PostgreSQL binaries in $pg_bin"
fi
have runuser || { echo "install-test-deps: runuser is missing (util-linux)"; exit 1; }
id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
echo "install-test-deps: ok"
