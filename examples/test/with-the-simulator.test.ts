/**
 * How an application tests its own code against `@postpress/simulator` (the
 * README's "In your tests"): the code under test gets a `PostpressClient`, the
 * test provides one wired to an in-process simulator, injects a fault, and
 * checks both the outcome and what was sent — in process, and over a real
 * socket with `NodeSimulator.layerClient`.
 */
import { assert, describe, it } from "@effect/vitest"
import { PostpressClient } from "@postpress/core"
import { NodeSimulator, PostpressSimulator } from "@postpress/simulator"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

/** The application's code under test: the ids of a chat's messages, oldest first. */
const syncChat = (chatId: string) =>
  Effect.gen(function*() {
    const client = yield* PostpressClient.PostpressClient
    const ids = yield* client.chats.messages.stream(chatId, { limit: 100 }).pipe(
      Stream.map((message) => message.id),
      Stream.runCollect
    )
    return Array.from(ids).reverse()
  })

describe("an application's tests on the simulator", () => {
  it.live("syncs a chat through a 503 on its second page", () =>
    Effect.gen(function*() {
      const simulator = yield* PostpressSimulator.PostpressSimulator
      yield* simulator.setFaults([{
        route: "chats.messages.list",
        requests: [2],
        fault: PostpressSimulator.Fault.Error({ status: 503 })
      }])
      const chatId = simulator.dataset.chatId(0)
      const ids = yield* syncChat(chatId)
      assert.strictEqual(ids.length, 500)
      assert.strictEqual(new Set(ids).size, 500)
      assert.strictEqual(ids[0], simulator.dataset.messageId(0, 0))
      const requests = yield* simulator.requests
      // five pages, the second asked for twice: the 503 was retried
      assert.deepStrictEqual(requests.map((request) => request.fault), [
        undefined,
        "Error",
        undefined,
        undefined,
        undefined,
        undefined
      ])
    }).pipe(Effect.provide(PostpressSimulator.layerClient({ seed: 42, chats: 10, messagesPerChat: 500 }))))

  // the same over HTTP, in one line: a simulator on a free port and a client over undici pointed at it
  it.live("syncs a chat over HTTP through a connection reset on its second page", () =>
    Effect.gen(function*() {
      const simulator = yield* PostpressSimulator.PostpressSimulator
      yield* simulator.setFaults([{
        route: "chats.messages.list",
        requests: [2],
        fault: PostpressSimulator.Fault.ConnectionReset()
      }])
      const ids = yield* syncChat(simulator.dataset.chatId(0))
      assert.strictEqual(ids.length, 500)
      assert.strictEqual(new Set(ids).size, 500)
      const requests = yield* simulator.requests
      assert.deepStrictEqual(requests.map((request) => request.fault), [
        undefined,
        "ConnectionReset",
        undefined,
        undefined,
        undefined,
        undefined
      ])
    }).pipe(Effect.provide(NodeSimulator.layerClient({ seed: 42, chats: 10, messagesPerChat: 500 }))))
})
