/**
 * Checkpoint and resume: export a chat's messages to NDJSON, saving after
 * every page the cursor that resumes right after it. The export is stopped
 * half-way (as a crash or a deploy would), then restarted from the saved
 * cursor, and the file ends up with every message exactly once.
 *
 *   pnpm run resume [-- --chat <id> --out <dir> --stop-after <pages>]
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Message, PostpressClient } from "@postpress/core"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Path from "node:path"
import * as Args from "./Args.js"
import * as Target from "./Target.js"

/** What survives a restart: where to resume, and how far we got. */
const Checkpoint = Schema.fromJsonString(
  Schema.Struct({ cursor: Schema.NullOr(Schema.String), pages: Schema.Number })
)
const encodeMessage = Schema.encodeSync(Message.Message)

const program = (args: {
  readonly chat: Option.Option<string>
  readonly out: string
  readonly stopAfter: number
}) =>
  Effect.gen(function*() {
    const target = yield* Target.Target
    const client = yield* PostpressClient.PostpressClient
    const fs = yield* FileSystem.FileSystem
    const chatId = yield* Target.required(
      Option.orElse(args.chat, () => target.chatId),
      "POSTPRESS_CHAT_ID (or --chat)"
    )
    const dir = Path.resolve(args.out)
    const data = Path.join(dir, "messages.ndjson")
    const checkpointFile = Path.join(dir, "checkpoint.json")
    yield* fs.makeDirectory(dir, { recursive: true })
    yield* fs.writeFileString(data, "")
    yield* fs.remove(checkpointFile, { force: true })

    const readCheckpoint = Effect.flatMap(fs.exists(checkpointFile), (exists) =>
      exists
        ? Effect.map(fs.readFileString(checkpointFile), Schema.decodeSync(Checkpoint))
        : Effect.succeed({ cursor: null, pages: 0 }))

    /** Appends pages from the checkpoint on, saving the checkpoint after each page is written. */
    const exportFromCheckpoint = (maxPages?: number) =>
      Effect.gen(function*() {
        const checkpoint = yield* readCheckpoint
        if (checkpoint.pages > 0 && checkpoint.cursor === null) return 0
        let pages = 0
        const pagesFromCheckpoint = client.chats.messages.pages(chatId, {
          limit: 100,
          cursor: checkpoint.cursor ?? undefined
        })
        yield* (maxPages === undefined ? pagesFromCheckpoint : Stream.take(pagesFromCheckpoint, maxPages)).pipe(
          Stream.runForEach((page) =>
            Effect.gen(function*() {
              const lines = page.items.map((message) => JSON.stringify(encodeMessage(message)) + "\n").join("")
              yield* fs.writeFileString(data, lines, { flag: "a" })
              yield* fs.writeFileString(
                checkpointFile,
                Schema.encodeSync(Checkpoint)({ cursor: page.cursor, pages: checkpoint.pages + ++pages })
              )
            })
          )
        )
        return pages
      })

    yield* Console.log(`Exporting chat ${chatId} from ${target.description}`)
    const first = yield* exportFromCheckpoint(args.stopAfter)
    const saved = yield* readCheckpoint
    yield* Console.log(`  run 1 stopped after ${first} pages; checkpoint: ${JSON.stringify(saved)}`)
    const second = yield* exportFromCheckpoint()
    yield* Console.log(`  run 2 resumed from the checkpoint and wrote ${second} more pages`)

    const ids = (yield* fs.readFileString(data)).trim().split("\n").map((line) => JSON.parse(line).id as string)
    const all = yield* Stream.runCollect(Stream.map(client.chats.messages.stream(chatId, { limit: 250 }), (m) => m.id))
    const exact = ids.length === all.length && ids.every((id, i) => id === all[i])
    yield* Console.log(
      `  ${ids.length} messages in ${data}, ${new Set(ids).size} distinct: ` +
        (exact ? "exactly the chat's messages, in order" : "MISMATCH with the chat")
    )
    if (!exact) return yield* Effect.fail(new Error("the resumed export does not match the chat"))
  })

const command = Command.make("resume", {
  chat: Flag.String("chat").pipe(
    Flag.withDescription("the chat to export (default: POSTPRESS_CHAT_ID, or the simulator's first)"),
    Flag.optional
  ),
  out: Flag.String("out").pipe(
    Flag.withDescription("the directory of the export and its checkpoint (default out/resume)"),
    Flag.withDefault("out/resume")
  ),
  stopAfter: Flag.Int("stop-after").pipe(
    Flag.withDescription("the pages the first run writes before it stops (default 5)"),
    Flag.withDefault(5)
  )
}, program).pipe(Command.withDescription("An export stopped half-way, resumed from its saved cursor"))

Args.run(command).pipe(Effect.provide([Target.layer(), NodeServices.layer]), NodeRuntime.runMain)
