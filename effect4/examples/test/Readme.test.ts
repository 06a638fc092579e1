/**
 * The README's quick start, exactly as printed: extracted from README.md,
 * type-checked with this workspace's strict settings, and run against the
 * HTTP simulator with the attendee id the simulator gives (as its bin prints
 * it), printing chats with their messages.
 */
import { assert, describe, it } from "@effect/vitest"
import { NodeSimulator, PostpressSimulator } from "@postpress/simulator"
import * as Effect from "effect/Effect"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const examples = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")
const workspace = Path.resolve(examples, "..")
const readme = Fs.readFileSync(Path.resolve(workspace, "..", "README.md"), "utf8")

/** The ```ts blocks of one `## title` section of the README. */
const snippets = (title: string): ReadonlyArray<string> => {
  const start = readme.indexOf(`\n## ${title}\n`)
  assert.isAtLeast(start, 0, `the README has a "${title}" section`)
  const end = readme.indexOf("\n## ", start + 1)
  return [...readme.slice(start, end === -1 ? undefined : end).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)
}

const quickStart = snippets("Quick start")[0]!

/** Writes the quick start into a directory of its own under examples/ (so its imports resolve), removed after. */
const withQuickStart = <A, E, R>(f: (dir: string) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const dir = Fs.mkdtempSync(Path.join(examples, ".readme-"))
      Fs.writeFileSync(Path.join(dir, "quickstart.ts"), quickStart)
      Fs.writeFileSync(
        Path.join(dir, "tsconfig.json"),
        JSON.stringify({
          extends: Path.join(workspace, "tsconfig.base.json"),
          compilerOptions: { noEmit: true, composite: false, incremental: false },
          files: ["quickstart.ts"]
        })
      )
      return dir
    }),
    f,
    (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
  )

/** Runs a command to its end without blocking this process (the simulator serves from it). */
const exec = (command: string, args: ReadonlyArray<string>, cwd: string, env: NodeJS.ProcessEnv) =>
  Effect.callback<{ readonly status: number; readonly stdout: string; readonly stderr: string }>((resume) => {
    const child = ChildProcess.execFile(
      command,
      [...args],
      { cwd, env, timeout: 60_000 },
      (error, stdout, stderr) =>
        resume(
          Effect.succeed({
            status: error === null ? 0 : typeof error.code === "number" ? error.code : 1,
            stdout,
            stderr
          })
        )
    )
    return Effect.sync(() => child.kill("SIGKILL"))
  })

describe("the README's quick start", () => {
  it.live("type-checks as printed, strict", () =>
    withQuickStart((dir) =>
      Effect.gen(function*() {
        const tsc = Path.join(workspace, "node_modules", "typescript", "bin", "tsc")
        const result = yield* exec(process.execPath, [tsc, "-p", dir], dir, process.env)
        assert.strictEqual(result.status, 0, result.stdout + result.stderr)
      })
    ), 120_000)

  it.live(
    "runs against the simulator with the attendee id it prints, and finds chats and messages",
    () =>
      withQuickStart((dir) =>
        Effect.gen(function*() {
          const simulator = yield* PostpressSimulator.PostpressSimulator
          const baseUrl = yield* NodeSimulator.baseUrl
          const { dataset } = simulator
          const result = yield* exec(process.execPath, ["--import", "tsx", Path.join(dir, "quickstart.ts")], examples, {
            ...process.env,
            POSTPRESS_BASE_URL: baseUrl,
            POSTPRESS_API_KEY: simulator.apiKey,
            // what `postpress-simulator` prints as "an attendee"
            POSTPRESS_ATTENDEE_ID: dataset.attendeeId(dataset.selfOf(0))
          })
          assert.strictEqual(result.status, 0, result.stderr)
          const lines = result.stdout.trim().split("\n").filter((line) => line.includes("attendees"))
          assert.isAtLeast(lines.length, 1, result.stdout)
          // each chat printed with its attendees and its newest messages' texts
          assert.match(result.stdout, /\d+ attendees \[\s*'[^']+'/, "a chat printed with a message's text")
          const routes = new Set((yield* simulator.requests).map((request) => request.route))
          assert.deepStrictEqual([...routes].sort(), [
            "chatAttendees.chats.list",
            "chats.attendees.list",
            "chats.messages.list",
            "chats.retrieve"
          ])
        })
      ).pipe(Effect.provide(NodeSimulator.layer({ port: 0, seed: 42, chats: 8, messagesPerChat: 20 }))),
    120_000
  )
})
