/**
 * Watch a chat: print new messages as they arrive. On the embedded simulator a
 * message arrives in the first chat every second; the watch polls every two.
 *
 *   pnpm run watch [-- --chat <id> --seconds <n> --interval <s>]
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { PostpressClient } from "@postpress/core"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Args from "./Args.js"
import * as Target from "./Target.js"

const args = Args.parseOrExit("pnpm run watch [-- --chat <id> --seconds <n> --interval <s>]", {
  chat: { type: "string" },
  seconds: { type: "string", default: "10" },
  interval: { type: "string", default: "2" }
})

const program = Effect.gen(function*() {
  const target = yield* Target.Target
  const client = yield* PostpressClient.PostpressClient
  const chatId = yield* Target.required(
    Option.orElse(Option.fromNullable(args.chat), () => target.chatId),
    "POSTPRESS_CHAT_ID (or --chat)"
  )
  const seconds = Number(args.seconds)
  yield* Console.log(
    `Watching chat ${chatId} on ${target.description} for ${seconds}s (polling every ${args.interval}s)`
  )
  const count = yield* client.chats.messages.watch(chatId, { interval: `${Number(args.interval)} seconds` }).pipe(
    Stream.tap((message) =>
      Console.log(
        `  ${message.timestamp}  ${message.is_sender === 1 ? "you" : message.sender_id}: ${message.text ?? "(no text)"}`
      )
    ),
    Stream.interruptWhen(Effect.sleep(`${seconds} seconds`)),
    Stream.runCount
  )
  yield* Console.log(`${count} new messages`)
})

program.pipe(
  Effect.provide(Target.layer({ arrivals: { chats: [0], every: "1 second" } })),
  NodeRuntime.runMain
)
