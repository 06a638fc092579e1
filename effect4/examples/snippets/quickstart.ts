/** README, "Quick start", as printed (and run against the simulator by examples/test/Readme.test.ts). */

// #region readme
import { NodeRuntime } from "@effect/platform-node"
import { PostpressClient } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import { Config, Console, Effect } from "effect"

const program = Effect.gen(function*() {
  const client = yield* PostpressClient.PostpressClient
  // an attendee (postpress or provider id): the simulator prints one as "an attendee"
  const attendeeId = yield* Config.String("POSTPRESS_ATTENDEE_ID")
  const chats = yield* client.chatAttendees.chats.list(attendeeId, { limit: 5 }) // newest activity first
  for (const { id } of chats.items) {
    const chat = yield* client.chats.retrieve(id)
    const attendees = yield* client.chats.attendees.list(chat.id)
    const page = yield* client.chats.messages.list(chat.id, { limit: 3 }) // newest first
    yield* Console.log(chat.name, `${attendees.items.length} attendees`, page.items.map((m) => m.text))
  }
})

// POSTPRESS_API_KEY (and POSTPRESS_BASE_URL, optional) from the environment
program.pipe(Effect.provide(NodePostpress.layerConfig()), NodeRuntime.runMain)
// #endregion readme
