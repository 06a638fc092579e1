/**
 * The export as a sync (`pnpm run export`): killed at random points and run
 * again it ends with what an uninterrupted export writes, each line once; run
 * after new messages arrive it appends only those; a state file of another
 * export is refused. The export runs as a child process, killed with its
 * process group (`kill -9`).
 */
import { assert, describe, it } from "@effect/vitest"
import type { Message } from "@postpress/core"
import { NodeSimulator, PostpressSimulator } from "@postpress/simulator"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as ExportState from "../src/ExportState.js"

const examples = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")

/** A run of the export: its process, and what it printed once it ends. */
interface Run {
  readonly child: ChildProcess.ChildProcess
  readonly done: Promise<{ readonly status: number | null; readonly stdout: string; readonly stderr: string }>
  /** `kill -9` of the run's process group. */
  readonly kill: () => void
  /** What it printed so far. */
  readonly printed: () => string
}

/** Starts the export in a process group of its own (`env` on top of the test's, no real API key unless given). */
const start = (args: ReadonlyArray<string>, env: Record<string, string>): Run => {
  const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", "src/export.ts", ...args], {
    cwd: examples,
    env: { ...process.env, POSTPRESS_API_KEY: undefined, ...env } as NodeJS.ProcessEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"]
  })
  const kill = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL")
    } catch {
      // the group has exited
    }
  }
  let stdout = ""
  let stderr = ""
  child.stdout!.setEncoding("utf8").on("data", (data: string) => (stdout += data))
  child.stderr!.setEncoding("utf8").on("data", (data: string) => (stderr += data))
  const timer = setTimeout(kill, 60_000)
  const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on("error", reject)
    child.on("close", (status) => {
      clearTimeout(timer)
      kill()
      resolve({ status, stdout, stderr })
    })
  })
  return { child, done, kill, printed: () => stdout }
}

/** Runs the export to its end; it must succeed. */
const complete = async (args: ReadonlyArray<string>, env: Record<string, string>): Promise<string> => {
  const result = await start(args, env).done
  assert.strictEqual(result.status, 0, `${result.stdout}\n${result.stderr}`)
  return result.stdout
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const sizeOf = (file: string) => (Fs.existsSync(file) ? Fs.statSync(file).size : 0)

const stateOf = (file: string): ExportState.State | undefined => {
  const path = ExportState.pathOf(file)
  return Fs.existsSync(path) ? JSON.parse(Fs.readFileSync(path, "utf8")) : undefined
}

const linesOf = (file: string): Array<string> => Fs.readFileSync(file, "utf8").split("\n").filter((line) => line !== "")

/** Each line once, and the same set as `expected`. */
const assertSameLinesOnce = (actual: ReadonlyArray<string>, expected: ReadonlyArray<string>) => {
  assert.strictEqual(new Set(actual).size, actual.length, "a line is written twice")
  assert.strictEqual(actual.length, expected.length)
  const wanted = new Set(expected)
  const missing = actual.filter((line) => !wanted.has(line))
  assert.deepStrictEqual(missing.slice(0, 3), [], "lines an uninterrupted export does not write")
}

/** A small, seeded pseudo-random generator (mulberry32): the kill points of a seed are the same from run to run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const tempFile = (prefix: string) => Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), prefix)), "export.ndjson")

/** 5 chats of the first account, 4,000 messages each: 80 pages of 250. */
const small = { POSTPRESS_SIMULATOR_CHATS: "30", POSTPRESS_SIMULATOR_MESSAGES: "4000" }

describe("export: crash-safe and resumable", () => {
  it(
    "killed with kill -9 at 22 random points, then run again, it writes what an uninterrupted export does, each line once",
    async () => {
      const reference = tempFile("postpress-export-reference-")
      await complete(["--out", reference], small)
      const expected = linesOf(reference)
      const total = sizeOf(reference)
      const pageBytes = total / 80

      const out = tempFile("postpress-export-killed-")
      const next = random(Number(process.env.EXPORT_KILL_SEED ?? 25))
      let kills = 0
      let pastState = 0
      let torn = 0
      let finished = 0
      let progressed = 0
      while (kills < 22) {
        const committed = stateOf(out)?.bytes ?? 0
        const run = start(["--out", out], small)
        const runs = () => run.child.exitCode === null
        const until = async (condition: () => boolean) => {
          const deadline = Date.now() + 30_000
          while (!condition() && runs() && Date.now() < deadline) await sleep(1)
        }
        if (kills % 6 === 0) {
          // while it starts: before its first write, or during it
          await sleep(300 + next() * 1_000)
        } else {
          // once it writes: after a random time, or once the output grows past a random point of the next pages
          // (it prints where it writes once it has cut off what a killed run left past the state)
          await until(() => run.printed().includes("  into ") && sizeOf(out) > committed)
          if (kills % 2 === 0) await sleep(next() * 800)
          else {
            const target = committed + (0.3 + next() * 5) * pageBytes
            await until(() => sizeOf(out) >= target)
          }
        }
        const exited = run.child.exitCode !== null
        run.kill()
        const result = await run.done
        if (exited && result.status === 0) {
          // this run finished before its kill point: its output is checked, and the next one starts over
          finished++
          assertSameLinesOnce(linesOf(out), expected)
          Fs.rmSync(ExportState.pathOf(out))
          continue
        }
        kills++
        if (sizeOf(out) > (stateOf(out)?.bytes ?? 0)) pastState++
        // what a killed run saved, the next one does not fetch again
        if ((stateOf(out)?.bytes ?? 0) > committed) progressed++
        if (kills % 5 === 0 && Fs.existsSync(out)) {
          // a write torn by the kill: half a line past the state
          Fs.appendFileSync(out, expected[0]!.slice(0, 100))
          torn++
        }
      }
      const last = await complete(["--out", out], small)
      assert.match(last, /^Resumed export: /m)
      assertSameLinesOnce(linesOf(out), expected)
      assert.isAtLeast(kills, 20)
      assert.isAtLeast(torn, 4)
      assert.isAtLeast(progressed, 5)
      // the kill points, for the log: how many left lines past the state (cut off by the next run)
      console.log(
        `${kills} kills (${progressed} after the run saved progress, ${pastState} past the state, ${torn} torn writes), ${finished} runs finished`
      )
    },
    180_000
  )

  it("a pass at a shared timestamp writes each message once: shifted pages, the floor's instant, new arrivals at it", () => {
    const at = (id: string, timestamp: string) => ({ id, timestamp }) as Message.Message
    const t1 = "2026-01-01T00:00:01.000Z"
    const t2 = "2026-01-01T00:00:02.000Z"
    const t3 = "2026-01-01T00:00:03.000Z"
    // first pass: newest first, two messages share t2
    const first = ExportState.applyPage(ExportState.beginPass(ExportState.newChat), [at("c", t3), at("b", t2)], "p2")
    assert.deepStrictEqual(first.chat.newest, { timestamp: t3, ids: ["c"] })
    // a message arrived on top: the next page repeats "b" (the list shifted by one), then goes on
    const second = ExportState.applyPage(first.chat, [at("b", t2), at("a2", t2), at("a", t1)], null)
    assert.deepStrictEqual(second.write.map((message) => message.id), ["a2", "a"])
    assert.strictEqual(second.chat.messages, 4)
    assert.isNull(second.chat.pass)
    // the next pass lists from just before the newest instant: "c" again (skipped), "d" that arrived at t3, "e"
    const again = ExportState.beginPass(second.chat)
    assert.strictEqual(ExportState.justBefore(again.pass!.floor!), "2026-01-01T00:00:02.999Z")
    const third = ExportState.applyPage(again, [at("e", "2026-01-01T00:00:04.000Z"), at("d", t3), at("c", t3)], null)
    assert.deepStrictEqual(third.write.map((message) => message.id), ["e", "d"])
    assert.deepStrictEqual(third.chat.newest, { timestamp: "2026-01-01T00:00:04.000Z", ids: ["e"] })
    // and one more at the newest instant
    const fourth = ExportState.applyPage(ExportState.beginPass(third.chat), [at("f", "2026-01-01T00:00:04.000Z")], null)
    assert.deepStrictEqual(fourth.write.map((message) => message.id), ["f"])
    assert.deepStrictEqual(fourth.chat.newest!.ids, ["e", "f"])
  })
})

describe("export: incremental", () => {
  /** A simulator served on a free port, whose chats 0, 3, 6 and 9 gain one message per (simulated) day. */
  const serve = async () => {
    const scope = Scope.makeUnsafe()
    const context = await Effect.runPromise(Layer.buildWithScope(
      NodeSimulator.layer({
        port: 0,
        seed: 2026,
        accounts: 3,
        chats: 30,
        // 504 + 6 arrivals end at message 509; the 7th, message 510, shares its timestamp (every 17th does)
        messagesPerChat: 504,
        arrivals: { chats: [0, 3, 6, 9], every: "1 day" }
      }),
      scope
    ))
    const simulator = Context.get(context, PostpressSimulator.PostpressSimulator)
    const baseUrl = await Effect.runPromise(Effect.provideContext(NodeSimulator.baseUrl, context))
    return { simulator, baseUrl, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
  }

  it(
    "appends only the messages that arrived (one at a shared timestamp included); with nothing new, one request per chat",
    async () => {
      const { baseUrl, close, simulator } = await serve()
      try {
        const dataset = simulator.dataset
        const env = {
          POSTPRESS_API_KEY: PostpressSimulator.defaultApiKey,
          POSTPRESS_BASE_URL: baseUrl,
          POSTPRESS_ATTENDEE_ID: dataset.attendeeId(dataset.selfOf(0))
        }
        const out = tempFile("postpress-export-incremental-")
        const messagesOf = () =>
          linesOf(out).map((line) => JSON.parse(line)).filter((line) => line.object === "Message")
        const requestsOf = async (from: number) => {
          const requests = (await Effect.runPromise(simulator.requests)).slice(from)
          return {
            messages: requests.filter((request) => request.route === "chats.messages.list").length,
            chats: requests.filter((request) => request.route === "chatAttendees.chats.list").length
          }
        }
        const first = await complete(["--out", out], env)
        assert.match(first, /^Fresh export: /m)
        const exported = messagesOf()
        const chats = new Set(exported.map((message) => message.chat_id))
        const growing = [0, 3, 6, 9].filter((chat) => chats.has(dataset.chatId(chat)))
        assert.isAtLeast(growing.length, 1)

        // nothing new: the chat list's page and one page per chat, and not a byte written
        const size = sizeOf(out)
        let served = (await Effect.runPromise(simulator.requests)).length
        const idle = await complete(["--out", out], env)
        assert.match(idle, /^Incremental export: 0 new messages, 0 new chats/m)
        assert.deepStrictEqual(await requestsOf(served), { messages: chats.size, chats: 1 })
        assert.include(idle, `pages:    ${chats.size + 1} (${chats.size} of messages, 1 of chats)`)
        assert.strictEqual(sizeOf(out), size)

        // six messages arrive in each growing chat: those six are appended, and only them
        dataset.advanceTo(6 * 86_400_000)
        const newIds = (from: number, to: number) =>
          growing.flatMap((chat) => Array.from({ length: to - from }, (_, i) => dataset.messageId(chat, from + i)))
            .sort()
        served = (await Effect.runPromise(simulator.requests)).length
        const third = await complete(["--out", out], env)
        assert.match(third, new RegExp(`^Incremental export: ${6 * growing.length} new messages, 0 new chats`, "m"))
        assert.deepStrictEqual(
          messagesOf().slice(exported.length).map((message) => message.id).sort(),
          newIds(504, 510)
        )
        assert.deepStrictEqual(await requestsOf(served), { messages: chats.size, chats: 1 })

        // one more, at the same millisecond as the newest one written: appended once, not missed
        assert.strictEqual(dataset.timestampMs(0, 510), dataset.timestampMs(0, 509))
        dataset.advanceTo(7 * 86_400_000)
        const fourth = await complete(["--out", out], env)
        assert.match(fourth, new RegExp(`^Incremental export: ${growing.length} new messages, 0 new chats`, "m"))
        const all = messagesOf()
        assert.deepStrictEqual(
          all.slice(exported.length + 6 * growing.length).map((m) => m.id).sort(),
          newIds(510, 511)
        )
        assert.strictEqual(new Set(all.map((message) => message.id)).size, all.length)
      } finally {
        await close()
      }
    },
    120_000
  )

  it(
    "--fresh starts over; a state file of another attendee, or a run into the same output, is refused with one sentence",
    async () => {
      const out = tempFile("postpress-export-fresh-")
      const env = { POSTPRESS_SIMULATOR_CHATS: "12", POSTPRESS_SIMULATOR_MESSAGES: "300" }
      await complete(["--out", out], env)
      const lines = linesOf(out)
      assert.match(await complete(["--out", out, "--fresh"], env), /^Fresh export: /m)
      assert.deepStrictEqual(linesOf(out), lines)
      const refused = await start(["--out", out, "--attendee", "att_00000000000000000000000000"], env).done
      assert.notStrictEqual(refused.status, 0)
      assert.include(refused.stderr + refused.stdout, `The state file ${ExportState.pathOf(out)} is the export of `)
      assert.deepStrictEqual(linesOf(out), lines)
      // one run at a time: a lock held by a living process (this one) is refused, one left by a killed run taken over
      Fs.writeFileSync(`${out}.lock`, String(process.pid))
      const locked = await start(["--out", out], env).done
      assert.notStrictEqual(locked.status, 0)
      assert.include(locked.stderr + locked.stdout, `Another export (process ${process.pid}) is writing into ${out}`)
      const gone = ChildProcess.spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
        encoding: "utf8"
      }).stdout
      Fs.writeFileSync(`${out}.lock`, gone)
      assert.match(await complete(["--out", out], env), /^Incremental export: 0 new messages/m)
      assert.isFalse(Fs.existsSync(`${out}.lock`))
      assert.deepStrictEqual(linesOf(out), lines)
    },
    120_000
  )
})
