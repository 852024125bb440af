#!/usr/bin/env bash
# Installs what tests/tests/browser.rs drives, pinned:
#   Debian's chromium (apt; never a browser downloaded by Playwright)
#   tests/browser/node_modules (npm ci from package-lock.json: playwright-core 1.64.1, axe-core 4.14.1)
# Quick when already there.
set -euo pipefail
cd "$(dirname "$0")/../tests/browser"

step="starting"
trap 'echo "install-browser-deps: FAILED while $step (in $PWD); the browser tests need this" >&2' ERR

command -v npm >/dev/null || { echo "install-browser-deps: FAILED: npm is not installed (Node 20 runs Playwright)" >&2; exit 1; }

if [ ! -x /usr/bin/chromium ]; then
  step="installing Debian's chromium with apt-get"
  echo "install-browser-deps: apt-get install chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if [ ! -f node_modules/playwright-core/package.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step="installing playwright-core and axe-core with npm ci (tests/browser/package-lock.json)"
  echo "install-browser-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
step="checking chromium"
/usr/bin/chromium --version >/dev/null
echo "install-browser-deps: ok"
