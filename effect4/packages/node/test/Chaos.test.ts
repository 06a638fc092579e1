/**
 * Chaos: the SDK's message stream, with its DEFAULT resilience settings (the
 * default stream retry policy, the retry budget, the timeouts), against the
 * simulator's injected faults. Nothing here passes a retry option: what is
 * tested is what a user gets.
 */
import { assert, describe, it } from "@effect/vitest"
import { PostpressClient } from "@postpress/core"
import type { Message, PostpressError } from "@postpress/core"
import { NodeSimulator, PostpressSimulator } from "@postpress/simulator"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/testing/TestClock"
import { NodePostpress } from "../src/index.js"

/** The chat of test a: 192 pages of 250 (about a minute through 30 % faults with the default backoff). */
const MESSAGES = 48_000
const LIMIT = 250

/** A figure of the run, on stderr: vitest shows it with the test's name. */
const report = (line: string) => Effect.sync(() => process.stderr.write(`${line}\n`))

/** The ids of messages `from - 1` down to `to` of a chat: the order the API lists them in, newest first. */
const newestFirst = (dataset: PostpressSimulator.SimulatorDataset, chat: number, from: number, to = 0) =>
  Array.from({ length: from - to }, (_, i) => dataset.messageId(chat, from - 1 - i))

describe("chaos over HTTP", () => {
  it.live(
    "a message stream over HTTP through 30 % faults delivers every message once, in order",
    () =>
      Effect.gen(function*() {
        const context = yield* Layer.build(NodeSimulator.layer({
          port: 0,
          seed: 7,
          chats: 1,
          messagesPerChat: MESSAGES,
          faults: PostpressSimulator.faultMix(0.3)
        }))
        const simulator = Context.get(context, PostpressSimulator.PostpressSimulator)
        const baseUrl = yield* NodeSimulator.baseUrl.pipe(Effect.provide(context))
        // the default resilience: no retry option is passed
        const client = yield* Layer.build(NodePostpress.layer({ apiKey: Redacted.make(simulator.apiKey), baseUrl }))
          .pipe(Effect.map(Context.get(PostpressClient.PostpressClient)))
        const { dataset } = simulator
        const expected = dataset.messageCount(0)
        assert.strictEqual(expected, MESSAGES)

        const started = Date.now()
        const ids = yield* client.chats.messages.stream(dataset.chatId(0), { limit: LIMIT }).pipe(
          Stream.map((message) => message.id),
          Stream.runCollect
        )
        const seconds = (Date.now() - started) / 1000

        assert.strictEqual(ids.length, expected, "every message")
        assert.strictEqual(new Set(ids).size, ids.length, "none twice")
        assert.deepStrictEqual(ids, newestFirst(dataset, 0, expected), "in the API's order, newest first")

        // the faults were there: the test cannot pass because none was injected
        const requests = yield* simulator.requests
        const faulted = requests.filter((r) => r.fault !== undefined)
        assert.isAbove(faulted.length / requests.length, 0.2, "more than 20 % of the requests were faulted")
        const kinds = new Set(faulted.map((r) => r.fault))
        yield* report(
          `chaos over HTTP: ${ids.length} messages in ${seconds.toFixed(1)} s, ${requests.length} requests, ` +
            `${faulted.length} faulted (${(100 * faulted.length / requests.length).toFixed(1)} %: ${
              [...kinds].join(", ")
            })`
        )
      }),
    180_000
  )
})

/** The typed failure a stream ended with; fails the test if it ended otherwise (not yet, a success, a defect). */
const typedFailure = <A>(exit: Exit.Exit<A, PostpressError.StreamError> | undefined) => {
  if (exit === undefined) return assert.fail("the stream did not end within 120 s of clock time")
  if (Exit.isSuccess(exit)) return assert.fail("the stream succeeded")
  const failure = Cause.findErrorOption(exit.cause)
  if (Option.isNone(failure)) return assert.fail(`a typed failure, not ${Cause.pretty(exit.cause)}`)
  return failure.value
}

/**
 * Runs `effect` in a fiber, moving the test clock 1 s at a time (and letting
 * in-process requests complete between steps), for at most `seconds`; returns
 * its exit and the clock time it ended at (or `undefined` if it did not end).
 */
const driven = <A, E, R>(effect: Effect.Effect<A, E, R>, seconds: number) =>
  Effect.gen(function*() {
    const start = yield* Clock.currentTimeMillis
    let endedAt: number | undefined
    const fiber = yield* effect.pipe(
      Effect.onExit(() => Effect.map(Clock.currentTimeMillis, (now) => (endedAt = now - start))),
      Effect.forkChild
    )
    // a few turns of the event loop, in real time: the in-process simulator answers through promises
    const settle = TestClock.withLive(Effect.sleep("2 millis"))
    for (let second = 0; second < seconds && endedAt === undefined; second++) {
      yield* settle
      yield* TestClock.adjust("1 second")
    }
    yield* settle
    const exit = fiber.pollUnsafe()
    if (exit === undefined) yield* Fiber.interrupt(fiber)
    return { exit, endedAt }
  })

describe("an outage", () => {
  it.effect("at 100 % 503 a stream fails typed within 2 minutes, with where to resume", () =>
    Effect.gen(function*() {
      const simulator = yield* PostpressSimulator.PostpressSimulator
      const client = yield* PostpressClient.PostpressClient
      const { endedAt, exit } = yield* driven(
        Stream.runCollect(client.chats.messages.stream(simulator.dataset.chatId(0), { limit: 50 })),
        120
      )
      const failure = typedFailure(exit)
      assert.strictEqual(failure._tag, "ServiceUnavailable")
      // nothing emitted: resume from where the stream started
      assert.strictEqual(failure.resume.pages, 0)
      assert.isUndefined(failure.resume.cursor)
      assert.isBelow(endedAt!, 120_000)
      // PostpressRetry.streamPolicy: 10 retries, all spent before giving up
      const requests = yield* simulator.requests
      assert.strictEqual(requests.length, 11)
      yield* report(`100 % 503: ${failure._tag} after ${endedAt! / 1000} s of clock time, ${requests.length} requests`)
    }).pipe(Effect.provide(PostpressSimulator.layerClient({
      seed: 3,
      chats: 1,
      messagesPerChat: 500,
      faults: [{ fault: PostpressSimulator.Fault.Error({ status: 503 }) }]
    }))))

  it.effect(
    "an outage after 3 pages fails with the cursor of the last page emitted; resuming there gives the rest",
    () =>
      Effect.gen(function*() {
        const simulator = yield* PostpressSimulator.PostpressSimulator
        const client = yield* PostpressClient.PostpressClient
        const { dataset } = simulator
        const chatId = dataset.chatId(0)
        const emitted: Array<Message.MessageList> = []
        const { endedAt, exit } = yield* driven(
          client.chats.messages.pages(chatId, { limit: 50 }).pipe(
            Stream.runForEach((page) => Effect.sync(() => emitted.push(page)))
          ),
          120
        )
        const failure = typedFailure(exit)
        assert.strictEqual(failure._tag, "ServiceUnavailable")
        assert.strictEqual(emitted.length, 3)
        assert.strictEqual(failure.resume.pages, 3)
        assert.isString(emitted[2]!.cursor)
        assert.strictEqual(failure.resume.cursor, emitted[2]!.cursor)
        yield* report(`outage after 3 pages: ${failure._tag} after ${endedAt! / 1000} s of clock time`)

        yield* simulator.setFaults([])
        const rest = yield* client.chats.messages.stream(chatId, { limit: 50, cursor: failure.resume.cursor }).pipe(
          Stream.map((message) => message.id),
          Stream.runCollect
        )
        const ids = [...emitted.flatMap((page) => page.items.map((message) => message.id)), ...rest]
        assert.strictEqual(new Set(ids).size, ids.length, "none twice")
        assert.deepStrictEqual(ids, newestFirst(dataset, 0, dataset.messageCount(0)), "every message, in order")
      }).pipe(Effect.provide(PostpressSimulator.layerClient({
        seed: 3,
        chats: 1,
        messagesPerChat: 500,
        faults: [{
          fault: PostpressSimulator.Fault.Error({ status: 503 }),
          route: "chats.messages.list",
          // every request after the 3rd
          requests: Array.from({ length: 1_000 }, (_, i) => i + 4)
        }]
      })))
  )
})
