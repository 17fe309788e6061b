#!/usr/bin/env bash
# Measures `sopbook serve` latency on the 10,000-SOP benchmark book: from the
# moment one SOP file is written to the reload message on a WebSocket.
# Usage: scripts/bench-serve.sh [SOPS] [PROCESSES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."

sops=${1:-10000}
processes=${2:-1000}
runs=${3:-20}
book=${BENCH_DIR:-/tmp/sopbench}/serve-$sops
gen=../shared/bench/gen_corpus.py

if [ ! -f "$book/sopbook/book.toml" ]; then
  python3 "$gen" --sops "$sops" --processes "$processes" --seed 1 --out "$book" --layouts sopbook >/dev/null
fi
cargo build --release --quiet
cargo build --release --quiet --example serve_latency
target/release/examples/serve_latency "$book/sopbook" "$runs" target/release/sopbook
