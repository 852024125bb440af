#!/usr/bin/env bash
# Measures an idle node: time from process start to the first answer, and resident memory
# after it has been idle a few seconds. Release build, SQLite, development mode on localhost.
# Usage: scripts/bench-idle.sh [runs]   (prints a Markdown table row per run)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cargo build --release -q -p buurtnet
bin=target/release/buurtnet
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export BUURTNET_DATA_DIR=$dir BUURTNET_DOMAIN=localhost:$port BUURTNET_LISTEN=127.0.0.1:$port BUURTNET_DEV=1 BUURTNET_LOG=warn
trap 'rm -rf "$dir"' EXIT

# Starts the node in the background; sets pid and ms (start to first answer).
start_node() {
  local start end
  start=$(date +%s%N)
  "$bin" serve >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://localhost:$port/health" >/dev/null; do sleep 0.002; done
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
}

echo "| run | start to first answer (ms) | idle RSS after 5 s (MB) |"
echo "|---|---|---|"
for run in $(seq 1 "$runs"); do
  start_node
  sleep 5
  rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf '| %s | %s | %.1f |\n' "$run" "$ms" "$(echo "$rss_kb / 1024" | bc -l)"
done
