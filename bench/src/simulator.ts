/**
 * The simulator of the benchmarks, in a process of its own (so that serving
 * does not share the measured client's event loop). Started by run.ts with
 * `child_process.fork`; once it listens it reports where, as a message on the
 * IPC channel (`{ baseUrl, apiKey, chatId }`), and it stops with its parent.
 *
 *   argv: <messages> [<seed> <faultRate>]
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { NodeSimulator, PostpressSimulator } from "@postpress/simulator"
import * as Effect from "effect/Effect"
import * as Runtime from "effect/Runtime"

const [messages = "1000", seed = "1", faultRate = "0"] = process.argv.slice(2)

Effect.gen(function*() {
  const simulator = yield* PostpressSimulator.PostpressSimulator
  const baseUrl = yield* NodeSimulator.baseUrl
  process.send!({ baseUrl, apiKey: simulator.apiKey, chatId: simulator.dataset.chatId(0) })
  process.on("disconnect", () => process.exit(0))
  // "served": how many requests it served since last asked (B5), from its log of the last 10,000
  const runtime = yield* Effect.runtime<never>()
  process.on("message", (message) => {
    if (message !== "served") return
    Runtime.runPromise(runtime, Effect.zipLeft(simulator.requests, simulator.clearRequests)).then((requests) =>
      process.send!({ served: requests.length })
    )
  })
  return yield* Effect.never
}).pipe(
  Effect.provide(NodeSimulator.layer({
    port: 0,
    chats: 1,
    messagesPerChat: Number(messages),
    seed: Number(seed),
    faults: Number(faultRate) > 0 ? PostpressSimulator.faultMix(Number(faultRate)) : []
  })),
  NodeRuntime.runMain
)
