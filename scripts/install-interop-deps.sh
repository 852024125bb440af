#!/usr/bin/env bash
# Installs the independent ActivityPub peers for tests/tests/interop.rs, pinned:
#   tests/interop/node_modules  (npm ci from package-lock.json: @fedify/fedify 1.5.9)
#   tests/interop/.venv         (pip from requirements.lock: bovine 0.5.19 and its pinned deps)
# Quick when they are already there.
set -euo pipefail
cd "$(dirname "$0")/../tests/interop"

if [ ! -f node_modules/@fedify/fedify/package.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "install-interop-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -x .venv/bin/python ] || [ requirements.lock -nt .venv/installed ]; then
  echo "install-interop-deps: python venv with bovine"
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
  touch .venv/installed
fi
echo "install-interop-deps: ok"
