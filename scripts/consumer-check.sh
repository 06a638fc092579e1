#!/usr/bin/env bash
# The consumer check: uses the packages the way an outside project does.
#
# Builds every public package, packs it with pnpm, installs the tarballs with
# npm (not pnpm) into a fresh project outside the repository together with the
# Effect 3 peers, and then, in that project:
#   - runs an ES module with plain `node` (no loader) against a loopback
#     node:http server: decoded results, the X-API-KEY header, a stream;
#   - runs the same through `require()` from a .cjs file;
#   - type-checks a typical consumer file under moduleResolution nodenext,
#     bundler and node10, with strict flags and skipLibCheck off (node10: on);
#   - runs `npx postpress-simulator --help`, serves the simulator and checks
#     that a wrong key gets the 401 envelope;
#   - checks that no TypeScript loader is installed, that internal paths are
#     not importable, and that every export points at JavaScript or .d.ts;
#   - bundles a minimal app with esbuild --bundle --minify and checks that it
#     holds no simulator code (and prints its size).
#
# Runs alone (`bash scripts/consumer-check.sh`) or from .ci/run. Prints one
# line per check and ends with `consumer check: N passed, M failed`.
# Set CONSUMER_CHECK_KEEP=1 to keep the temporary project.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

PNPM_VERSION="$(node -p 'require("./package.json").packageManager.split("@")[1]')"
pnpm() { npx -y "pnpm@${PNPM_VERSION}" "$@"; }
# The versions an outside project pins (the README's install line).
PEERS=(effect@~3.22.4 @effect/platform@~0.97.2 @effect/platform-node@~0.108.2)
# The @types/* a strict consumer (skipLibCheck: false) needs, and no more: @types/node, and @types/ws for
# @effect/platform-node's NodeSocketServer (the README's Install section names both).
TOOLS=(typescript@~5.9.3 @types/node@^20 @types/ws@^8 esbuild@0.28.2)

CHECK_NAME="consumer check"
# shellcheck source=consumer/lib.sh
source "$repo/scripts/consumer/lib.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/postpress-consumer-XXXXXX")"
if [[ "${CONSUMER_CHECK_KEEP:-}" != "1" ]]; then trap 'rm -rf "$work"' EXIT; fi
echo "::: consumer check in $work"

# --- build and pack ------------------------------------------------------------
if ! out="$(pnpm build 2>&1)"; then not_ok "the packages build" "$out"; finish; fi
ok "the packages build"
mkdir -p "$work/tarballs"
for package in core node simulator; do
  if ! out="$(cd "packages/$package" && pnpm pack --pack-destination "$work/tarballs" 2>&1)"; then
    not_ok "pnpm pack @postpress/$package" "$out"
    finish
  fi
done
ok "pnpm pack: $(cd "$work/tarballs" && ls | tr '\n' ' ')"

# --- a fresh project -------------------------------------------------------------
app="$work/app"
mkdir -p "$app"
cp conformance/fixtures/chat-with-last-message.json conformance/fixtures/message-list.json "$app/"
cat > "$app/package.json" <<'EOF'
{ "name": "postpress-consumer", "version": "1.0.0", "private": true }
EOF
if ! out="$(cd "$app" && npm install --no-audit --no-fund --loglevel=error \
  "$work"/tarballs/*.tgz "${PEERS[@]}" "${TOOLS[@]}" 2>&1)"; then
  not_ok "npm install of the tarballs with the Effect 3 peers" "$out"
  finish
fi
ok "npm install of the tarballs with the Effect 3 peers"

# A loopback server answering the reference's examples; it records the key it saw.
cp scripts/consumer/server.cjs "$app/server.cjs"

# The same program as an ES module and as CommonJS.
program_body='
const run = async () => {
  const server = await start()
  try {
    const program = Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      const chat = yield* client.chats.retrieve("chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
      const messages = yield* client.chats.messages.stream(chat.id).pipe(Stream.runCollect)
      const missing = yield* client.messages.retrieve("msg_unknown").pipe(Effect.flip)
      return { chat, messages: Chunk.toReadonlyArray(messages), missing }
    })
    const result = await Effect.runPromise(program.pipe(
      Effect.provide(NodePostpress.layer({ apiKey: Redacted.make("pp_consumer_key"), baseUrl: server.baseUrl }))
    ))
    assert.strictEqual(result.chat.id, "chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
    assert.strictEqual(result.chat.object, "Chat")
    assert.strictEqual(result.messages.length, 2 * 1)
    assert.strictEqual(result.messages[0].object, "Message")
    assert.strictEqual(result.missing._tag, "NotFound")
    assert.strictEqual(server.seen.length, 4)
    for (const request of server.seen) assert.strictEqual(request.key, "pp_consumer_key")
    assert.ok(!JSON.stringify(result.missing).includes("pp_consumer_key"))
    console.log("decoded", result.chat.id, "and", result.messages.length, "messages; key sent on", server.seen.length, "requests")
  } finally {
    server.close()
  }
}
run().catch((error) => { console.error(error); process.exit(1) })
'
cat > "$app/app.mjs" <<EOF
import { PostpressClient } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import assert from "node:assert"
import { createRequire } from "node:module"
const { start } = createRequire(import.meta.url)("./server.cjs")
$program_body
EOF
cat > "$app/app.cjs" <<EOF
const { PostpressClient } = require("@postpress/core")
const { NodePostpress } = require("@postpress/node")
const Chunk = require("effect/Chunk")
const Effect = require("effect/Effect")
const Redacted = require("effect/Redacted")
const Stream = require("effect/Stream")
const assert = require("node:assert")
const { start } = require("./server.cjs")
$program_body
EOF
check "node app.mjs (ESM, no loader): decoded results, X-API-KEY on every request" node "$app/app.mjs"
check "node app.cjs (require): the same" node "$app/app.cjs"

# --- types under three resolutions ----------------------------------------------------
cat > "$app/consumer.ts" <<'EOF'
import { NodeRuntime } from "@effect/platform-node"
import { PostpressClient, type PostpressError } from "@postpress/core"
import * as PostpressConfig from "@postpress/core/PostpressConfig"
import { NodePostpress } from "@postpress/node"
import { PostpressSimulator } from "@postpress/simulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
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
{ "compilerOptions": { $strict, "module": "nodenext", "moduleResolution": "nodenext", "skipLibCheck": false }, "files": ["consumer.mts", "consumer.cts"] }
EOF
cat > "$app/tsconfig.bundler.json" <<EOF
{ "compilerOptions": { $strict, "module": "preserve", "moduleResolution": "bundler", "skipLibCheck": false }, "files": ["consumer.ts"] }
EOF
cat > "$app/tsconfig.node10.json" <<EOF
{ "compilerOptions": { $strict, "module": "commonjs", "moduleResolution": "node10", "skipLibCheck": true }, "files": ["consumer.ts"] }
EOF
cp "$app/consumer.ts" "$app/consumer.mts"
cp "$app/consumer.ts" "$app/consumer.cts"
for resolution in nodenext bundler node10; do
  check "tsc --noEmit, moduleResolution $resolution" bash -c "cd '$app' && npx tsc -p tsconfig.$resolution.json"
done

# --- the simulator's command -------------------------------------------------------
check "npx postpress-simulator --help exits 0" bash -c "cd '$app' && npx --no-install postpress-simulator --help"
cat > "$app/simulator.mjs" <<'EOF'
import { spawn } from "node:child_process"
import assert from "node:assert"
// the installed bin itself (npx would leave the server running when killed)
const bin = new URL("node_modules/.bin/postpress-simulator", import.meta.url).pathname
const child = spawn(bin, ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] })
const timer = setTimeout(() => { console.error("the simulator did not start in 30 s"); child.kill(); process.exit(1) }, 30_000)
let out = ""
child.stdout.on("data", async (chunk) => {
  out += chunk
  const baseUrl = /listening on (\S+)/.exec(out)?.[1]
  const chatId = /a chat:\s+(\S+)/.exec(out)?.[1]
  if (!baseUrl || !chatId || !out.includes("curl")) return
  clearTimeout(timer)
  try {
    const response = await fetch(`${baseUrl}/chats/${chatId}`, { headers: { "X-API-KEY": "not-the-key" } })
    const body = await response.json()
    assert.strictEqual(response.status, 401)
    assert.strictEqual(body.status, 401)
    assert.strictEqual(typeof body.title, "string")
    assert.match(body.type, /^errors\//)
    console.log("401", body.type)
  } catch (error) {
    console.error(error)
    process.exitCode = 1
  } finally {
    child.kill()
  }
})
EOF
check "the served simulator answers a wrong key with the 401 envelope" node "$app/simulator.mjs"

# --- what is installed, and what can be imported ------------------------------------
check "npm ls tsx finds nothing" bash -c "cd '$app' && ! npm ls tsx --all > /dev/null 2>&1"
cat > "$app/internal.mjs" <<'EOF'
import assert from "node:assert"
import { createRequire } from "node:module"
const require = createRequire(import.meta.url)
await assert.rejects(import("@postpress/core/internal/client"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" })
await assert.rejects(import("@postpress/core/internal/client.js"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" })
assert.throws(() => require("@postpress/core/internal/client"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" })
await assert.rejects(import("@postpress/simulator/internal/dataset"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" })
// every public module is importable on its own path, both ways
for (const name of ["PostpressClient", "PostpressError", "PostpressConfig", "PostpressApi", "Message"]) {
  assert.ok(Object.keys(await import(`@postpress/core/${name}`)).length > 0, name)
  assert.ok(Object.keys(require(`@postpress/core/${name}`)).length > 0, name)
}
EOF
check "internal paths fail with ERR_PACKAGE_PATH_NOT_EXPORTED; public modules import" node "$app/internal.mjs"
cat > "$app/exports.cjs" <<'EOF'
// every target of every exports map, main, module, types and bin is shipped JavaScript or a declaration
const fs = require("node:fs")
const path = require("node:path")
const targets = (value) =>
  value === null ? [] : typeof value === "string" ? [value] : Object.values(value).flatMap(targets)
let bad = []
for (const name of ["core", "node", "simulator"]) {
  const root = path.join(__dirname, "node_modules/@postpress", name)
  const manifest = require(path.join(root, "package.json"))
  const all = [...targets(manifest.exports), manifest.main, manifest.module, manifest.types, ...targets(manifest.bin ?? {})]
  for (const target of all.filter(Boolean)) {
    if (!/\.(js|d\.ts|json)$/.test(target) || /\.ts$/.test(target) && !/\.d\.ts$/.test(target)) bad.push(`${name}: ${target}`)
    else if (!fs.existsSync(path.join(root, target))) bad.push(`${name}: ${target} (missing)`)
  }
  const files = fs.readdirSync(root, { recursive: true }).map(String)
  for (const file of files) if (/(^|\/)(test|build)\/|tsbuildinfo$/.test(file)) bad.push(`${name} ships ${file}`)
  for (const file of ["README.md", "LICENSE", "CHANGELOG.md"]) if (!files.includes(file)) bad.push(`${name} lacks ${file}`)
}
if (bad.length > 0) { console.error(bad.join("\n")); process.exit(1) }
EOF
check "exports, main, module, types and bin point at shipped .js/.d.ts; README, LICENSE, CHANGELOG; no tests in the tarballs" node "$app/exports.cjs"
check "no public .d.ts imports from internal/ (every type in a public declaration is public)" bash -c \
  "cd '$app/node_modules/@postpress' && ! grep -rnoE --include='*.d.ts' --exclude-dir=internal '\"(\\.\\.?/)+internal/[^\"]*\"' */dist/dts"
check "the bin is compiled JavaScript with a node shebang" bash -c \
  "head -n 1 '$app/node_modules/@postpress/simulator/dist/esm/bin/postpress-simulator.js' | grep -qx '#!/usr/bin/env node'"

# --- a minimal app, bundled -------------------------------------------------------------
cat > "$app/minimal.mjs" <<'EOF'
import { NodeRuntime } from "@effect/platform-node"
import { PostpressClient } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import { Console, Effect, Redacted } from "effect"

Effect.gen(function*() {
  const client = yield* PostpressClient.PostpressClient
  const chat = yield* client.chats.retrieve(process.argv[2] ?? "chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
  yield* Console.log(chat.name)
}).pipe(
  Effect.provide(NodePostpress.layer({ apiKey: Redacted.make(process.env.POSTPRESS_API_KEY ?? "") })),
  NodeRuntime.runMain
)
EOF
if out="$(cd "$app" && npx esbuild minimal.mjs --bundle --minify --platform=node --format=esm \
  --outfile=minimal.bundle.mjs --log-level=warning 2>&1)"; then
  size="$(wc -c < "$app/minimal.bundle.mjs")"
  gzipped="$(gzip -9 -c "$app/minimal.bundle.mjs" | wc -c)"
  # strings only the simulator holds: its default key, its fault header, its dataset's words
  if grep -qE 'pp_test_simulator|x-postpress-simulator-fault|postpress\.simulator' "$app/minimal.bundle.mjs"; then
    not_ok "the minimal app's bundle holds simulator code"
  else
    ok "minimal app (retrieve one chat through NodePostpress.layer), esbuild --bundle --minify: $((size / 1024)) KiB, $((gzipped / 1024)) KiB gzipped, no simulator code"
  fi
else
  not_ok "esbuild --bundle --minify of a minimal app" "$out"
fi

finish
