/**
 * Watch a chat: print new messages as they arrive. On the embedded simulator a
 * message arrives in the first chat every second; the watch polls every two.
 *
 *   pnpm run watch [-- --chat <id> --seconds <n> --interval <s>]
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { PostpressClient } from "@postpress/core"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Args from "./Args.js"
import * as Target from "./Target.js"

const program = (args: {
  readonly chat: Option.Option<string>
  readonly seconds: number
  readonly interval: number
}) =>
  Effect.gen(function*() {
    const target = yield* Target.Target
    const client = yield* PostpressClient.PostpressClient
    const chatId = yield* Target.required(
      Option.orElse(args.chat, () => target.chatId),
      "POSTPRESS_CHAT_ID (or --chat)"
    )
    yield* Console.log(
      `Watching chat ${chatId} on ${target.description} for ${args.seconds}s (polling every ${args.interval}s)`
    )
    const count = yield* client.chats.messages.watch(chatId, { interval: `${args.interval} seconds` }).pipe(
      Stream.tap((message) =>
        Console.log(
          `  ${message.timestamp}  ${message.is_sender === 1 ? "you" : message.sender_id}: ${
            message.text ?? "(no text)"
          }`
        )
      ),
      Stream.interruptWhen(Effect.sleep(`${args.seconds} seconds`)),
      Stream.runCount
    )
    yield* Console.log(`${count} new messages`)
  })

const command = Command.make("watch", {
  chat: Flag.String("chat").pipe(
    Flag.withDescription("the chat to watch (default: POSTPRESS_CHAT_ID, or the simulator's first)"),
    Flag.optional
  ),
  seconds: Flag.Finite("seconds").pipe(
    Flag.withDescription("how long to watch, in seconds (default 10)"),
    Flag.withDefault(10)
  ),
  interval: Flag.Finite("interval").pipe(
    Flag.withDescription("seconds between two polls (default 2)"),
    Flag.withDefault(2)
  )
}, program).pipe(Command.withDescription("New messages of a chat as they arrive"))

Args.run(command).pipe(
  Effect.provide([Target.layer({ arrivals: { chats: [0], every: "1 second" } }), NodeServices.layer]),
  NodeRuntime.runMain
)
