/**
 * The README's TypeScript, exactly as printed: every ```ts block is the
 * `readme` region of a file in `examples/snippets/` (what the block leaves
 * implicit, such as a `client` in scope, is declared around the region), all
 * of them type-checked with this workspace's strict settings; the quick start
 * also runs against the HTTP simulator with the attendee id the simulator
 * gives (as its bin prints it), printing chats with their messages.
 */
import { assert, describe, it } from "@effect/vitest"
import { NodeSimulator, PostpressSimulator } from "@postpress/simulator"
import * as Effect from "effect/Effect"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { readmeRegion, snippetBlocks, unmarkedBlocks } from "../../../scripts/readme-snippets.mjs"

const examples = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")
const workspace = Path.resolve(examples, "..")
const snippetsDir = Path.join(examples, "snippets")
const readme = Fs.readFileSync(Path.resolve(workspace, "..", "README.md"), "utf8")

/** The ```ts blocks of one `## title` section of the README. */
const snippets = (title: string): ReadonlyArray<string> => {
  const start = readme.indexOf(`\n## ${title}\n`)
  assert.isAtLeast(start, 0, `the README has a "${title}" section`)
  const end = readme.indexOf("\n## ", start + 1)
  return snippetBlocks(readme.slice(start, end === -1 ? undefined : end)).map(({ printed }) => printed)
}

/** Each snippet file's `readme` region, by file name. */
const regions: ReadonlyMap<string, string> = new Map(
  Fs.readdirSync(snippetsDir).filter((name) => name.endsWith(".ts")).sort().map((name) => {
    const region = readmeRegion(Fs.readFileSync(Path.join(snippetsDir, name), "utf8"))
    assert.isDefined(region, `${name} has a "readme" region`)
    return [name, region!] as const
  })
)

/** The snippet files the documentation site's pages import (`site/**\/*.md`). */
const siteImports = (): ReadonlyArray<string> => {
  const site = Path.resolve(workspace, "..", "site")
  const pages = Fs.readdirSync(site, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".md") && !file.split(Path.sep).includes("node_modules"))
  return pages.flatMap((page) =>
    [
      ...Fs.readFileSync(Path.join(site, page), "utf8").matchAll(
        /^<<< @\/\.\.\/effect4\/examples\/snippets\/(\S+?)#readme/gm
      )
    ]
      .map((m) => m[1]!)
  )
}

/** A tsconfig of this workspace's strict settings in a directory of its own, removed after. */
const withTsconfig = <A, E, R>(
  selection: { readonly include: ReadonlyArray<string> },
  f: (dir: string) => Effect.Effect<A, E, R>
) =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const dir = Fs.mkdtempSync(Path.join(examples, ".readme-"))
      Fs.writeFileSync(
        Path.join(dir, "tsconfig.json"),
        JSON.stringify({
          extends: Path.join(workspace, "tsconfig.base.json"),
          compilerOptions: { noEmit: true, composite: false, incremental: false },
          ...selection
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

describe("the README's TypeScript", () => {
  it("every block is the region of the snippet file it names, as printed, and every snippet file is shown (README or site)", () => {
    const marked = snippetBlocks(readme)
    assert.isAtLeast(marked.length, 1)
    assert.strictEqual(unmarkedBlocks(readme), 0, "every ```ts block follows a <!-- snippet: … --> line")
    const names = marked.map(({ file }) => Path.relative("effect4/examples/snippets", file))
    for (const [i, { file, printed }] of marked.entries()) {
      assert.strictEqual(Path.dirname(file), "effect4/examples/snippets", `${file} is a snippet of examples/snippets`)
      assert.strictEqual(
        printed,
        regions.get(names[i]!),
        `the README's block of ${file} (node scripts/readme-snippets.mjs --write)`
      )
    }
    // what the README does not print, the documentation site imports (`<<< @/../effect4/examples/snippets/<file>#readme`)
    const shown = new Set([...names, ...siteImports()])
    assert.deepStrictEqual([...regions.keys()].filter((name) => !shown.has(name)), [], "snippet files nothing shows")
  })

  it.live(
    "every snippet type-checks, strict",
    () =>
      withTsconfig({ include: [snippetsDir] }, (dir) =>
        Effect.gen(function*() {
          const tsc = Path.join(workspace, "node_modules", "typescript", "bin", "tsc")
          const result = yield* exec(process.execPath, [tsc, "-p", dir], dir, process.env)
          assert.strictEqual(result.status, 0, result.stdout + result.stderr)
        })),
    120_000
  )

  it.live(
    "the quick start runs against the simulator with the attendee id it prints, and finds chats and messages",
    () =>
      Effect.gen(function*() {
        const simulator = yield* PostpressSimulator.PostpressSimulator
        const baseUrl = yield* NodeSimulator.baseUrl
        const { dataset } = simulator
        assert.strictEqual(regions.get("quickstart.ts"), snippets("Quick start")[0], "the Quick start's block")
        const result = yield* exec(
          process.execPath,
          ["--import", "tsx", Path.join(snippetsDir, "quickstart.ts")],
          examples,
          {
            ...process.env,
            POSTPRESS_BASE_URL: baseUrl,
            POSTPRESS_API_KEY: simulator.apiKey,
            // what `postpress-simulator` prints as "an attendee"
            POSTPRESS_ATTENDEE_ID: dataset.attendeeId(dataset.selfOf(0))
          }
        )
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
      }).pipe(Effect.provide(NodeSimulator.layer({ port: 0, seed: 42, chats: 8, messagesPerChat: 20 }))),
    120_000
  )
})
