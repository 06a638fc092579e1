/**
 * Quick start: retrieve a chat, list its attendees, read a page of its
 * messages.
 *
 *   pnpm run quickstart
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { PostpressClient } from "@postpress/core"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Target from "./Target.js"

const program = Effect.gen(function*() {
  const target = yield* Target.Target
  const client = yield* PostpressClient.PostpressClient
  yield* Console.log(`Talking to ${target.description}\n`)

  const chatId = yield* Target.required(target.chatId, "POSTPRESS_CHAT_ID")
  const chat = yield* client.chats.retrieve(chatId)
  yield* Console.log(`${chat.account_type} chat "${chat.name ?? "(no name)"}" (${chat.id})`)
  yield* Console.log(`  last activity ${chat.timestamp ?? "never"}, ${chat.unread_count} unread`)
  yield* Console.log(`  last message: ${chat.lastMessage?.text ?? "(no text)"}\n`)

  const attendees = yield* client.chats.attendees.list(chat.id)
  yield* Console.log(`Attendees:`)
  for (const attendee of attendees.items) {
    const detail = attendee.specifics?.provider === "LINKEDIN" ? ` — ${attendee.specifics.headline ?? ""}` : ""
    yield* Console.log(`  ${attendee.is_self === 1 ? "(you) " : ""}${attendee.name}${detail}`)
  }

  const names = new Map(attendees.items.map((attendee) => [attendee.provider_id, attendee.name]))
  const page = yield* client.chats.messages.list(chat.id, { limit: 10 })
  yield* Console.log(`\nThe ${page.items.length} most recent messages:`)
  for (const message of page.items) {
    const from = message.is_sender === 1 ? "you" : names.get(message.sender_id) ?? message.sender_id
    const attachments = message.attachments.length > 0 ? ` [+${message.attachments.map((a) => a.type).join(", ")}]` : ""
    yield* Console.log(`  ${message.timestamp}  ${from}: ${message.text ?? "(no text)"}${attachments}`)
  }
  yield* Console.log(page.cursor === null ? "\n(that was all)" : `\nmore with cursor ${page.cursor}`)
})

program.pipe(Effect.provide(Target.layer()), NodeRuntime.runMain)
