#!/usr/bin/env bash
# Installs the independent ActivityPub peers for tests/tests/interop.rs, pinned:
#   tests/interop/node_modules  (npm ci from package-lock.json: @fedify/fedify 1.5.9, and 2.3.6 as the alias
#                                `fedify2`, Node 20; Fedify 2 declares Node 22+ but runs on 20 for our peer)
#   tests/interop/.venv         (pip from requirements.lock: bovine 0.5.19, the bovine-herd 0.5.19 server with
#                                bovine-tool 0.5.6 (tests/tests/bovine_herd.rs; they hold Quart at 0.19 and
#                                tortoise-orm at 0.21), icalendar 7.3.0, feedparser 6.0.14, aiosmtpd 1.4.6 (the SMTP
#                                sink of tests/tests/mail.rs), fediverse-pasture-inputs 0.3.0 with its runner
#                                fediverse-pasture 0.2.25 (tests/tests/pasture.rs) and their pinned deps)
# Only the npm registry and PyPI (or their configured mirrors) are used.
# Quick when they are already there; run again after either lock file changes.
set -euo pipefail
cd "$(dirname "$0")/../tests/interop"

step="starting"
trap 'echo "install-interop-deps: FAILED while $step (in $PWD); the interop tests need this" >&2' ERR

need() {
  command -v "$1" >/dev/null || { echo "install-interop-deps: FAILED: '$1' is not installed ($2)" >&2; exit 1; }
}
need node "Node.js 20 runs the Fedify peer"
need npm "npm installs @fedify/fedify"
need python3 "Python 3.10+ runs the bovine signer"

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "install-interop-deps: FAILED: Node $(node --version) is too old; @fedify/fedify 1.5.9 needs Node 20+" >&2
  exit 1
fi

if [ ! -f node_modules/@fedify/fedify/package.json ] || [ ! -f node_modules/fedify2/package.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step="installing @fedify/fedify with npm ci (tests/interop/package-lock.json)"
  echo "install-interop-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ ! -x .venv/bin/python ] || [ ! -f .venv/installed ] || [ requirements.lock -nt .venv/installed ]; then
  step="creating tests/interop/.venv (python3 -m venv; Debian needs the python3-venv package)"
  echo "install-interop-deps: python venv with bovine, bovine-herd, icalendar, feedparser, aiosmtpd and fediverse-pasture-inputs"
  python3 -m venv .venv
  step="installing bovine with pip (tests/interop/requirements.lock)"
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
  step="checking the bovine install"
  .venv/bin/python -c 'import bovine.crypto, bovine.clients.signed_http, bovine_herd, bovine_tool.register, hypercorn, aiohttp, icalendar, feedparser, aiosmtpd.controller, fediverse_pasture_inputs'
  touch .venv/installed
fi
echo "install-interop-deps: ok"
