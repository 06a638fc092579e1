/**
 * Enrich: the messages of a few chats, each written as an NDJSON line with
 * its chat's name (`chats.retrieve`) and its sender's display name
 * (`chats.attendees.list`, by `sender_attendee_id`). Two lookups per message,
 * but not two requests: concurrent equal lookups share one request, and under
 * `PostpressClient.withCache` a repeated one is answered from memory — a
 * couple of requests per chat, beside the pages of messages.
 *
 *   pnpm run enrich [-- --chats <n> | --chat <id>[,<id>…]] [--out <file>] [--concurrency <n>]
 *
 * Runs on the embedded simulator unless POSTPRESS_API_KEY is set: `--chats`
 * takes its first chats (3 by default), and the run ends with the HTTP
 * requests the simulator served. On the real API, name the chats with
 * `--chat` (or POSTPRESS_CHAT_ID).
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Message, PostpressClient } from "@postpress/core"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Path from "node:path"
import * as Args from "./Args.js"
import * as Target from "./Target.js"

const encodeMessage = Schema.encodeSync(Message.Message)

/** The options of a run. */
interface Options {
  readonly chat: Option.Option<string>
  readonly chats: number
  readonly out: string
  readonly concurrency: number
}

/** What the run did, as it goes. */
const counts = { messages: 0, pages: 0, lookups: 0 }

/** The chats to read: `--chat`, else the simulator's first `--chats`, else POSTPRESS_CHAT_ID. */
const chatsToRead = (
  args: Options,
  target: Target.Target["Service"]
): Effect.Effect<ReadonlyArray<string>, Error> => {
  if (Option.isSome(args.chat)) return Effect.succeed(args.chat.value.split(",").filter((id) => id !== ""))
  return Option.match(target.simulator, {
    onSome: (simulator) =>
      Effect.succeed(Array.from({ length: Math.max(1, args.chats) }, (_, i) => simulator.dataset.chatId(i))),
    onNone: () => Effect.map(Target.required(target.chatId, "POSTPRESS_CHAT_ID (or --chat)"), (id) => [id])
  })
}

const program = (args: Options) =>
  Effect.gen(function*() {
    const target = yield* Target.Target
    const client = yield* PostpressClient.PostpressClient
    const fs = yield* FileSystem.FileSystem
    const chatIds = yield* chatsToRead(args, target)
    const out = Path.resolve(args.out)
    const concurrency = Math.max(1, args.concurrency)
    yield* Console.log(`Enriching the messages of ${chatIds.length} chats from ${target.description}`)
    yield* Console.log(`  into ${out}`)

    /** A message as its wire object, with the names its lookups give. */
    const enrich = (message: Message.Message) =>
      Effect.map(
        Effect.all([client.chats.retrieve(message.chat_id), client.chats.attendees.list(message.chat_id)], {
          concurrency: 2
        }),
        ([chat, attendees]) => {
          counts.lookups += 2
          const sender = attendees.items.find((attendee) => attendee.id === message.sender_attendee_id)
          return JSON.stringify({ ...encodeMessage(message), chat_name: chat.name, sender_name: sender?.name ?? null })
        }
      )

    const bytes = Stream.fromIterable(chatIds).pipe(
      Stream.flatMap((chatId) => client.chats.messages.pages(chatId, { limit: 250 })),
      Stream.tap(() => Effect.sync(() => counts.pages++)),
      Stream.map((page) => page.items),
      Stream.flattenIterable,
      // `concurrency` messages at a time: their lookups overlap, and equal ones share a request
      Stream.mapEffect(enrich, { concurrency }),
      Stream.tap(() => Effect.sync(() => counts.messages++)),
      // one write per 250 lines, not per line
      Stream.rechunk(250),
      Stream.mapArray((lines) => [lines.join("\n") + "\n"] as const),
      Stream.encodeText
    )

    yield* fs.makeDirectory(Path.dirname(out), { recursive: true })
    yield* Option.match(target.simulator, { onSome: (simulator) => simulator.clearRequests, onNone: () => Effect.void })
    const [took] = yield* Effect.timed(Stream.run(bytes, fs.sink(out)))

    yield* Console.log(
      [
        `Wrote ${counts.messages.toLocaleString("en-US")} messages from ${chatIds.length} chats, ` +
        `each with its chat's name and its sender's name`,
        `  pages:         ${counts.pages} of messages`,
        `  lookups:       ${counts.lookups.toLocaleString("en-US")} (a chat and its attendees per message)`,
        `  took:          ${(Duration.toMillis(took) / 1000).toFixed(1)} s`
      ].join("\n")
    )
    if (Option.isSome(target.simulator)) {
      // the simulator's own record of what it served: every HTTP request, retries included
      const served = yield* target.simulator.value.requests
      const on = (route: string) => served.filter((request) => request.route === route).length
      yield* Console.log(
        `  HTTP requests: ${served.length} = ${on("chats.messages.list")} pages + ${on("chats.retrieve")} ` +
          `chats.retrieve + ${on("chats.attendees.list")} chats.attendees.list`
      )
    }
  }).pipe(
    // lookups made again within 10 minutes are answered from memory (a renamed chat shows its old name until then)
    PostpressClient.withCache({ capacity: 1_000, timeToLive: "10 minutes" })
  )

const command = Command.make("enrich", {
  chat: Flag.String("chat").pipe(
    Flag.withDescription("the chats to read, comma-separated (default: the simulator's first --chats)"),
    Flag.optional
  ),
  chats: Flag.Int("chats").pipe(
    Flag.withDescription("on the simulator, how many of its first chats to read (default 3)"),
    Flag.withDefault(3)
  ),
  out: Flag.String("out").pipe(
    Flag.withDescription("the NDJSON file to write (default out/enrich.ndjson)"),
    Flag.withDefault("out/enrich.ndjson")
  ),
  concurrency: Flag.Int("concurrency").pipe(
    Flag.withDescription("how many messages to enrich at once (default 16)"),
    Flag.withDefault(16)
  )
}, program).pipe(Command.withDescription("Each message with its chat's name and its sender's name"))

Args.run(command).pipe(Effect.provide([Target.layer(), NodeServices.layer]), NodeRuntime.runMain)
