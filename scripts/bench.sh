#!/usr/bin/env bash
# The node's benchmarks (issue 18): every figure as a ratio to a bound measured on this
# machine in the same run (RSA-2048 sign and verify rates, the node's empty-request rate).
# Release builds, real node processes on SQLite, loopback only.
#
#   scripts/bench.sh [--runs N] [--only idle,inbox,inbox-pg,delivery,mesh,reads,coalition]
#                                         prints the table
#   scripts/bench.sh --write [...]        also puts it in docs/benchmarks.md
#
# Takes about ten minutes with three runs, and the mesh (60 node processes) two to three
# minutes more per run. Run it on a quiet machine: other work on the same cores lowers
# every rate.
set -euo pipefail
cd "$(dirname "$0")/.."
write=0
if [[ "${1:-}" == "--write" ]]; then write=1; shift; fi
export BUURTNET_PROFILE=release
cargo build --release -q -p buurtnet
cargo build --release -q -p buurtnet-tests --example bench
table=$(mktemp)
trap 'rm -f "$table"' EXIT
cargo run --release -q -p buurtnet-tests --example bench -- "$@" | tee "$table"
if [[ $write == 1 ]]; then
  python3 - "$table" <<'PY'
import datetime, os, pathlib, platform, sys
table = pathlib.Path(sys.argv[1]).read_text().strip()
doc = pathlib.Path("docs/benchmarks.md")
text = doc.read_text()
begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
stamp = f"Measured {datetime.date.today()} by `scripts/bench.sh` on {cpu}, {os.cpu_count()} cores."
block = f"{begin}\n{stamp}\n\n{table}\n{end}"
if begin in text:
    text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip() + "\n\n## Every figure (scripts/bench.sh)\n" + block + "\n"
doc.write_text(text)
PY
fi
