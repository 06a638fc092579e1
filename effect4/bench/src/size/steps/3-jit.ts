/**
 * The bundle-size benchmark's third step: the second, its struct decoded by
 * the code Schema's JIT compiler writes (as the SDK decodes every response).
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as Schema from "effect/Schema"
import * as SchemaJITCompiler from "effect/schema/SchemaJITCompiler"
import * as SchemaParser from "effect/SchemaParser"

const Chat = Schema.Struct({
  id: Schema.String,
  name: Schema.NullOr(Schema.String),
  unread_count: Schema.Number,
  timestamp: Schema.String
})
SchemaJITCompiler.enable(Chat.ast)
const decodeChat = SchemaParser.decodeUnknownResult(Chat)

Effect.gen(function*() {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.get("https://api.postpress.example/api/v1/chats/chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR", {
    headers: { "x-api-key": "pp_live_..." }
  })
  const chat = decodeChat(yield* response.json)
  yield* Console.log(chat)
}).pipe(Effect.provide(FetchHttpClient.layer), Effect.runFork)
