#!/usr/bin/env bash
# Installs the Mastodon clients that tests/tests/clients.rs drives against a real node, pinned:
#   tests/clients/.venv          (pip from requirements.lock: toot 0.52.1, Mastodon.py 2.3.3 and their deps)
#   tests/clients/node_modules   (npm ci from package-lock.json: masto 7.12.0, megalodon 10.0.5; Node 20)
# They live apart from tests/interop/.venv because toot needs an older python-dateutil than
# icalendar does. Only PyPI (or its configured mirror) is used. Quick when already there.
set -euo pipefail
cd "$(dirname "$0")/../tests/clients"

step="starting"
trap 'echo "install-client-deps: FAILED while $step (in $PWD); the client tests need this" >&2' ERR

command -v python3 >/dev/null || { echo "install-client-deps: FAILED: python3 is not installed" >&2; exit 1; }
command -v npm >/dev/null || { echo "install-client-deps: FAILED: npm is not installed (Node 20 runs masto.js)" >&2; exit 1; }

if [ ! -f node_modules/masto/package.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step="installing masto and megalodon with npm ci (tests/clients/package-lock.json)"
  echo "install-client-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -x .venv/bin/python ] || [ ! -f .venv/installed ] || [ requirements.lock -nt .venv/installed ]; then
  step="creating tests/clients/.venv (python3 -m venv; Debian needs the python3-venv package)"
  echo "install-client-deps: python venv with toot and Mastodon.py"
  python3 -m venv .venv
  step="installing the clients with pip (tests/clients/requirements.lock)"
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
  step="checking the client install"
  .venv/bin/python -c 'import mastodon, toot'
  .venv/bin/toot --version >/dev/null
  touch .venv/installed
fi
step="checking the masto.js install"
[ -f node_modules/masto/package.json ] && [ -f node_modules/megalodon/package.json ]
echo "install-client-deps: ok"
