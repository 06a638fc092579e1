/**
 * Export: every chat of an attendee, and every message of those chats, into
 * an NDJSON file — one wire-format object per line (`"object": "Chat"` or
 * `"Message"`). A live progress line shows on a terminal; a summary ends the
 * run.
 *
 *   pnpm run export [-- --attendee <id> --out <file> --concurrency <n>]
 *
 * Runs on the embedded simulator unless POSTPRESS_API_KEY is set.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Chat, Message, PostpressClient } from "@postpress/core"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FileSystem from "effect/FileSystem"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Path from "node:path"
import * as Args from "./Args.js"
import * as Target from "./Target.js"

const encodeChat = Schema.encodeSync(Chat.Chat)
const encodeMessage = Schema.encodeSync(Message.Message)

/** Live counters of the export. */
const progress = { chats: 0, chatsDone: 0, messages: 0, pages: 0, bytes: 0 }

const rate = (count: number, elapsed: Duration.Duration) =>
  Math.round(count / Math.max(Duration.toSeconds(elapsed), 0.001)).toLocaleString("en-US")

const progressLine = (elapsed: Duration.Duration) =>
  `  ${progress.messages.toLocaleString("en-US")} messages · ${progress.pages} pages · ` +
  `chats ${progress.chatsDone}/${progress.chats} · ${rate(progress.messages, elapsed)} msg/s`

const program = (args: {
  readonly attendee: Option.Option<string>
  readonly out: string
  readonly concurrency: number
}) =>
  Effect.gen(function*() {
    const target = yield* Target.Target
    const client = yield* PostpressClient.PostpressClient
    const fs = yield* FileSystem.FileSystem
    const attendeeId = yield* Target.required(
      Option.orElse(args.attendee, () => target.attendeeId),
      "POSTPRESS_ATTENDEE_ID (or --attendee)"
    )
    const out = Path.resolve(args.out)
    const concurrency = Math.max(1, args.concurrency)
    yield* Console.log(`Exporting the chats of ${attendeeId} from ${target.description}`)
    yield* Console.log(`  into ${out}`)

    // every chat of the attendee, then each chat's messages, `concurrency` chats at a time
    const chats = client.chatAttendees.chats.stream(attendeeId, { limit: 100 }).pipe(
      Stream.tap(() => Effect.sync(() => progress.chats++))
    )
    const linesOf = (chat: Chat.Chat) =>
      client.chats.messages.pages(chat.id, { limit: 250 }).pipe(
        Stream.tap((page) =>
          Effect.sync(() => {
            progress.pages++
            progress.messages += page.items.length
          })
        ),
        // a page's lines are one array, so they stay together downstream
        Stream.map((page) => page.items.map((message) => JSON.stringify(encodeMessage(message)))),
        Stream.flattenIterable,
        Stream.prepend([JSON.stringify(encodeChat(chat))]),
        Stream.ensuring(Effect.sync(() => progress.chatsDone++))
      )

    const bytes = chats.pipe(
      Stream.flatMap(linesOf, { concurrency }),
      // one write per chunk (a page), not per line
      Stream.mapArray((lines) => [lines.join("\n") + "\n"] as const),
      Stream.encodeText,
      Stream.tap((chunk) => Effect.sync(() => (progress.bytes += chunk.length)))
    )

    yield* fs.makeDirectory(Path.dirname(out), { recursive: true })
    const start = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    const elapsed = Effect.map(
      Effect.clockWith((clock) => clock.currentTimeMillis),
      (now) => Duration.millis(now - start)
    )
    const ticker = yield* Effect.forkChild(
      process.stdout.isTTY
        ? Effect.flatMap(elapsed, (e) => Effect.sync(() => process.stdout.write(`\r${progressLine(e)}\x1b[K`))).pipe(
          Effect.repeat(Schedule.spaced("200 millis")),
          Effect.asVoid
        )
        : Effect.void
    )
    yield* Stream.run(bytes, fs.sink(out))
    yield* Fiber.interrupt(ticker)
    const took = yield* elapsed
    if (process.stdout.isTTY) process.stdout.write("\r\x1b[K")

    yield* Console.log(
      [
        `Exported ${progress.messages.toLocaleString("en-US")} messages from ${progress.chats} chats`,
        `  pages:    ${progress.pages}`,
        `  written:  ${(progress.bytes / 1024 / 1024).toFixed(1)} MiB to ${out}`,
        `  took:     ${Duration.format(took)} (${rate(progress.messages, took)} messages/s)`
      ].join("\n")
    )
  })

const command = Command.make("export", {
  attendee: Flag.String("attendee").pipe(
    Flag.withDescription("the attendee whose chats to export (default: POSTPRESS_ATTENDEE_ID, or the simulator's)"),
    Flag.optional
  ),
  out: Flag.String("out").pipe(
    Flag.withDescription("the NDJSON file to write (default out/export.ndjson)"),
    Flag.withDefault("out/export.ndjson")
  ),
  concurrency: Flag.Int("concurrency").pipe(
    Flag.withDescription("how many chats to read at once (default 4)"),
    Flag.withDefault(4)
  )
}, program).pipe(Command.withDescription("Every chat of an attendee, and all their messages, to NDJSON"))

Args.run(command).pipe(Effect.provide([Target.layer(), NodeServices.layer]), NodeRuntime.runMain)
