#!/usr/bin/env bash
# Fuzzes every parser of foreign input (fuzz/, docs/security.md "Fuzzing") for a bounded time:
# builds all targets once, then runs each for FUZZ_SECONDS (default 10) on a copy of its seeds
# (fuzz/seeds/<target> into fuzz/corpus/<target>, which grows between local runs).
# Exits non-zero when a target crashes, naming the input that did it (fuzz/artifacts/...).
# Usage: scripts/fuzz.sh [target ...]   (all targets by default)
# Needs the nightly toolchain (or falls back to stable with RUSTC_BOOTSTRAP); installs
# cargo-fuzz (pinned) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

cargo_fuzz_version=0.13.1
seconds=${FUZZ_SECONDS:-10}
toolchain=${FUZZ_TOOLCHAIN:-nightly}
# cargo-fuzz needs nightly's -Z flags. Where no nightly toolchain is installed (and none can be
# fetched), the stable compiler is allowed them with RUSTC_BOOTSTRAP, and we say so.
if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
  echo "fuzz: NO $toolchain TOOLCHAIN here; building with stable and RUSTC_BOOTSTRAP=1 instead"
  toolchain=stable
  export RUSTC_BOOTSTRAP=1
fi
sanitizer=${FUZZ_SANITIZER:-address}

# Longest input per target: large enough for what peers send, small enough that a run does not
# spend its time on one huge input.
declare -A max_len=(
  [inbox_activity]=16384
  [http_signature]=4096
  [http_signature_rfc9421]=4096
  [html_sanitiser]=65536
  [markdown]=65536
  [article_patch]=16384
  [mastodon_api_bodies]=4096
  [webfinger_nodeinfo]=8192
  [coalition_op]=8192
)
# Words the parsers look for (fuzz/dicts/<name>.dict), so that the fuzzer finds them sooner.
declare -A dict=([inbox_activity]=activitystreams [coalition_op]=activitystreams [webfinger_nodeinfo]=activitystreams)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(inbox_activity http_signature http_signature_rfc9421 html_sanitiser markdown article_patch mastodon_api_bodies webfinger_nodeinfo coalition_op help_forms)
fi

if ! cargo fuzz --version 2>/dev/null | grep -qF "$cargo_fuzz_version"; then
  cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked
fi

build_start=$(date +%s)
cargo "+$toolchain" fuzz build -s "$sanitizer"
echo "fuzz: built in $(($(date +%s) - build_start)) s"

failed=()
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  cp -n "seeds/$target"/* "corpus/$target/" 2>/dev/null || true
  options=(-max_total_time="$seconds" -max_len="${max_len[$target]:-4096}" -timeout=10 -print_final_stats=1)
  if [ -n "${dict[$target]:-}" ]; then options+=(-dict="dicts/${dict[$target]}.dict"); fi
  log=$(mktemp)
  echo "fuzz: $target for $seconds s"
  if cargo "+$toolchain" fuzz run -s "$sanitizer" "$target" "corpus/$target" -- "${options[@]}" >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done ' "$log" || true
  else
    tail -n 40 "$log"
    artifact=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -n 1 | cut -d' ' -f5)
    echo "fuzz: $target FAILED; input: ${artifact:-(none written)}" >&2
    failed+=("$target")
  fi
  rm -f "$log"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in ${failed[*]} (reproduce: cargo +$toolchain fuzz run <target> <input>)" >&2
  exit 1
fi
echo "fuzz: no crashes"
