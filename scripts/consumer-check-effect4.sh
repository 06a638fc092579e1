#!/usr/bin/env bash
# The consumer check of the Effect 4 edition (effect4/): uses its packages the
# way an outside project does.
#
# Builds @postpress/core, @postpress/node and @postpress/simulator (ES modules,
# .d.ts and source maps, as Effect 4's own packages ship), packs them with pnpm,
# installs the tarballs with npm (not pnpm) into a fresh project outside the
# repository together with effect@^4.1.5 and @effect/platform-node@^4.1.5, and
# then, in that project:
#   - on Node 22 and on Node 24 (the registry's `node` package), runs one
#     program through NodePostpress.layer and through PostpressClient.layer +
#     PostpressConfig.layer + FetchHttpClient.layer against a loopback server:
#     chats.retrieve, a three-page chats.messages.stream, messages.retrieve of
#     a missing id failing with NotFound, the X-API-KEY on every request;
#   - runs it through require() (Node's require(esm)) from a .cjs file;
#   - type-checks a typical consumer under moduleResolution nodenext and
#     bundler, strict flags, skipLibCheck off;
#   - runs `npx postpress-simulator --help` (compiled, shebang, no tsx);
#   - checks that internal paths are not importable, every export points at
#     shipped JavaScript or declarations, and README and LICENSE are packed;
#   - bundles a minimal app with esbuild --bundle --minify through the fetch
#     layer and through NodePostpress.layer, prints both sizes, and checks that
#     neither holds simulator code.
#
# Prints one line per check and ends with `consumer check (effect4): N passed, M failed`.
# Set CONSUMER_CHECK_KEEP=1 to keep the temporary project.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

# The versions an outside project pins (the README's install line).
PEERS=(effect@^4.1.5 @effect/platform-node@^4.1.5)
# The @types/* a strict consumer (skipLibCheck: false) needs, and no more: @types/node (@types/ws, for
# @effect/platform-node's sockets, comes as a dependency of @effect/platform-node-shared; the README's Install
# section says so).
TOOLS=(typescript@~5.9.3 @types/node@^24 esbuild@0.28.2)
NODES=(22 24)

CHECK_NAME="consumer check (effect4)"
# shellcheck source=consumer/lib.sh
source "$repo/scripts/consumer/lib.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/postpress-consumer4-XXXXXX")"
if [[ "${CONSUMER_CHECK_KEEP:-}" != "1" ]]; then trap 'rm -rf "$work"' EXIT; fi
echo "::: consumer check (effect4) in $work"

# --- build and pack ------------------------------------------------------------
if ! out="$(node scripts/effect4.mjs run build 2>&1)"; then not_ok "the Effect 4 packages build" "$out"; finish; fi
ok "the Effect 4 packages build"
mkdir -p "$work/tarballs"
for package in core node simulator; do
  if ! out="$(node scripts/effect4.mjs --filter "@postpress/$package" pack --pack-destination "$work/tarballs" 2>&1)"; then
    not_ok "pnpm pack @postpress/$package" "$out"
    finish
  fi
done
ok "pnpm pack: $(cd "$work/tarballs" && ls | tr '\n' ' ')"

# --- a fresh project -------------------------------------------------------------
app="$work/app"
mkdir -p "$app"
cp conformance/fixtures/chat-with-last-message.json conformance/fixtures/message-list.json scripts/consumer/server.cjs "$app/"
cat > "$app/package.json" <<'EOF'
{ "name": "postpress-consumer-effect4", "version": "1.0.0", "private": true }
EOF
if ! out="$(cd "$app" && npm install --no-audit --no-fund --loglevel=error \
  "$work"/tarballs/*.tgz "${PEERS[@]}" "${TOOLS[@]}" 2>&1)"; then
  not_ok "npm install of the tarballs with effect@^4.1.5 and @effect/platform-node@^4.1.5" "$out"
  finish
fi
ok "npm install of the tarballs with $(cd "$app" && node -p 'const v = (n) => require(`./node_modules/${n}/package.json`).version; `effect ${v("effect")}, @effect/platform-node ${v("@effect/platform-node")}`')"

# The same program through two layers; as an ES module and as CommonJS.
program_body='
const layers = {
  "NodePostpress.layer": (baseUrl) => NodePostpress.layer({ apiKey: Redacted.make("pp_consumer_key"), baseUrl }),
  "PostpressClient.layer + PostpressConfig.layer + FetchHttpClient.layer": (baseUrl) =>
    PostpressClient.layer.pipe(
      Layer.provide(PostpressConfig.layer({ apiKey: Redacted.make("pp_consumer_key"), baseUrl })),
      Layer.provide(FetchHttpClient.layer)
    )
}
const run = async () => {
  for (const [name, layer] of Object.entries(layers)) {
    const server = await start({ pages: 3 })
    try {
      const program = Effect.gen(function*() {
        const client = yield* PostpressClient.PostpressClient
        const chat = yield* client.chats.retrieve("chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
        const messages = yield* client.chats.messages.stream(chat.id).pipe(Stream.runCollect)
        const missing = yield* client.messages.retrieve("msg_unknown").pipe(Effect.flip)
        return { chat, messages: Array.from(messages), missing }
      })
      const result = await Effect.runPromise(program.pipe(Effect.provide(layer(server.baseUrl))))
      assert.strictEqual(result.chat.id, "chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
      assert.strictEqual(result.chat.object, "Chat")
      assert.strictEqual(result.messages.length, 3)
      assert.strictEqual(result.messages[0].object, "Message")
      assert.strictEqual(result.missing._tag, "NotFound")
      assert.ok(PostpressError.isPostpressError(result.missing))
      assert.strictEqual(server.seen.length, 5)
      for (const request of server.seen) assert.strictEqual(request.key, "pp_consumer_key")
      assert.ok(!JSON.stringify(result.missing).includes("pp_consumer_key"))
      console.log(`${name}: chat ${result.chat.id}, ${result.messages.length} messages over 3 pages, NotFound; key on ${server.seen.length} requests`)
    } finally {
      server.close()
    }
  }
}
run().catch((error) => { console.error(error); process.exit(1) })
'
cat > "$app/app.mjs" <<EOF
import { PostpressClient, PostpressConfig, PostpressError } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import assert from "node:assert"
import { createRequire } from "node:module"
const { start } = createRequire(import.meta.url)("./server.cjs")
$program_body
EOF
cat > "$app/app.cjs" <<EOF
const { PostpressClient, PostpressConfig, PostpressError } = require("@postpress/core")
const { NodePostpress } = require("@postpress/node")
const Effect = require("effect/Effect")
const FetchHttpClient = require("effect/http/FetchHttpClient")
const Layer = require("effect/Layer")
const Redacted = require("effect/Redacted")
const Stream = require("effect/Stream")
const assert = require("node:assert")
const { start } = require("./server.cjs")
$program_body
EOF
for version in "${NODES[@]}"; do
  check "Node ${version}: node app.mjs (ESM, no loader) through both layers" npx -y "node@${version}" "$app/app.mjs"
done
check "Node ${NODES[-1]}: node app.cjs (require(esm)) through both layers" npx -y "node@${NODES[-1]}" "$app/app.cjs"

# --- types under two resolutions ----------------------------------------------------
cat > "$app/consumer.ts" <<'EOF'
import { NodeRuntime } from "@effect/platform-node"
import { PostpressClient, type PostpressError } from "@postpress/core"
import * as PostpressConfig from "@postpress/core/PostpressConfig"
import { NodePostpress } from "@postpress/node"
import { PostpressSimulator } from "@postpress/simulator"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"

export const recent = Effect.gen(function*() {
  const client = yield* PostpressClient.PostpressClient
  const chat = yield* client.chats.retrieve("chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
  const texts = yield* client.chats.messages.stream(chat.id, { limit: 50 }).pipe(
    Stream.take(10),
    Stream.map((message) => message.text ?? ""),
    Stream.runCollect
  )
  return { name: chat.name, texts }
}).pipe(
  Effect.catchTags({
    Unauthorized: (error) => Effect.succeed(`check the key (${error.type})`),
    Forbidden: (error) => Effect.succeed(error.detail ?? error.title),
    NotFound: () => Effect.succeed("no such chat"),
    InternalServerError: (error) => Effect.succeed(error.instance ?? "500"),
    ServiceUnavailable: () => Effect.succeed("unavailable"),
    GatewayTimeout: () => Effect.succeed("timed out upstream"),
    TooManyRequests: () => Effect.succeed("slow down"),
    UnexpectedStatus: (error) => Effect.succeed(String(error.status)),
    MalformedResponse: (error) => Effect.succeed(error.reason),
    TransportError: (error) => Effect.succeed(error.message),
    RequestTimeout: (error) => Effect.succeed(error.message),
    InvalidRequest: (error) => Effect.succeed(error.message),
    RepeatedCursor: (error) => Effect.succeed(error.message)
  })
)

// every tag handled: nothing is left in the error channel
export const handled: Effect.Effect<unknown, never, PostpressClient.PostpressClient> = recent
export const describe = (error: PostpressError.PostpressError): string => error._tag
export const live: Layer.Layer<PostpressClient.PostpressClient, unknown> = NodePostpress.layerConfig()
export const config: Layer.Layer<PostpressConfig.PostpressConfig, unknown> = PostpressConfig.layerConfig()
export const test: Layer.Layer<PostpressClient.PostpressClient | PostpressSimulator.PostpressSimulator> =
  PostpressSimulator.layerClient({ seed: 1 })
// the platform package's barrel, as the README's quick start imports it
export const main: typeof NodeRuntime.runMain = NodeRuntime.runMain
EOF
strict='"strict": true, "exactOptionalPropertyTypes": true, "noUncheckedIndexedAccess": true, "noPropertyAccessFromIndexSignature": true, "noEmit": true, "types": ["node"], "lib": ["ES2022", "DOM"], "target": "ES2022"'
cat > "$app/tsconfig.nodenext.json" <<EOF
{ "compilerOptions": { $strict, "module": "nodenext", "moduleResolution": "nodenext", "skipLibCheck": false }, "files": ["consumer.mts"] }
EOF
cat > "$app/tsconfig.bundler.json" <<EOF
{ "compilerOptions": { $strict, "module": "preserve", "moduleResolution": "bundler", "skipLibCheck": false }, "files": ["consumer.ts"] }
EOF
cp "$app/consumer.ts" "$app/consumer.mts"
for resolution in nodenext bundler; do
  check "tsc --noEmit, moduleResolution $resolution, skipLibCheck off" bash -c "cd '$app' && npx tsc -p tsconfig.$resolution.json"
done

# --- the simulator's command -------------------------------------------------------
check "npx postpress-simulator --help exits 0 (Node ${NODES[-1]})" bash -c \
  "cd '$app' && PATH=\"\$(dirname \"\$(npx -y node@${NODES[-1]} -p process.execPath)\"):\$PATH\" npx --no-install postpress-simulator --help"
check "npm ls tsx finds nothing" bash -c "cd '$app' && ! npm ls tsx --all > /dev/null 2>&1"
check "the bin is compiled JavaScript with a node shebang" bash -c \
  "f=\"\$(readlink -f '$app/node_modules/.bin/postpress-simulator')\" && [[ \"\$f\" == *.js ]] && head -n 1 \"\$f\" | grep -qx '#!/usr/bin/env node'"

# --- what can be imported, and what is shipped ---------------------------------------
cat > "$app/internal.mjs" <<'EOF'
import assert from "node:assert"
import { createRequire } from "node:module"
const require = createRequire(import.meta.url)
for (const specifier of ["@postpress/core/internal/http/request", "@postpress/core/internal/http/request.js",
  "@postpress/simulator/internal/dataset", "@postpress/simulator/bin/postpress-simulator", "@postpress/core/index"]) {
  await assert.rejects(import(specifier), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" }, specifier)
}
assert.throws(() => require("@postpress/core/internal/http/request"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" })
for (const name of ["PostpressClient", "PostpressError", "PostpressConfig", "PostpressApi", "PostpressRetry",
  "PostpressRateLimiter", "Chat", "ChatAttendee", "Message", "Attachment"]) {
  assert.ok(Object.keys(await import(`@postpress/core/${name}`)).length > 0, name)
  assert.ok(Object.keys(require(`@postpress/core/${name}`)).length > 0, name)
}
for (const name of ["NodePostpress", "RedisRateLimiter"]) assert.ok(Object.keys(await import(`@postpress/node/${name}`)).length > 0, name)
for (const name of ["PostpressSimulator", "NodeSimulator"]) assert.ok(Object.keys(await import(`@postpress/simulator/${name}`)).length > 0, name)
EOF
check "internal paths fail with ERR_PACKAGE_PATH_NOT_EXPORTED; every public module imports (ESM and require)" \
  npx -y "node@${NODES[-1]}" "$app/internal.mjs"
cat > "$app/exports.cjs" <<'EOF'
// every target of every exports map and bin is shipped JavaScript with its declaration; no CommonJS build,
// no tests, README and LICENSE packed
const fs = require("node:fs")
const path = require("node:path")
const targets = (value) =>
  value === null ? [] : typeof value === "string" ? [value] : Object.values(value).flatMap(targets)
let bad = []
for (const name of ["core", "node", "simulator"]) {
  const root = path.join(__dirname, "node_modules/@postpress", name)
  const manifest = require(path.join(root, "package.json"))
  if (manifest.type !== "module") bad.push(`${name}: type is not module`)
  if (!/^>=22/.test(manifest.engines?.node ?? "")) bad.push(`${name}: engines.node is ${manifest.engines?.node}`)
  for (const target of [...targets(manifest.exports), ...targets(manifest.bin ?? {})]) {
    if (target.includes("*")) continue
    if (!/\.(js|json)$/.test(target)) bad.push(`${name}: ${target}`)
    else if (!fs.existsSync(path.join(root, target))) bad.push(`${name}: ${target} (missing)`)
  }
  const files = fs.readdirSync(root, { recursive: true }).map(String)
  for (const file of files) {
    if (/(^|\/)(test|build)\/|tsbuildinfo$|(^|\/)cjs\//.test(file)) bad.push(`${name} ships ${file}`)
    if (/^dist\/.*\.js$/.test(file) && !files.includes(file.replace(/\.js$/, ".d.ts"))) bad.push(`${name}: ${file} has no .d.ts`)
    if (/^dist\/.*\.js$/.test(file) && !files.includes(`${file}.map`)) bad.push(`${name}: ${file} has no source map`)
  }
  for (const file of ["README.md", "LICENSE", "CHANGELOG.md", "package.json"]) if (!files.includes(file)) bad.push(`${name} lacks ${file}`)
}
if (bad.length > 0) { console.error(bad.join("\n")); process.exit(1) }
EOF
check "exports and bin point at shipped ESM .js with .d.ts and maps; README, LICENSE, CHANGELOG; no tests, no CJS" node "$app/exports.cjs"
check "no public .d.ts imports from internal/ (every type in a public declaration is public)" bash -c \
  "cd '$app/node_modules/@postpress' && ! grep -rnoE --include='*.d.ts' --exclude-dir=internal '\"(\\.\\.?/)+internal/[^\"]*\"' */dist"

# --- a minimal app, bundled ----------------------------------------------------------
cat > "$app/minimal-fetch.mjs" <<'EOF'
import { PostpressClient, PostpressConfig } from "@postpress/core"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

Effect.gen(function*() {
  const client = yield* PostpressClient.PostpressClient
  const chat = yield* client.chats.retrieve("chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
  yield* Console.log(chat.name)
}).pipe(
  Effect.provide(PostpressClient.layer.pipe(
    Layer.provide(PostpressConfig.layer({ apiKey: Redacted.make(globalThis.POSTPRESS_API_KEY ?? "") })),
    Layer.provide(FetchHttpClient.layer)
  )),
  Effect.runFork
)
EOF
cat > "$app/minimal-node.mjs" <<'EOF'
import { NodeRuntime } from "@effect/platform-node"
import { PostpressClient } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

Effect.gen(function*() {
  const client = yield* PostpressClient.PostpressClient
  const chat = yield* client.chats.retrieve(process.argv[2] ?? "chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
  yield* Console.log(chat.name)
}).pipe(
  Effect.provide(NodePostpress.layer({ apiKey: Redacted.make(process.env.POSTPRESS_API_KEY ?? "") })),
  NodeRuntime.runMain
)
EOF
for variant in fetch:browser node:node; do
  entry="${variant%%:*}"
  platform="${variant##*:}"
  if out="$(cd "$app" && npx esbuild "minimal-$entry.mjs" --bundle --minify --platform="$platform" --format=esm \
    --outfile="minimal-$entry.bundle.mjs" --log-level=warning 2>&1)"; then
    size="$(wc -c < "$app/minimal-$entry.bundle.mjs")"
    gzipped="$(gzip -9 -c "$app/minimal-$entry.bundle.mjs" | wc -c)"
    if grep -qE 'pp_test_simulator|x-postpress-simulator-fault|postpress\.simulator' "$app/minimal-$entry.bundle.mjs"; then
      not_ok "the minimal app's bundle ($entry) holds simulator code"
    else
      ok "minimal app through the $entry layer, esbuild --bundle --minify: $((size / 1024)) KiB, $((gzipped / 1024)) KiB gzipped, no simulator code"
    fi
  else
    not_ok "esbuild --bundle --minify of the minimal app ($entry)" "$out"
  fi
done

finish
