/**
 * Streams a 1,000,000-message chat from the in-process simulator through
 * `client.chats.messages.stream` and samples the heap (after a full GC) as it
 * goes: a flat column means memory does not grow with the number of messages.
 *
 *   node --expose-gc --import tsx src/stream-heap.ts [messages] [--http]
 *
 * By default the simulator runs in process (both sides in one heap); with
 * `--http` it is served on a loopback port and read through undici.
 */
import { PostpressClient } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import { NodeSimulator, PostpressSimulator } from "@postpress/simulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"

const total = Number(process.argv[2] ?? 1_000_000)
const overHttp = process.argv.includes("--http")
const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error("run with node --expose-gc")

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)

const program = Effect.gen(function*() {
  const client = yield* PostpressClient.PostpressClient
  const simulator = yield* PostpressSimulator.PostpressSimulator
  let count = 0
  const start = Date.now()
  const checkpoints = new Set([1, 10, 25, 50, 75, 100].map((percent) => Math.round((total * percent) / 100)))
  console.log("messages    heapUsed MiB    rss MiB    elapsed s")
  yield* client.chats.messages.stream(simulator.dataset.chatId(0), { limit: 250 }).pipe(
    Stream.runForEach(() =>
      Effect.sync(() => {
        count++
        if (checkpoints.has(count)) {
          gc()
          const { heapUsed, rss } = process.memoryUsage()
          console.log(
            `${String(count).padStart(9)}    ${mib(heapUsed).padStart(12)}    ${mib(rss).padStart(7)}    ${
              ((Date.now() - start) / 1000).toFixed(1).padStart(9)
            }`
          )
        }
      })
    )
  )
})

const options = { chats: 1, messagesPerChat: total, recordLimit: 100 }
const layer = overHttp
  ? Layer.unwrap(Effect.gen(function*() {
    const simulator = yield* PostpressSimulator.PostpressSimulator
    const baseUrl = yield* NodeSimulator.baseUrl
    return NodePostpress.layer({ apiKey: Redacted.make(simulator.apiKey), baseUrl })
  })).pipe(Layer.provideMerge(NodeSimulator.layer({ ...options, port: 0 })))
  : PostpressSimulator.layerClient(options)

Effect.runPromise(program.pipe(Effect.provide(layer)))
