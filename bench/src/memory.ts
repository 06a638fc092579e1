/**
 * B2's measuring process: streams `count` messages of a chat through the SDK
 * and prints, as JSON, the peak RSS (sampled every 5 ms) and the peak heap
 * still in use after a full GC (sampled every 10,000 messages): garbage not
 * yet collected is not memory the stream holds.
 *
 *   node --expose-gc dist/memory.mjs <baseUrl> <apiKey> <chatId> <count>   (bundled by run.ts)
 */
import { PostpressClient } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"

const [baseUrl, apiKey, chatId, count] = process.argv.slice(2) as [string, string, string, string]
let peakRss = 0
let peakHeap = 0
let seen = 0
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
}
const gc = (globalThis as { gc?: () => void }).gc!
const sampleHeap = () => {
  gc()
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
}

const program = Effect.flatMap(
  PostpressClient.PostpressClient,
  (client) =>
    client.chats.messages.pages(chatId, { limit: 250 }).pipe(
      Stream.mapConcat((page) => page.items),
      Stream.take(Number(count)),
      Stream.runForEach(() =>
        Effect.sync(() => {
          if (++seen % 10_000 === 0) sampleHeap()
        })
      ),
      Effect.zipLeft(Effect.sync(sample))
    )
)

const sampler = setInterval(sample, 5)
Effect.runPromise(program.pipe(Effect.provide(NodePostpress.layer({ apiKey: Redacted.make(apiKey), baseUrl })))).then(
  () => {
    clearInterval(sampler)
    const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10
    console.log(JSON.stringify({ peakRssMiB: mib(peakRss), peakHeapMiB: mib(peakHeap) }))
  }
)
