/** README, "Testing with the simulator": a test of your own against the simulator in process. */

// #region readme
import { assert, it } from "@effect/vitest"
import { PostpressClient } from "@postpress/core"
import { PostpressSimulator } from "@postpress/simulator"
import { Effect, Stream } from "effect"

// it.live: the client's retry waits run on the clock (under it.effect's TestClock, adjust it)
it.live("syncs a chat through a 503", () =>
  Effect.gen(function*() {
    const simulator = yield* PostpressSimulator.PostpressSimulator
    const client = yield* PostpressClient.PostpressClient
    yield* simulator.setFaults([{
      route: "chats.messages.list",
      requests: [2],
      fault: PostpressSimulator.Fault.Error({ status: 503 })
    }])
    const messages = yield* client.chats.messages.stream(simulator.dataset.chatId(0)).pipe(Stream.runCollect)
    assert.strictEqual(messages.length, 500) // an Array
    const requests = yield* simulator.requests // what was sent: route, path, query, headers, fault
    assert.deepStrictEqual(requests.filter((request) => request.fault !== undefined).map((r) => r.fault), ["Error"])
  }).pipe(Effect.provide(PostpressSimulator.layerClient({ seed: 42, chats: 10, messagesPerChat: 500 }))))
// #endregion readme
