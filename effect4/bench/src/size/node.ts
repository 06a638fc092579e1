/**
 * The bundle-size benchmark's minimal app, Effect 4 edition, through
 * `NodePostpress.layer`: retrieves one chat and prints its name. run.ts
 * bundles it from the edition as built with `esbuild --bundle --minify`
 * (bench/src/size.ts).
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { PostpressClient } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"

Effect.gen(function*() {
  const client = yield* PostpressClient.PostpressClient
  const chat = yield* client.chats.retrieve("chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
  yield* Console.log(chat.name)
}).pipe(
  Effect.provide(NodePostpress.layer({ apiKey: Redacted.make(process.env.POSTPRESS_API_KEY ?? "") })),
  NodeRuntime.runMain
)
