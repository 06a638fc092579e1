/**
 * The bundle-size benchmark's fifth step: the fourth, with the SDK's wire
 * contract in the bundle (`PostpressApi`: the endpoints as an `HttpApi`, their
 * params and pages, the error envelopes) and its errors (`PostpressError`),
 * but no client.
 */
import { Chat, ChatAttendee, Message, PostpressApi, PostpressError } from "@postpress/core"
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
  yield* Console.log(
    chat,
    ChatAttendee.ChatAttendee,
    Message.Message,
    PostpressApi.PostpressApi,
    PostpressError.NotFound
  )
}).pipe(Effect.provide(FetchHttpClient.layer), Effect.runFork)
