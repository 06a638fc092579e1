// Runs one cell of the runtime matrix (edition × runtime × layer), prints its
// line (`ok - …` or `not ok - …` with the reason indented under it) and
// appends its record to $RESULTS (JSON lines, read by report.mjs).
//
//   node cell.mjs <edition> <runtime> <layer>
//     runtime: node | bun | deno | workerd | chromium | chromium-csp
//
// Environment: APP (the edition's fresh npm project, holding the cell files
// and, for workerd, worker.js), API (the loopback API's origin, which also
// serves the browser pages), BULK_PAGES (the pages of 250 messages the API's
// bulk chat has), TOOLS (the npm project holding bun, deno, workerd and
// playwright-core), NODE_BIN (node cells: the node binary), CHROMIUM (browser
// cells: chromium-headless-shell), RESULTS.
//
// A cell passes when the program passed through the layer — the chat, its 3
// pages, NotFound for the missing message, TransportError for the reset one,
// every bulk run complete — or when building the layer refused at once with
// the sentence naming the layer to use instead; and, either way, when the API
// key appears nowhere in what the runtime printed, logged or answered (its
// stdout and stderr, the console, the page, the program's own record of
// every console line), the program's log lines being seen there.
import { spawn } from "node:child_process"
import * as crypto from "node:crypto"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as net from "node:net"
import * as path from "node:path"

/* global AbortSignal */

const [edition, runtime, layer] = process.argv.slice(2)
const { API, APP, CHROMIUM, NODE_BIN, RESULTS, TOOLS } = process.env
const BULK = Number(process.env.BULK_PAGES ?? 50) * 250
const CHAT_ID = "chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR"
const TIMEOUT = 90_000
const baseUrl = `${API}/api/v1`
const bin = (name) => path.join(TOOLS, "node_modules", ".bin", name)
const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
/** A key of the form the loopback API takes, new for each cell. */
const key = "pp_runtime_" + Array.from(crypto.randomBytes(24), (byte) => alphabet[byte % 36]).join("")

/** Runs a command to its end (or TIMEOUT), with its stdout and stderr as one text. */
const capture = (command, args, options) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout.on("data", (chunk) => (output += chunk))
    child.stderr.on("data", (chunk) => (output += chunk))
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT)
    child.on("error", (error) => (output += `\n${error.message}`))
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })

const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer()
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

/** Node, Bun, Deno: cell-server.mjs in the project, the key in the environment. */
const onServer = async (command, args) => {
  const { output } = await capture(command, [...args, "cell-server.mjs", layer, baseUrl], {
    cwd: APP,
    env: { ...process.env, POSTPRESS_API_KEY: key, POSTPRESS_BASE_URL: baseUrl, NO_COLOR: "1" }
  })
  const line = output.split("\n").reverse().find((line) => line.startsWith("RESULT "))
  const result = line !== undefined
    ? JSON.parse(line.slice("RESULT ".length))
    : { failure: `no result; the runtime printed:\n${output.slice(-3000)}` }
  return { result, version: result.version ?? runtime, seen: [output] }
}

/** workerd: the bundled Worker served on a free port, its outbound fetch allowed to loopback addresses. */
const onWorkerd = async () => {
  const port = await freePort()
  fs.writeFileSync(
    path.join(APP, "worker.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # the Worker's global fetch: the network, private addresses (127.0.0.1 among them) included; workerd's default
    # allows only public ones ("connecting to 127.0.0.1:… is not allowed")
    (name = "loopback", network = (allow = ["public", "private"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
  bindings = [
    (name = "POSTPRESS_API_KEY", text = "${key}"),
    (name = "POSTPRESS_BASE_URL", text = "${baseUrl}"),
  ],
);
`
  )
  const child = spawn(bin("workerd"), ["serve", "worker.capnp", "--verbose"], {
    cwd: APP,
    stdio: ["ignore", "pipe", "pipe"]
  })
  let output = ""
  child.stdout.on("data", (chunk) => (output += chunk))
  child.stderr.on("data", (chunk) => (output += chunk))
  const exited = new Promise((resolve) => child.on("close", resolve))
  const version = `workerd ${
    JSON.parse(fs.readFileSync(path.join(TOOLS, "node_modules/workerd/package.json"))).version
  }`
  try {
    const deadline = Date.now() + TIMEOUT
    for (;;) {
      try {
        const answer = await (await fetch(`http://127.0.0.1:${port}/run`, { signal: AbortSignal.timeout(TIMEOUT) }))
          .text()
        // the Worker's console output reaches workerd's stderr a moment after the response
        await new Promise((resolve) => setTimeout(resolve, 200))
        return { result: JSON.parse(answer), version, seen: [answer, output] }
      } catch (error) {
        if (child.exitCode !== null || Date.now() > deadline) {
          return {
            result: { failure: `${error.message}; workerd printed:\n${output.slice(-3000)}` },
            version,
            seen: [output]
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
  } finally {
    child.kill("SIGTERM")
    await exited
  }
}

/** chromium-headless-shell through playwright-core: the page on the API's origin, optionally under a strict CSP. */
const onChromium = async (csp) => {
  const { chromium } = createRequire(path.join(TOOLS, "package.json"))("playwright-core")
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"], timeout: 30_000 })
  const version = `chromium ${browser.version()}${csp ? " (CSP script-src 'self')" : ""}`
  const console = []
  try {
    const page = await browser.newPage()
    page.on("console", (message) => console.push(`${message.type()}: ${message.text()}`))
    page.on("pageerror", (error) => console.push(`pageerror: ${error.stack ?? error.message}`))
    await page.goto(`${API}/${edition}/index.html${csp ? "?csp=1" : ""}#key=${key}`)
    try {
      await page.waitForSelector("#result", { state: "attached", timeout: TIMEOUT })
    } catch (error) {
      return { result: { failure: `${error.message}\n${console.join("\n")}` }, version, seen: console }
    }
    const result = JSON.parse(await page.textContent("#result"))
    return { result, version, seen: [console.join("\n"), await page.content()] }
  } finally {
    await browser.close()
  }
}

const started = Date.now()
const { result, seen, version } = await (async () => {
  try {
    switch (runtime) {
      case "node":
        return await onServer(NODE_BIN, [])
      case "bun":
        return await onServer(bin("bun"), [])
      case "deno":
        return await onServer(bin("deno"), ["run", "-A"])
      case "workerd":
        return await onWorkerd()
      case "chromium":
      case "chromium-csp":
        return await onChromium(runtime === "chromium-csp")
    }
    return { result: { failure: `unknown runtime ${runtime}` }, version: runtime, seen: [] }
  } catch (error) {
    return { result: { failure: error.stack ?? String(error) }, version: runtime, seen: [] }
  }
})()

const everything = [...seen, JSON.stringify(result)].join("\n")
const leaked = everything.includes(key)
const logsSeen = (result.logs ?? []).some((line) => line.startsWith("options:")) &&
  seen.some((text) => text.includes("options:"))
const passed = result.failure === undefined && result.chat === CHAT_ID && result.messages === 3 &&
  result.allMessages === true && result.notFound === "NotFound" && result.transport === "TransportError" &&
  result.bulk.every((count) => count === BULK)
const refusal = /NodePostpress\.\w+ cannot run here[^\n]*: use [^\n]* instead/.exec(result.failure ?? "")?.[0]
const refused = refusal !== undefined && !/TransportError/.test(result.failure)
const ok = (passed || refused) && !leaked && logsSeen

const rate = result.msgPerSec === undefined ? "" : `${result.msgPerSec.toLocaleString("en-US")} msg/s`
const decoding = result.codegen === false ? " (new Function refused)" : ""
const keyIn = leaked ? "the key in the output" : "key in no output"
const what = passed
  ? `${result.messages} pages, ${result.notFound}, ${result.transport} on a reset, ${keyIn}, ${rate}${decoding}`
  : refused
  ? `refuses at construction: "${refusal}", ${keyIn}`
  : "the program failed"
const problems = [
  leaked ? "the API key appears in the runtime's output" : undefined,
  logsSeen ? undefined : "the program's log lines were not seen in the runtime's output",
  passed || refused ? undefined : (result.failure ?? JSON.stringify({ ...result, logs: undefined }))
].filter((problem) => problem !== undefined)
console.log(`${ok ? "ok" : "not ok"} - ${edition} / ${version} / ${layer}: ${what}`)
for (const problem of problems) console.log(problem.split("\n").slice(0, 40).map((line) => `    ${line}`).join("\n"))

fs.appendFileSync(
  RESULTS,
  JSON.stringify({
    edition,
    runtime,
    version,
    layer,
    ok,
    outcome: passed ? "passes" : refused ? "refuses" : "fails",
    msgPerSec: passed ? result.msgPerSec : undefined,
    codegen: result.codegen,
    seconds: (Date.now() - started) / 1000
  }) + "\n"
)
process.exit(ok ? 0 : 1)
