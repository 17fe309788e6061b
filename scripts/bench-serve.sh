#!/usr/bin/env bash
# Measures `sopbook serve` latency on the 10,000-SOP benchmark book
# (scripts/gen_book.py, docs/benchmark-book.md): from the moment one SOP
# file is written to the reload message on a WebSocket.
# Usage: scripts/bench-serve.sh [SOPS] [PROCESSES] [RUNS]
#   BENCH_DIR=DIR   where the book is generated once (default /tmp/sopbench)
set -euo pipefail
cd "$(dirname "$0")/.."

sops=${1:-10000}
processes=${2:-1000}
runs=${3:-20}
book=${BENCH_DIR:-/tmp/sopbench}/ours/serve-$sops-$processes

if [ ! -f "$book/sopbook/book.toml" ]; then
  python3 scripts/gen_book.py --sops "$sops" --processes "$processes" --seed 1 --out "$book" --layouts sopbook >/dev/null
fi
# benches/serve_latency.rs is a bench target run by name; cargo builds the
# release sopbook it drives and appends `--bench`, which it ignores.
cargo bench --quiet --bench serve_latency -- "$book/sopbook" "$runs"
