#!/usr/bin/env bash
# Installs what the end-to-end tests need: Debian packages (incl. Chromium) and code-server
# (a full VS Code 1.100.3 server + web workbench), following /work/shared/e2e/NOTES.md.
#
# code-server goes into a cache folder outside the repo so that a fresh clone (CI) reuses it:
#   ${KB_HINTS_E2E_CACHE:-$HOME/.cache/kb-hints-e2e}
# Idempotent: every step is skipped when already done, and the whole install is skipped when the
# ready marker (written only after a successful smoke check) matches this code-server and Node ABI.
# Set KB_HINTS_E2E_FORCE=1 to redo the install.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
CACHE="${KB_HINTS_E2E_CACHE:-$HOME/.cache/kb-hints-e2e}"
CS_ROOT="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_PKG="$CS_ROOT/node_modules/code-server"
VSCODE="$CS_PKG/lib/vscode"
MARKER="$CACHE/ready-$CODE_SERVER_VERSION"
# Native modules are built against this Node: a different ABI means the cache must be rebuilt.
STAMP="code-server=$CODE_SERVER_VERSION node-abi=$(node -p process.versions.modules)"
APT_PACKAGES=(libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev pkg-config ripgrep chromium
              build-essential python3)

# node-gyp must use the headers Debian's nodejs ships instead of downloading them (no internet).
export npm_config_nodedir=/usr
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

log() { printf '[e2e-setup] %s\n' "$*"; }
# Long steps write to a log file; show its tail only when they fail.
LOG_FILE="$CACHE/setup.log"
run() {
  if ! "$@" >>"$LOG_FILE" 2>&1; then
    log "FAILED: $* (last lines of $LOG_FILE):"
    tail -n 40 "$LOG_FILE" >&2
    exit 1
  fi
}

mkdir -p "$CACHE"
# Two setups at once (e.g. two terminals) would corrupt the cache.
exec 9>"$CACHE/.lock"
flock 9

# 1. Debian packages: cheap to check every time (the cache may outlive a reinstalled machine).
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  log "apt-get install ${missing[*]}"
  : >"$LOG_FILE"
  run $SUDO apt-get update
  run env DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
else
  log "Debian packages present"
fi

if [ -z "${KB_HINTS_E2E_FORCE:-}" ] && [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$STAMP" ]; then
  log "code-server $CODE_SERVER_VERSION ready in $CS_ROOT (cached)"
  exit 0
fi
if [ -n "${KB_HINTS_E2E_FORCE:-}" ] || { [ -f "$MARKER" ] && [ "$(cat "$MARKER")" != "$STAMP" ]; }; then
  log "discarding previous install"
  rm -rf "$CS_ROOT" "$MARKER"
fi
: >"$LOG_FILE"
START=$SECONDS

# Each step leaves a marker in $CS_ROOT so an interrupted install resumes where it stopped.
step_done() { [ -f "$CS_ROOT/.step-$1" ]; }
mark() { touch "$CS_ROOT/.step-$1"; }

# 2. code-server itself; --ignore-scripts because its postinstall refuses root and downloads ripgrep.
mkdir -p "$CS_ROOT"
if ! step_done npm; then
  log "npm install code-server@$CODE_SERVER_VERSION (a few minutes)"
  [ -f "$CS_ROOT/package.json" ] || echo '{"name":"kb-hints-e2e-cache","private":true}' >"$CS_ROOT/package.json"
  (cd "$CS_ROOT" && run npm install --ignore-scripts --no-save "code-server@$CODE_SERVER_VERSION")
  mark npm
fi

# 3. What code-server's postinstall would do, by hand.
if ! step_done vscode-deps; then
  log "installing VS Code server dependencies"
  (cd "$VSCODE" && run npm install --omit=dev --ignore-scripts)
  mark vscode-deps
fi
if ! step_done native; then
  log "rebuilding native modules"
  (cd "$VSCODE" && run npm rebuild @parcel/watcher @vscode/spdlog kerberos native-watchdog)
  # npm's rebuild of node-pty runs a script that deletes the built module again: use node-gyp.
  (cd "$VSCODE/node_modules/node-pty" && run npx --yes node-gyp rebuild --nodedir=/usr)
  mark native
fi
if ! step_done links; then
  log "linking ripgrep and helper scripts"
  mkdir -p "$VSCODE/node_modules/@vscode/ripgrep/bin"
  ln -sfn /usr/bin/rg "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"
  ln -sfn node_modules "$VSCODE/node_modules.asar"
  ln -sfn code-linux.sh "$VSCODE/bin/remote-cli/code-server"
  ln -sfn browser-linux.sh "$VSCODE/bin/helpers/browser.sh"
  mark links
fi
if ! step_done builtin-extensions; then
  log "installing built-in extensions' dependencies"
  (cd "$VSCODE/extensions" && run npm install --omit=dev --ignore-scripts)
  mark builtin-extensions
fi

# 4. argon2 is loaded even with --auth none.
if ! step_done argon2; then
  log "building argon2"
  ARGON2="$(dirname "$(cd "$CS_PKG" && node -p 'require.resolve("argon2/package.json")')")"
  (cd "$ARGON2" && run ../.bin/node-pre-gyp install --fallback-to-build --build-from-source --nodedir=/usr)
  mark argon2
fi

# 5. Smoke check: native modules load, the server starts and serves the workbench page.
log "smoke check"
for m in node-pty @vscode/spdlog @parcel/watcher kerberos native-watchdog; do
  (cd "$VSCODE" && run node -e "require('./node_modules/$m')")
done
(cd "$CS_PKG" && run node -e "require('argon2')")
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
SMOKE="$(mktemp -d)"
CS_PID=""
trap '[ -n "$CS_PID" ] && kill -- -"$CS_PID" 2>/dev/null; rm -rf "$SMOKE"' EXIT
# An empty --config keeps code-server from writing ~/.config/code-server/config.yaml.
: >"$SMOKE/config.yaml"
TMPDIR="$SMOKE" setsid node "$CS_PKG/out/node/entry.js" --config "$SMOKE/config.yaml" --auth none --bind-addr "127.0.0.1:$PORT" \
  --user-data-dir "$SMOKE/ud" --extensions-dir "$SMOKE/ext" --disable-telemetry --disable-update-check \
  "$SMOKE" >"$SMOKE/server.log" 2>&1 &
CS_PID=$!
ok=""
for _ in $(seq 1 120); do
  if curl -fsSL "http://127.0.0.1:$PORT/" 2>/dev/null | grep -q 'vscode-workbench-web-configuration'; then ok=1; break; fi
  kill -0 "$CS_PID" 2>/dev/null || break
  sleep 0.5
done
if [ -z "$ok" ]; then
  log "FAILED: code-server did not serve the workbench; its log:"
  cat "$SMOKE/server.log" >&2
  exit 1
fi
/usr/bin/chromium --version >/dev/null 2>&1
echo "$STAMP" >"$MARKER"
log "done in $((SECONDS - START)) s: code-server $CODE_SERVER_VERSION ready in $CS_ROOT"
