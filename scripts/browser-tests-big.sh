#!/usr/bin/env bash
# Browser checks on the 10,000-SOP benchmark book (tests/browser/big.mjs):
# SOP page and sidebar nav, search and a typo, what one query downloads,
# checklist mode, home page load time. Generates the book with
# scripts/gen_book.py when missing (docs/benchmark-book.md),
# builds sopbook (release) and the site (SOPBOOK_TODAY=2026-11-25), then drives
# the machine's headless Chromium through it, served under /handbook/.
#
# Usage: scripts/browser-tests-big.sh
#   SOPBENCH_DIR=DIR     where the book is generated (default
#                        /tmp/sopbench/ours/10k; the book is DIR/sopbook)
#   BIG_SITE_DIR=DIR     where the site is built (default /tmp/sopbench/10k-site)
#   CHROMIUM_PATH=PATH   browser binary (default /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/browser/setup.sh

bench=${SOPBENCH_DIR:-/tmp/sopbench/ours/10k}
site=${BIG_SITE_DIR:-/tmp/sopbench/10k-site}
target=${CARGO_TARGET_DIR:-target}

ensure_chromium
ensure_node
ensure_node_modules

if [ ! -f "$bench/sopbook/book.toml" ]; then
  echo "# generating the 10,000-SOP book in $bench" >&2
  python3 scripts/gen_book.py --sops 10000 --processes 1000 --seed 1 --out "$bench" --layouts sopbook >/dev/null
fi

cargo build --release --quiet --bin sopbook
# The benchmark book gives about a thousand warnings (the copied steps and
# overdue reviews the generator plants): keep them in a log and print only
# a count.
buildlog=$(mktemp)
trap 'rm -f "$buildlog"' EXIT
echo "# building $bench/sopbook into $site" >&2
if ! SOPBOOK_TODAY=2026-11-25 "$target/release/sopbook" build "$bench/sopbook" --out "$site" --quiet --color never 2>"$buildlog"; then
  tail -n 40 "$buildlog" >&2
  echo "error: sopbook build failed" >&2
  exit 1
fi
echo "# build ok: $(grep -c '^warning' "$buildlog" || true) warnings, $(grep -c '^error' "$buildlog" || true) errors" >&2

node tests/browser/big.mjs "$site"
