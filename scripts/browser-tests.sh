#!/usr/bin/env bash
# Browser tests of the default theme: builds sopbook and the example handbook
# (SOPBOOK_TODAY=2026-11-25) into a temporary folder, then drives the machine's
# headless Chromium through it with playwright-core and axe-core
# (tests/browser/run.mjs): accessibility in light and dark, navigation,
# search, checklist mode, theme toggle, file://, phone layout, console errors,
# and no request leaving the local server. The site is served under /handbook/.
# Then run records (tests/browser/record.mjs): "Save run record" on an SOP,
# served and from file://, the downloaded JSON checked field by field.
# Then the old paths of moved pages (tests/browser/redirects.mjs): each
# lands on its page, served and from file://, with and without scripts.
# Then search's words and ranking in Node (tests/browser/search.mjs).
# Then the layout checks of tests/browser/layout.mjs (every page at 360, 390,
# 768, 1280 and 1920 px, light and dark: no sideways scroll, tick boxes on
# their first line, search panel in the viewport, the phone menu, a book's
# logo in the header, axe, no console error), and `sopbook serve` on a copy of the example handbook, in the same browser
# (tests/browser/serve.mjs): live reload, the overlay, DNS rebinding and a
# cross-origin WebSocket refused.
#
# Usage: scripts/browser-tests.sh [SITE_DIR]
#   SITE_DIR: test an already built site instead of building the example.
#   BROWSER_TESTS_ONLY=REGEX  run only the checks whose "id name" matches.
#   CHROMIUM_PATH=PATH        browser binary (default /usr/bin/chromium,
#                             installed with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/browser/setup.sh

ensure_chromium
ensure_node
ensure_node_modules

if [ $# -ge 1 ]; then
  site=$1
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  site=$work/site
  build_example "$site"
fi
node tests/browser/run.mjs "$site"
node tests/browser/record.mjs "$site"
node tests/browser/redirects.mjs "$site"
if [ $# -eq 0 ]; then
  # Aliases two folders deep, on an SOP, a page and the home page.
  SOPBOOK_TODAY=2026-11-25 target/debug/sopbook build --quiet tests/fixtures/aliases --out "$work/aliases"
  node tests/browser/redirects.mjs "$work/aliases"
fi

# Search as search.js runs it, in Node (tests/browser/search.mjs): its
# tokenizer against the index's (tests/search-tokens.json), then queries on
# the search fixtures: stems, ranking, German stop-words, CJK pairs.
if [ $# -eq 0 ]; then
  for fixture in search-rank search-de search-cjk; do
    "${CARGO_TARGET_DIR:-target}"/debug/sopbook build --quiet "tests/fixtures/$fixture" --out "$work/sites/$fixture"
  done
  node tests/browser/search.mjs "$work/sites"
else
  node tests/browser/search.mjs
fi

if [ $# -eq 0 ]; then
  # Layout invariants at 360-1920 px, light and dark, on the example and on
  # a book with embeds and images under steps, task lists and long titles.
  SOPBOOK_TODAY=2026-11-25 "${CARGO_TARGET_DIR:-target}"/debug/sopbook build --quiet tests/fixtures/reader --out "$work/reader"
  # A book's brand: extra-css, extra-js, a PNG favicon and a wide logo.
  SOPBOOK_TODAY=2026-11-25 "${CARGO_TARGET_DIR:-target}"/debug/sopbook build --quiet tests/fixtures/brand --out "$work/brand"
  node tests/browser/layout.mjs "$site" "$work/reader" "$work/brand"
else
  node tests/browser/layout.mjs "$site"
fi

if [ $# -eq 0 ]; then
  book=$work/book
  mkdir -p "$book"
  cp -R book.toml content "$book"/
  if [ -d themes ]; then cp -R themes "$book"/; fi
  node tests/browser/serve.mjs "$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/debug/sopbook" "$book"
fi
