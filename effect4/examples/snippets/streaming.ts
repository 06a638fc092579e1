/** README, "Streams": a whole export, checkpoints, resuming from a failure. Given: a client and the sinks. */
import type * as Sink from "effect/Sink"

interface Row {
  readonly id: string
}
declare const client: PostpressClient.Service
declare const attendeeId: string
declare const chatId: string
declare const saved: string | null
declare const toRow: (message: Message.Message) => Row
declare const sink: Sink.Sink<void, Row>
declare const write: (messages: ReadonlyArray<Message.Message>) => Effect.Effect<void>
declare const saveCheckpoint: (cursor: string | null) => Effect.Effect<void>

// #region readme
import { type Message, PostpressClient, type PostpressError } from "@postpress/core"
import { Effect, Stream } from "effect"

// every message of every chat of an attendee, four chats at a time, into a sink
client.chatAttendees.chats.stream(attendeeId).pipe(
  Stream.flatMap((chat) => client.chats.messages.stream(chat.id, { limit: 250 }), { concurrency: 4 }),
  Stream.map(toRow),
  Stream.run(sink)
)

// checkpoint after each page, resume later from the saved cursor
client.chats.messages.pages(chatId, { cursor: saved ?? undefined }).pipe(
  Stream.runForEach((page) => Effect.andThen(write(page.items), saveCheckpoint(page.cursor)))
)

// or let the failure say where to resume: try again from there, up to three times
declare const save: (message: Message.Message) => Effect.Effect<void>

const exportChat = (
  cursor?: string
): Effect.Effect<void, PostpressError.StreamError, PostpressClient.PostpressClient> =>
  Effect.flatMap(
    PostpressClient.PostpressClient,
    (client) => client.chats.messages.stream(chatId, { cursor, limit: 250 }).pipe(Stream.runForEach(save))
  )

const resilientExport = (
  cursor?: string,
  tries = 3
): Effect.Effect<void, PostpressError.StreamError, PostpressClient.PostpressClient> =>
  exportChat(cursor).pipe(
    Effect.catch((error) => tries > 1 ? resilientExport(error.resume.cursor ?? cursor, tries - 1) : Effect.fail(error))
  )
// #endregion readme

export { resilientExport }
