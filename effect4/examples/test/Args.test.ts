import * as NodeServices from "@effect/platform-node/NodeServices"
import { assert, describe, it } from "@effect/vitest"
import * as CliOutput from "effect/cli/CliOutput"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Effect from "effect/Effect"
import * as Args from "../src/Args.js"

interface Parsed {
  readonly out: string
  readonly concurrency: number
}

/** The options of an example (as the export's), and what it was run with. */
const parse = (argv: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    let parsed: Parsed | undefined
    const command = Command.make("export", {
      out: Flag.String("out").pipe(Flag.withDefault("out/export.ndjson")),
      concurrency: Flag.Int("concurrency").pipe(Flag.withDefault(4))
    }, (options) => Effect.sync(() => void (parsed = options)))
    yield* Args.runWith(command)(argv)
    return parsed
  })

/** The errors a rejected command line is reported with (instead of printing them and the usage). */
const rejection = (argv: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const events: Array<CliOutput.Presenter.Event> = []
    const error = yield* parse(argv).pipe(
      Effect.provideService(CliOutput.Presenter, { present: (event) => Effect.sync(() => void events.push(event)) }),
      Effect.flip
    )
    assert.strictEqual(error._tag, "ShowHelp")
    return events.flatMap((event) => event._tag === "InvalidInvocation" ? event.errors.map((e) => e.message) : [])
      .join("\n")
  })

describe("Args", () => {
  it.effect("skips the standalone -- that pnpm passes on from `pnpm run <script> -- <options>`", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* parse(["--", "--out", "x.ndjson"]), { out: "x.ndjson", concurrency: 4 })
      assert.deepStrictEqual(yield* parse(["--out", "x.ndjson", "--", "--concurrency", "2"]), {
        out: "x.ndjson",
        concurrency: 2
      })
    }).pipe(Effect.provide(NodeServices.layer)))

  it.effect("reads options without --, and gives the defaults", () =>
    Effect.gen(function*() {
      assert.deepStrictEqual(yield* parse(["--concurrency=8"]), { out: "out/export.ndjson", concurrency: 8 })
      assert.deepStrictEqual(yield* parse([]), { out: "out/export.ndjson", concurrency: 4 })
    }).pipe(Effect.provide(NodeServices.layer)))

  it.effect("still rejects unknown options and positional arguments", () =>
    Effect.gen(function*() {
      assert.match(yield* rejection(["--", "--nope"]), /--nope/)
      assert.match(yield* rejection(["extra"]), /extra/)
    }).pipe(Effect.provide(NodeServices.layer)))
})
