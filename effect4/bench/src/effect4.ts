/**
 * The Effect 4 edition's measuring process (bench/src/clients/driver.ts),
 * bundled by bench/src/run.ts from the edition as built
 * (`effect4/packages/{core,node}/dist`, what its tarballs ship), run on plain
 * Node 24 (this workspace's `node`):
 *   - sdk: `NodePostpress.layer` + `client.chats.messages.stream(chatId, { limit: 250 })` (B1, B6),
 *     `client.chats.messages.pages` (B2), `client.messages.retrieve` (B3, B4, B5);
 *   - cached: B5's retrieves under `PostpressClient.withCache`, a fresh cache per run.
 * The same calls as the Effect 3 edition's process (bench/src/clients/effect3.ts).
 */
import { PostpressClient } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
import { type Contender, type Ending, LIMIT, main, type Where } from "../../../bench/src/clients/driver.js"

const endingOf = (
  exit: Exit.Exit<void, { readonly _tag: string; readonly resume?: { readonly pages: number } }>
): Ending => {
  if (Exit.isSuccess(exit)) return { completed: true }
  const error = Cause.findError(exit.cause)
  return Result.isSuccess(error)
    ? { completed: false, tag: error.success._tag, resumePages: error.success.resume?.pages }
    : { completed: false, tag: Cause.hasInterruptsOnly(exit.cause) ? "interrupted" : "defect" }
}

const sdk = async (
  { apiKey, baseUrl, chatId }: Where,
  cache?: PostpressClient.CacheOptions
): Promise<Contender> => {
  const runtime = ManagedRuntime.make(NodePostpress.layer({ apiKey: Redacted.make(apiKey), baseUrl }))
  const client = await runtime.runPromise(PostpressClient.PostpressClient)
  const all = (ids: ReadonlyArray<string>, concurrency: number) =>
    Effect.forEach(ids, (id) => client.messages.retrieve(id), { concurrency, discard: true })
  return {
    stream: () => runtime.runPromise(Stream.runCount(client.chats.messages.stream(chatId, { limit: LIMIT }))),
    retrieve: (id) => runtime.runPromise(client.messages.retrieve(id)),
    retrieveAll: (ids, concurrency) =>
      runtime.runPromise(
        cache === undefined ? all(ids, concurrency) : PostpressClient.withCache(all(ids, concurrency), cache)
      ),
    memory: (count, onMessage) =>
      runtime.runPromise(
        client.chats.messages.pages(chatId, { limit: LIMIT }).pipe(
          Stream.map((page) => page.items),
          Stream.flattenIterable,
          Stream.take(count),
          Stream.runForEach(() => Effect.sync(onMessage))
        )
      ),
    collect: (onId) =>
      runtime.runPromise(Effect.exit(
        Stream.runForEach(client.chats.messages.stream(chatId, { limit: LIMIT }), (message) =>
          Effect.sync(() => {
            onId(message.id)
          }))
      )).then(endingOf),
    dispose: () => runtime.dispose()
  }
}

await main({
  sdk: (where) => sdk(where),
  cached: (where) => sdk(where, { capacity: 10_000, timeToLive: "10 minutes" })
})
