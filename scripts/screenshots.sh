#!/usr/bin/env bash
# Screenshots of the default theme: builds sopbook and the example handbook
# (SOPBOOK_TODAY=2026-11-25), then writes PNGs of the home, process and SOP
# pages, light and dark, desktop (1280×900) and phone (390×844), clipped to
# the viewport, named like home-light-desktop.png.
#
# Usage: scripts/screenshots.sh [OUT_DIR]   (default: docs/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/browser/setup.sh

out=${1:-docs/screenshots}
ensure_chromium
ensure_node
ensure_node_modules

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build_example "$work/site"
node tests/browser/screenshots.mjs "$work/site" "$out"
