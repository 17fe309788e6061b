#!/usr/bin/env bash
# Builds the example handbook and every test fixture that builds, then runs
# the Nu HTML Checker (vnu-jar from npm, on the machine's Java) over the
# output: ids unique per page, markup valid, embeds and callouts included.
# Usage: scripts/validate-html.sh [path/to/sopbook]   (default: a debug build)
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-${CARGO_TARGET_DIR:-target}/debug/sopbook}
[ -x "$bin" ] || cargo build --quiet
tools=${VNU_DIR:-$PWD/target/tools/vnu}
if [ ! -f "$tools/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --silent --ignore-scripts vnu-jar@26.9.27 >/dev/null
fi
jar="$tools/node_modules/vnu-jar/build/dist/vnu.jar"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" build --quiet --out "$work/example"
for fixture in tests/fixtures/*/; do
  name=$(basename "$fixture")
  case "$name" in err-*) continue ;; esac
  cp -r "$fixture" "$work/src-$name"
  if "$bin" build --quiet "$work/src-$name" --out "$work/site-$name" 2>/dev/null; then :; fi
done
sites=("$work/example")
for s in "$work"/site-*; do [ -d "$s" ] && sites+=("$s"); done
java -jar "$jar" --skip-non-html --errors-only "${sites[@]}"
echo "vnu: no HTML errors in ${#sites[@]} sites"
