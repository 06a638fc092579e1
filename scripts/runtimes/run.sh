#!/usr/bin/env bash
# The runtime matrix: both editions, as a user installs them, on every runtime
# the README names, through every layer it offers there.
#
# For each edition it builds and packs @postpress/core and @postpress/node (as
# scripts/consumer-check.sh and scripts/consumer-check-effect4.sh do), installs
# the tarballs with npm into a fresh project outside the repository with that
# edition's Effect peers, and runs ONE program (program.mjs) there against a
# loopback API (server.cjs): chats.retrieve, a three-page
# chats.messages.stream, messages.retrieve of a missing id failing with
# NotFound (and of a reset connection failing with TransportError), the API
# key in nothing the runtime printed or logged, and the messages a second it
# streams (50 pages of 250). The cells:
#   - Node 22, 24, 26 (and 20 for the Effect 3 edition), from the registry's
#     `node` package; Bun 1.x and Deno 2.x from the registry's `bun` and `deno`
#     packages: NodePostpress.layer, NodePostpress.layerConfig,
#     PostpressClient.layerFetch and PostpressClient.layerFetchConfig;
#   - Cloudflare's workerd (the registry's `workerd` package): a Worker bundled
#     with esbuild whose request makes the SDK call the loopback API
#     (PostpressClient.layerFetch, key and base URL as the Worker's bindings);
#   - Debian's chromium-headless-shell, driven by playwright-core: a page
#     bundled with the SDK, served by the API on its own origin
#     (PostpressClient.layerFetch), plainly and under a CSP `script-src 'self'`
#     (which refuses `new Function`, as Workers do).
# A cell passes when the program passes, or when building the layer refuses at
# once with the sentence naming the layer to use instead (NodePostpress on
# Bun); see cell.mjs.
#
# Installs what it needs itself: chromium-headless-shell with apt-get when the
# binary is missing, the runtimes and tools with npm into a temporary project.
# Prints one line per cell, ends with `runtimes: N passed, M failed`, exits
# non-zero when a cell fails, and writes the run's table to
# scripts/runtimes/latest.md. Set RUNTIMES_KEEP=1 to keep the temporary
# directory; BULK_PAGES (default 50) sets the pages of 250 messages streamed
# for msg/s.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"
started=$SECONDS

PNPM_VERSION="$(node -p 'require("./package.json").packageManager.split("@")[1]')"
pnpm() { npx -y "pnpm@${PNPM_VERSION}" "$@"; }
TOOLS_PACKAGES=(bun@^1 deno@^2 workerd@^1 esbuild@0.28.2 playwright-core@^1)
PEERS_effect3=(effect@~3.22.4 @effect/platform@~0.97.2 @effect/platform-node@~0.108.2)
PEERS_effect4=(effect@^4.1.5 @effect/platform-node@^4.1.5)
NODES_effect3=(20 22 24 26)
NODES_effect4=(22 24 26)
SERVER_LAYERS=(NodePostpress.layer NodePostpress.layerConfig PostpressClient.layerFetch PostpressClient.layerFetchConfig)
export BULK_PAGES="${BULK_PAGES:-50}"

passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1"; [[ $# -gt 1 ]] && sed 's/^/    /' <<<"$2" | tail -n 40; failed=$((failed + 1)); }
# a stage of an edition that failed (its cells do not run): a failure, and a line in latest.md
stage_failed() {
  not_ok "$1: $2" "$3"
  printf '{ "edition": "%s", "stage": "%s", "ok": false }\n' "$1" "$2" >> "$RESULTS"
}

work="$(mktemp -d "${TMPDIR:-/tmp}/postpress-runtimes-XXXXXX")"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2> /dev/null
  [[ "${RUNTIMES_KEEP:-}" == "1" ]] || rm -rf "$work"
}
trap cleanup EXIT
export RESULTS="$work/results.jsonl"
: > "$RESULTS"
echo "::: runtime matrix in $work"

# --- the tools, fetched while the packages build ------------------------------------
# chromium-headless-shell from Debian (apt only when the binary is missing), the
# runtimes and tools from npm, each Node from the registry's `node` package.
chromium_bin() {
  local bin
  bin="$(command -v chromium-headless-shell)" || return 1
  # Debian's /usr/bin entry is a shell wrapper around the binary
  if [[ -x /usr/lib/chromium/chromium-headless-shell ]]; then echo /usr/lib/chromium/chromium-headless-shell; else echo "$bin"; fi
}
fetch_tools() {
  if ! chromium_bin > /dev/null; then
    echo "installing chromium-headless-shell with apt-get"
    if [[ "$(id -u)" == "0" ]]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
    "${apt_get[@]}" update -qq &&
      DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq --no-install-recommends chromium-headless-shell ||
      echo "apt-get install chromium-headless-shell failed"
  fi
  mkdir -p "$work/tools"
  echo '{ "name": "postpress-runtimes-tools", "private": true }' > "$work/tools/package.json"
  (cd "$work/tools" && npm install --no-audit --no-fund --loglevel=error "${TOOLS_PACKAGES[@]}") || return 1
  local version
  for version in $(printf '%s\n' "${NODES_effect3[@]}" "${NODES_effect4[@]}" | sort -un); do
    npx -y "node@${version}" -p process.execPath > "$work/node-${version}.path" || return 1
  done
}
fetch_tools > "$work/tools.log" 2>&1 &
tools_pid=$!

# --- each edition: build, pack, a fresh npm project, the cell files and bundles -----------
# prepare EDITION: leaves $work/EDITION (the project) and $work/static/EDITION (the page), or fails
build_effect3() { pnpm build; }
build_effect4() { node scripts/effect4.mjs run build; }
pack_effect3() { (cd "packages/$1" && pnpm pack --pack-destination "$2"); }
pack_effect4() { node scripts/effect4.mjs --filter "@postpress/$1" pack --pack-destination "$2"; }
prepared=()
prepare() {
  local edition="$1" out app="$work/$1" package
  if ! out="$("build_$edition" 2>&1)"; then stage_failed "$edition" "the packages build" "$out"; return 1; fi
  mkdir -p "$work/tarballs-$edition" "$app"
  for package in core node; do
    if ! out="$("pack_$edition" "$package" "$work/tarballs-$edition" 2>&1)"; then
      stage_failed "$edition" "pnpm pack @postpress/$package" "$out"
      return 1
    fi
  done
  echo "{ \"name\": \"postpress-runtimes-$edition\", \"version\": \"1.0.0\", \"private\": true }" > "$app/package.json"
  local peers="PEERS_${edition}[@]"
  if ! out="$(cd "$app" && npm install --no-audit --no-fund --loglevel=error \
    "$work/tarballs-$edition"/*.tgz "${!peers}" 2>&1)"; then
    stage_failed "$edition" "npm install of the tarballs with ${!peers}" "$out"
    return 1
  fi
  cp "$here"/program.mjs "$here"/cell-server.mjs "$here"/cell-worker.mjs "$here"/cell-browser.mjs "$app/"
  prepared+=("$edition")
}
echo "::: build, pack and install the Effect 3 edition"
prepare effect3
echo "::: build, pack and install the Effect 4 edition"
prepare effect4

echo "::: tools: chromium-headless-shell, ${TOOLS_PACKAGES[*]}, node@{$(printf '%s\n' "${NODES_effect3[@]}" "${NODES_effect4[@]}" | sort -un | paste -sd,)}"
if ! wait "$tools_pid"; then
  not_ok "the tools install" "$(cat "$work/tools.log")"
fi
export TOOLS="$work/tools"
export CHROMIUM="$(chromium_bin || echo chromium-headless-shell-is-missing)"
esbuild="$TOOLS/node_modules/.bin/esbuild"

# bundles: the Worker, and the page's script beside its HTML under the API's static root
bundled=()
for edition in "${prepared[@]}"; do
  mkdir -p "$work/static/$edition"
  cp "$here/index.html" "$work/static/$edition/"
  if ! out="$(cd "$work/$edition" &&
    "$esbuild" cell-worker.mjs --bundle --format=esm --platform=browser --conditions=workerd,worker \
      --outfile=worker.js --log-level=warning 2>&1 &&
    "$esbuild" cell-browser.mjs --bundle --format=esm --platform=browser \
      --outfile="$work/static/$edition/app.js" --log-level=warning 2>&1)"; then
    stage_failed "$edition" "esbuild bundles of the Worker and the page" "$out"
  else
    bundled+=("$edition")
  fi
done

# --- the loopback API (and the pages' origin) -------------------------------------------------
node "$here/server.cjs" "$work/static" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  grep -q '^listening ' "$work/server.log" && break
  sleep 0.1
done
export API="$(sed -n 's/^listening //p' "$work/server.log")"
if [[ -z "$API" ]]; then
  not_ok "the loopback API starts" "$(cat "$work/server.log")"
  echo "runtimes: ${passed} passed, ${failed} failed"
  exit 1
fi

# --- the cells ------------------------------------------------------------------------------
cell() {
  if node "$here/cell.mjs" "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}
for edition in "${prepared[@]}"; do
  echo "::: $edition"
  export APP="$work/$edition"
  nodes="NODES_${edition}[@]"
  for version in "${!nodes}"; do
    if ! NODE_BIN="$(cat "$work/node-${version}.path" 2> /dev/null)" || [[ ! -x "$NODE_BIN" ]]; then
      not_ok "$edition / node ${version}: the registry's node@${version} could not be installed"
      continue
    fi
    export NODE_BIN
    for layer in "${SERVER_LAYERS[@]}"; do cell "$edition" node "$layer"; done
  done
  for runtime in bun deno; do
    for layer in "${SERVER_LAYERS[@]}"; do cell "$edition" "$runtime" "$layer"; done
  done
  if [[ " ${bundled[*]} " == *" $edition "* ]]; then
    for runtime in workerd chromium chromium-csp; do cell "$edition" "$runtime" PostpressClient.layerFetch; done
  fi
done

elapsed=$((SECONDS - started))
if [[ -s "$RESULTS" ]]; then node "$here/report.mjs" "$RESULTS" "$elapsed" > "$here/latest.md"; fi
echo "::: the matrix took ${elapsed} s; its table: scripts/runtimes/latest.md"
echo "runtimes: ${passed} passed, ${failed} failed"
[[ "$failed" -eq 0 ]]
