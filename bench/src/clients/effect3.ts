/**
 * The Effect 3 edition's measuring process (driver.ts), bundled by run.ts from
 * the edition as built (`packages/{core,node}/build/esm`, what its tarballs
 * ship), run on plain Node:
 *   - sdk: `NodePostpress.layer` + `client.chats.messages.stream(chatId, { limit: 250 })` (B1, B6),
 *     `client.chats.messages.pages` (B2), `client.messages.retrieve` (B3, B4, B5);
 *   - cached: B5's retrieves under `PostpressClient.withCache`, a fresh cache per run.
 */
import { PostpressClient } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { type Contender, type Ending, LIMIT, main, type Where } from "./driver.js"

const endingOf = (
  exit: Exit.Exit<void, { readonly _tag: string; readonly resume?: { readonly pages: number } }>
): Ending =>
  Exit.isSuccess(exit) ? { completed: true } : Option.match(Cause.failureOption(exit.cause), {
    onNone: () => ({ completed: false, tag: Cause.isInterruptedOnly(exit.cause) ? "interrupted" : "defect" }),
    onSome: (error) => ({ completed: false, tag: error._tag, resumePages: error.resume?.pages })
  })

const sdk = ({ apiKey, baseUrl, chatId }: Where, cache?: PostpressClient.CacheOptions): Contender => {
  const runtime = ManagedRuntime.make(NodePostpress.layer({ apiKey: Redacted.make(apiKey), baseUrl }))
  const client = runtime.runSync(PostpressClient.PostpressClient)
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
          Stream.mapConcat((page) => page.items),
          Stream.take(count),
          Stream.runForEach(() => Effect.sync(onMessage))
        )
      ),
    collect: (onId) =>
      runtime.runPromise(Effect.exit(
        Stream.runForEach(client.chats.messages.stream(chatId, { limit: LIMIT }), (message) =>
          Effect.sync(() => onId(message.id)))
      )).then(endingOf),
    dispose: () => runtime.dispose()
  }
}

await main({
  sdk: (where) => sdk(where),
  cached: (where) => sdk(where, { capacity: 10_000, timeToLive: "10 minutes" })
})
