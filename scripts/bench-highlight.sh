#!/usr/bin/env bash
# Compares the highlighting crates sopbook could use (docs/BENCHMARKS.md,
# "Code highlighting"): for each, a clean release build of
# scripts/highlighters (sopbook's release profile) with that crate alone,
# its binary size, and the time to highlight the code blocks of a book of
# 1,000 blocks (scripts/gen_code_book.py). "baseline" builds the same
# program with no highlighter (it escapes the code), so the differences
# are what each crate adds.
# Usage: scripts/bench-highlight.sh [RUNS]
#   BENCH_DIR=DIR   scratch space (default /tmp/sopbench/highlight)
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-5}
dir=${BENCH_DIR:-/tmp/sopbench/highlight}
mkdir -p "$dir"
python3 scripts/gen_code_book.py --out "$dir/codebook" >/dev/null
(cd scripts/highlighters && cargo fetch --locked -q)

echo "| crate | clean build, wall | clean build, CPU | binary | stripped |"
echo "|---|---|---|---|---|"
for variant in baseline syntect two-face giallo; do
  features=$variant
  [ "$variant" = baseline ] && features=""
  target="$dir/target-$variant"
  rm -rf "$target"
  # %e wall seconds, %U + %S CPU seconds of cargo and every rustc/cc.
  times=$( (cd scripts/highlighters && CARGO_TARGET_DIR="$target" /usr/bin/time -f "%e %U %S" \
    cargo build --release --locked -q -j2 --features "$features") 2>&1 | tail -1)
  read -r wall user sys <<<"$times"
  bin="$target/release/highlighters"
  cp "$bin" "$dir/$variant"
  strip -o "$dir/$variant.stripped" "$bin"
  printf "| %s | %.0f s | %.0f s | %.1f MB | %.1f MB |\n" "$variant" "$wall" \
    "$(echo "$user + $sys" | bc)" "$(echo "$(stat -c %s "$bin") / 1000000" | bc -l)" \
    "$(echo "$(stat -c %s "$dir/$variant.stripped") / 1000000" | bc -l)"
done
echo
# The CPU time of a whole run (load, then every block $runs times) is the
# figure least disturbed by other work on the machine.
for variant in baseline syntect two-face giallo; do
  echo "$variant, 1,000 blocks:"
  /usr/bin/time -f "  CPU %U s user + %S s sys for $runs runs" "$dir/$variant" "$dir/codebook/content" "$runs"
  echo "$variant, the example handbook:"
  "$dir/$variant" content "$runs"
done
