import { assert, describe, it } from "@effect/vitest"
import { PostpressSimulator } from "@postpress/simulator"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const examples = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")
/** The repository's root (the Effect 4 workspace is its `effect4/`). */
const root = Path.resolve(examples, "..", "..")

/** A small simulated dataset, and no real API key. */
const env = (): NodeJS.ProcessEnv => {
  const env: Record<string, string | undefined> = {
    ...process.env,
    POSTPRESS_SIMULATOR_CHATS: "12",
    POSTPRESS_SIMULATOR_MESSAGES: "300",
    POSTPRESS_API_KEY: undefined
  }
  return env as NodeJS.ProcessEnv
}

/** What a finished child process printed. */
interface Output {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs a command in a process group of its own, on a small simulated dataset;
 * past `timeout` the whole group is killed (pnpm, tsx and the example), so
 * that a hung example leaves no process behind.
 */
const spawn = (command: string, args: ReadonlyArray<string>, cwd: string, timeout: number): Promise<Output> =>
  new Promise((resolve, reject) => {
    const child = ChildProcess.spawn(command, args, {
      cwd,
      env: env(),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"]
    })
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL")
      } catch {
        // the group has already exited
      }
    }
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (data: string) => (stdout += data))
    child.stderr.setEncoding("utf8").on("data", (data: string) => (stderr += data))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      killGroup()
    }, timeout)
    child.on("error", (error) => {
      clearTimeout(timer)
      killGroup()
      reject(error)
    })
    child.on("close", (status) => {
      clearTimeout(timer)
      killGroup()
      resolve({ status, stdout, stderr: timedOut ? `${stderr}\n(killed after ${timeout} ms)` : stderr })
    })
  })

/** Runs an example as `pnpm run` would, on a small simulated dataset. */
const run = async (script: string, args: ReadonlyArray<string> = []) => {
  const result = await spawn(process.execPath, ["--import", "tsx", `src/${script}.ts`, ...args], examples, 50_000)
  assert.strictEqual(result.status, 0, result.stderr)
  return result.stdout
}

/**
 * Runs an example exactly as the README prints it, `pnpm run <script> -- <args>`
 * from the repository's root, whose script runs
 * `node scripts/effect4.mjs --filter @postpress/examples run <script>`: pnpm
 * in the Effect 4 workspace, on its Node, with the arguments passed on.
 */
const pnpmRun = async (script: string, args: ReadonlyArray<string>) => {
  const result = await spawn(
    process.execPath,
    ["scripts/effect4.mjs", "--filter", "@postpress/examples", "run", script, "--", ...args],
    root,
    100_000
  )
  assert.strictEqual(result.status, 0, `${result.stdout}\n${result.stderr}`)
  return result.stdout
}

/** A span as the tracing example prints it: `  name (kind, status)`, then one `    key  value` line per attribute. */
interface PrintedSpan {
  readonly name: string
  readonly status: string
  readonly attributes: Record<string, string>
}

/** The `postpress.*` spans the tracing example printed, in order. */
const printedSpans = (out: string): Array<PrintedSpan> => {
  const spans: Array<{ name: string; status: string; attributes: Record<string, string> }> = []
  for (const line of out.split("\n")) {
    const header = /^ {2}(postpress\.\S+) \(client, (.*)\)$/.exec(line)
    const attribute = /^ {4}(\S+)\s+(.*)$/.exec(line)
    if (header !== null) spans.push({ name: header[1]!, status: header[2]!, attributes: {} })
    else if (attribute !== null && spans.length > 0) spans[spans.length - 1]!.attributes[attribute[1]!] = attribute[2]!
  }
  return spans
}

describe("examples run as the README prints them (pnpm run <script> -- <options>)", () => {
  it("export -- --out FILE writes the file it was given", async () => {
    const file = Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "postpress-export-")), "export.ndjson")
    const out = await pnpmRun("export", ["--out", file, "--concurrency", "2"])
    assert.include(out, `into ${file}`)
    assert.isAbove(Fs.readFileSync(file, "utf8").trim().split("\n").length, 0)
    // run again, the same command fetches only what is new: here nothing
    assert.match(await pnpmRun("export", ["--out", file, "--concurrency", "2"]), /^Incremental export: 0 new messages/m)
  }, 120_000)

  it("resume -- --out DIR --stop-after N and watch -- --seconds N --interval S take their options", async () => {
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "postpress-resume-"))
    assert.include(await pnpmRun("resume", ["--out", dir, "--stop-after", "1"]), "run 1 stopped after 1 pages")
    assert.include(await pnpmRun("watch", ["--seconds", "2", "--interval", "1"]), "for 2s (polling every 1s)")
  }, 120_000)
})

describe("examples on the embedded simulator", () => {
  it("quickstart retrieves a chat, its attendees and a page of messages", async () => {
    const out = await run("quickstart")
    assert.include(out, "embedded postpress simulator")
    assert.include(out, "Attendees:")
    assert.match(out, /The 10 most recent messages/)
  }, 60_000)

  it("export writes every chat and message of the attendee as NDJSON, and sums it up", async () => {
    const file = Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "postpress-export-")), "export.ndjson")
    const out = await run("export", ["--out", file])
    const lines = Fs.readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line))
    const chats = lines.filter((line) => line.object === "Chat")
    const messages = lines.filter((line) => line.object === "Message")
    assert.isAbove(chats.length, 0)
    assert.strictEqual(new Set(messages.map((m) => m.id)).size, messages.length)
    // every chat of this dataset holds 300 messages, or none (every twelfth chat is empty)
    const perChat = new Map<string, number>()
    for (const m of messages) perChat.set(m.chat_id, (perChat.get(m.chat_id) ?? 0) + 1)
    for (const chat of chats) assert.include([0, 300], perChat.get(chat.id) ?? 0)
    assert.include(
      out,
      `Fresh export: ${messages.length.toLocaleString("en-US")} new messages, ${chats.length} new chats`
    )
    assert.include(out, `(now ${messages.length.toLocaleString("en-US")} messages from ${chats.length} chats)`)
    // the state file beside the output covers every byte of it, and the run went through every chat
    const state = JSON.parse(Fs.readFileSync(`${file}.state.json`, "utf8"))
    assert.strictEqual(state.bytes, Fs.statSync(file).size)
    assert.isTrue(state.complete)
    assert.deepStrictEqual(Object.keys(state.chats).sort(), chats.map((chat) => chat.id).sort())
  }, 60_000)

  it("enrich names each message's chat and sender, with one request per page and two per chat", async () => {
    const file = Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "postpress-enrich-")), "enrich.ndjson")
    const out = await run("enrich", ["--out", file, "--chats", "3"])
    const lines = Fs.readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line))
    assert.strictEqual(lines.length, 3 * 300)
    assert.include(out, "Wrote 900 messages from 3 chats")
    const senders = new Map<string, string>()
    for (const line of lines) {
      assert.strictEqual(line.object, "Message")
      assert.isTrue(line.chat_name === null || typeof line.chat_name === "string")
      assert.isString(line.sender_name)
      // one name per sender
      assert.strictEqual(senders.get(line.sender_attendee_id) ?? line.sender_name, line.sender_name)
      senders.set(line.sender_attendee_id, line.sender_name)
    }
    const chats = new Set(lines.map((line) => line.chat_id)).size
    const pages = Number(/pages: +(\d+) of messages/.exec(out)?.[1])
    const served = /HTTP requests: (\d+) = (\d+) pages \+ (\d+) chats\.retrieve \+ (\d+) chats\.attendees\.list/.exec(
      out
    )
    assert.isNotNull(served, out)
    const [total, pagesServed, retrieves, attendeeLists] = served!.slice(1).map(Number)
    // 1,800 lookups, and yet one chats.retrieve and one chats.attendees.list per chat: the rest shared or cached
    assert.include(out, "lookups:       1,800")
    assert.strictEqual(total, chats + chats + pages)
    assert.deepStrictEqual([pagesServed, retrieves, attendeeLists], [pages, chats, chats])
  }, 60_000)

  it("resume stops half-way, restarts from the saved cursor, and ends with exactly the chat's messages", async () => {
    const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "postpress-resume-"))
    const out = await run("resume", ["--out", dir, "--stop-after", "2"])
    assert.include(out, "run 1 stopped after 2 pages")
    assert.match(out, /run 2 resumed from the checkpoint and wrote 1 more pages/)
    assert.include(out, "300 messages")
    assert.include(out, "exactly the chat's messages, in order")
  }, 60_000)

  it("watch prints the messages that arrive while it runs", async () => {
    const out = await run("watch", ["--seconds", "4", "--interval", "1"])
    const arrived = Number(/(\d+) new messages/.exec(out)?.[1])
    assert.isAtLeast(arrived, 2)
    assert.strictEqual(out.trim().split("\n").filter((line) => line.startsWith("  20")).length, arrived)
  }, 60_000)

  it(
    "tracing prints one span per call: method, path template, status, attempts, request id; never the key",
    async () => {
      const out = await run("tracing")
      const spans = printedSpans(out)
      assert.deepStrictEqual(spans.map((span) => span.name), [
        "postpress.chats.retrieve",
        "postpress.chats.messages.list",
        "postpress.messages.retrieve",
        "postpress.chats.retrieve"
      ])
      const [chat, page, missing, retried] = spans
      for (const span of spans) {
        assert.strictEqual(span.attributes["http.request.method"], "GET", span.name)
        // what the simulator's router notes goes on its own server span, not on the client's
        assert.notProperty(span.attributes, "http.route", span.name)
      }
      // the path template, not the path with the ids in it (those are attributes of their own)
      assert.strictEqual(chat!.attributes["url.template"], "/chats/{chat_id}")
      assert.match(chat!.attributes["postpress.chat_id"] ?? "", /^chat_/)
      assert.strictEqual(page!.attributes["url.template"], "/chats/{chat_id}/messages")
      assert.strictEqual(page!.attributes["postpress.limit"], "5")
      // @effect/opentelemetry 4 leaves a successful span's status UNSET, as OpenTelemetry asks of instrumentation
      // libraries (0.64, for Effect 3, set OK)
      assert.deepStrictEqual(
        [chat, page].map((span) => [span!.status, span!.attributes["http.response.status_code"]]),
        [["UNSET", "200"], ["UNSET", "200"]]
      )
      // the 404: its status, its tag and the request id to quote
      assert.strictEqual(missing!.attributes["url.template"], "/messages/{message_id}")
      assert.match(missing!.status, /^ERROR: 404 /)
      assert.strictEqual(missing!.attributes["http.response.status_code"], "404")
      assert.strictEqual(missing!.attributes["error.type"], "NotFound")
      assert.match(missing!.attributes["postpress.request_id"] ?? "", /^req_/)
      // the injected 503, retried: one span, two attempts, the last one's status
      assert.strictEqual(chat!.attributes["postpress.attempts"], "1")
      assert.strictEqual(retried!.attributes["postpress.attempts"], "2")
      assert.strictEqual(retried!.attributes["http.request.resend_count"], "1")
      assert.strictEqual(retried!.attributes["http.response.status_code"], "200")
      assert.notProperty(retried!.attributes, "error.type")
      // the simulator served five requests (its own spans), and the key is nowhere
      assert.include(out, "(and 5 http.server spans of the simulator, one per HTTP attempt: not shown)")
      assert.include(out, "The API key appears in none of the 10 spans")
      assert.notInclude(out, PostpressSimulator.defaultApiKey)
    },
    60_000
  )

  it("errors shows one handled outcome per tag", async () => {
    const out = await run("errors")
    // every tag of the client, each named on the line of the scenario that landed in it
    for (
      const tag of [
        "Unauthorized",
        "Forbidden",
        "NotFound",
        "InternalServerError",
        "ServiceUnavailable",
        "GatewayTimeout",
        "TooManyRequests",
        "UnexpectedStatus",
        "MalformedResponse",
        "TransportError",
        "RequestTimeout",
        "InvalidRequest"
      ]
    ) assert.match(out, new RegExp(`→ ${tag}: `), tag)
    for (
      const expected of [
        "→ found: msg_",
        "no such message",
        "is not a message id",
        "bad input: message_id",
        "credentials expired",
        "not allowed",
        "quote req_",
        "errors/network_down",
        "the provider timed out",
        "errors/brand_new_outage",
        "→ TooManyRequests: rate limited; retry in 2s",
        "unexpected HTTP 502",
        "→ MalformedResponse: unreadable 503 response",
        "network failure: Transport error",
        "network failure: Decode error",
        "→ RequestTimeout: timed out: The request got no response within 200ms"
      ]
    ) assert.include(out, expected)
    // the shared Retry-After pause is announced before the call that waits it out (not 30 s of silence)
    const lines = out.split("\n")
    const limited = lines.findIndex((line) => line.includes("→ TooManyRequests: "))
    assert.match(lines[limited + 1] ?? "", /waiting 2s: the client holds every call until the Retry-After is over/)
    assert.match(lines[limited + 2] ?? "", / → [A-Za-z]+: /)
    assert.notInclude(out, "retry in 30s")
  }, 60_000)
})
