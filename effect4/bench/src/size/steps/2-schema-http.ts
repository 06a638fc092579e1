/**
 * The bundle-size benchmark's second step: one chat retrieved with Effect's
 * `HttpClient` through fetch and decoded with `effect/Schema` by hand (one
 * struct, no contract, no errors mapped): the least an Effect app that
 * validates what it fetches carries.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Schema from "effect/Schema"

const Chat = Schema.Struct({
  id: Schema.String,
  name: Schema.NullOr(Schema.String),
  unread_count: Schema.Number,
  timestamp: Schema.String
})

Effect.gen(function*() {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.get("https://api.postpress.example/api/v1/chats/chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR", {
    headers: { "x-api-key": "pp_live_..." }
  })
  const chat = yield* HttpClientResponse.schemaBodyJson(Chat)(response)
  yield* Console.log(chat.name)
}).pipe(Effect.provide(FetchHttpClient.layer), Effect.runFork)
