/**
 * The bundle-size benchmark's fourth step: the third, with the schemas of what
 * the API returns (`Chat`, `ChatAttendee`, `Message` with its attachments and
 * reactions) and a chat decoded by its schema; no contract, no errors, no
 * client.
 */
import { Chat, ChatAttendee, Message } from "@postpress/core"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as SchemaJITCompiler from "effect/schema/SchemaJITCompiler"
import * as SchemaParser from "effect/SchemaParser"

SchemaJITCompiler.enable(Chat.Chat.ast)
const decodeChat = SchemaParser.decodeUnknownResult(Chat.Chat)

Effect.gen(function*() {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.get("https://api.postpress.example/api/v1/chats/chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR", {
    headers: { "x-api-key": "pp_live_..." }
  })
  const chat = decodeChat(yield* response.json)
  yield* Console.log(chat, ChatAttendee.ChatAttendee, Message.Message)
}).pipe(Effect.provide(FetchHttpClient.layer), Effect.runFork)
