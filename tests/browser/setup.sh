# Sourced by scripts/browser-tests.sh and scripts/screenshots.sh (from the
# repository root): makes sure the machine's Chromium, Node and this folder's
# npm packages are there, and builds the example handbook.
# No browser is ever downloaded by a tool: playwright-core drives the system
# Chromium (Debian package "chromium").

: "${CHROMIUM_PATH:=/usr/bin/chromium}"
export CHROMIUM_PATH
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "error: need root to run: $*" >&2; return 1
  fi
}

apt_install() {
  echo "installing $* with apt-get" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_chromium() {
  if [ ! -x "$CHROMIUM_PATH" ]; then
    if [ "$CHROMIUM_PATH" = /usr/bin/chromium ]; then apt_install chromium fonts-dejavu-core; fi
    [ -x "$CHROMIUM_PATH" ] || { echo "error: no Chromium at $CHROMIUM_PATH" >&2; return 1; }
  fi
}

ensure_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 20 ]; then
    echo "error: Node $(node --version) is too old; playwright-core needs Node 20 or newer" >&2
    return 1
  fi
}

# npm ci when node_modules is missing or differs from package-lock.json.
ensure_node_modules() {
  local dir=tests/browser
  if ! (cd "$dir" && node -e '
      const lock = require("./package-lock.json");
      for (const [k, v] of Object.entries(lock.packages)) {
        if (!k) continue;
        if (require("./" + k + "/package.json").version !== v.version) process.exit(1);
      }' >/dev/null 2>&1); then
    (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  fi
}

# build_example OUT_DIR: build sopbook (debug) and the example handbook into OUT_DIR.
build_example() {
  cargo build --quiet
  SOPBOOK_TODAY=2026-11-25 "${CARGO_TARGET_DIR:-target}"/debug/sopbook build --quiet --out "$1"
}
