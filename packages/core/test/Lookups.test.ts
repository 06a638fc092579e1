/**
 * Lookups (`chats.retrieve`, `chats.attendees.list`, `messages.retrieve`):
 * concurrent identical calls share one request — its result, its failure,
 * its retries — and a caller that leaves does not take it from the others;
 * `PostpressClient.withCache` serves repeated lookups from memory for its time
 * to live, and never caches a failure.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { fixture } from "../../../conformance/fixtures/index.js"
import type { PostpressError } from "../src/index.js"
import { PostpressClient, PostpressRetry } from "../src/index.js"
import { type Answer, json, onSimulator, raw, type Received, stub } from "./utils.js"

const notFound = () => json(404, { title: "Not Found", type: "errors/resource_not_found", status: 404 })
const unavailable = () => json(503, { title: "Unavailable", type: "errors/network_down", status: 503 })

/** The API: each resource carries the id it was asked for; the id `missing` is a 404. */
const answer = ({ url }: Received): Answer => {
  const [, resource, id, sub] = url.pathname.replace(/^\/api\/v1/, "").split("/").map(decodeURIComponent)
  if (id === "missing") return notFound()
  if (resource === "messages") return json(200, { ...fixture("message"), id })
  if (sub === "attendees") return json(200, fixture("chat-attendee-list"))
  return json(200, { ...fixture("chat-with-last-message"), id })
}

/**
 * A stub that holds every request until `open`, counting the requests whose
 * wait was interrupted.
 */
const gated = (respond: (received: Received) => Answer = answer) => {
  const gate = Effect.runSync(Deferred.make<void>())
  let interrupted = 0
  const { layer, received } = stub((r) =>
    Deferred.await(gate).pipe(
      Effect.zipRight(Effect.sync(() => respond(r))),
      Effect.onInterrupt(() => Effect.sync(() => interrupted++))
    )
  )
  return { layer, received, open: Deferred.succeed(gate, undefined), interrupted: () => interrupted }
}

/** Lets the other fibers run until `condition` holds, or fails the test after 1,000 turns. */
const eventually = (condition: () => boolean, what: string) =>
  Effect.gen(function*() {
    for (let turn = 0; turn < 1_000 && !condition(); turn++) yield* Effect.yieldNow()
    assert.isTrue(condition(), what)
  })

const paths = (received: ReadonlyArray<Received>) => received.map(({ url }) => url.pathname + url.search).sort()

describe("concurrent identical lookups share one request", () => {
  type Call = Effect.Effect<unknown, PostpressError.PostpressError>
  const modes = {
    "Effect.all, unbounded": (calls: ReadonlyArray<Call>) => Effect.all(calls, { concurrency: "unbounded" }),
    "Effect.all, batched": (calls: ReadonlyArray<Call>) =>
      Effect.all(calls, { concurrency: "unbounded", batching: true }),
    "Effect.forEach, concurrency 32": (calls: ReadonlyArray<Call>) =>
      Effect.forEach(calls, (call) => call, { concurrency: 32 })
  }
  for (const [mode, all] of Object.entries(modes)) {
    it.effect(`${mode}: 10 calls per lookup, one request per lookup, the same result for every caller`, () => {
      const { layer, open, received } = gated()
      return Effect.gen(function*() {
        const client = yield* PostpressClient.PostpressClient
        // 30 calls in all: at concurrency 32, every one of them runs at once
        const calls = Array.from({ length: 10 }, () =>
          [
            client.chats.retrieve("chat_1"),
            client.chats.attendees.list("chat_1"),
            client.messages.retrieve("msg_1")
          ] as const)
        const fiber = yield* Effect.fork(all(calls.flat()))
        yield* eventually(() => received.length === 3, "the three requests are sent")
        yield* open
        const results = yield* Fiber.join(fiber)
        assert.deepStrictEqual(paths(received), [
          "/api/v1/chats/chat_1",
          "/api/v1/chats/chat_1/attendees",
          "/api/v1/messages/msg_1"
        ])
        // one response, decoded once: every caller of a lookup holds the very same value
        for (let i = 3; i < results.length; i++) assert.strictEqual(results[i], results[i % 3])
      }).pipe(Effect.provide(layer))
    })
  }

  it.effect("distinct arguments: one request each, each caller gets its own", () => {
    const { layer, open, received } = gated()
    return Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      const ids = Array.from({ length: 32 }, (_, i) => `msg_${i % 7}`)
      const fiber = yield* Effect.fork(Effect.all([
        Effect.forEach(ids, (id) => client.messages.retrieve(id), { concurrency: 32 }),
        Effect.all([
          client.chats.retrieve("chat_1"),
          client.chats.retrieve("chat_1", { account_id: "acc_1" }),
          client.chats.retrieve("chat_1", { account_id: "acc_1" }),
          client.chats.retrieve("chat_2")
        ], { concurrency: "unbounded" })
      ], { concurrency: "unbounded" }))
      yield* eventually(() => received.length === 10, "ten requests are sent")
      yield* open
      const [messages, chats] = yield* Fiber.join(fiber)
      assert.deepStrictEqual(messages.map((message) => message.id), ids)
      assert.deepStrictEqual(chats.map((chat) => chat.id), ["chat_1", "chat_1", "chat_1", "chat_2"])
      assert.deepStrictEqual(paths(received), [
        "/api/v1/chats/chat_1",
        "/api/v1/chats/chat_1?account_id=acc_1",
        "/api/v1/chats/chat_2",
        ...Array.from({ length: 7 }, (_, i) => `/api/v1/messages/msg_${i}`)
      ])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a failing id fails its callers only, with the one response's error", () => {
    const { layer, open, received } = gated()
    return Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      const ids = ["msg_1", "missing", "msg_1", "missing", "msg_2", "missing"]
      const fiber = yield* Effect.fork(
        Effect.forEach(ids, (id) => Effect.either(client.messages.retrieve(id)), { concurrency: "unbounded" })
      )
      yield* eventually(() => received.length === 3, "three requests are sent")
      yield* open
      const outcomes = yield* Fiber.join(fiber)
      assert.deepStrictEqual(
        outcomes.map(Either.match({ onLeft: (error) => error._tag, onRight: (message) => message.id })),
        ["msg_1", "NotFound", "msg_1", "NotFound", "msg_2", "NotFound"]
      )
      const [, first, , second] = outcomes.map(Either.getLeft)
      assert.strictEqual(Option.getOrThrow(first!), Option.getOrThrow(second!), "one error for every caller")
      assert.strictEqual(received.length, 3)
    }).pipe(Effect.provide(layer))
  })

  it.effect("sequential calls are not shared: without a cache, every lookup asks the API", () => {
    const { layer, received } = stub(answer)
    return Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      for (let i = 0; i < 3; i++) {
        yield* client.messages.retrieve("msg_1")
        yield* Effect.either(client.messages.retrieve("missing"))
      }
      assert.strictEqual(received.length, 6)
    }).pipe(Effect.provide(layer))
  })

  it.effect("the shared request is retried once for all its callers, not once per caller", () => {
    let n = 0
    const { layer, received } = stub((r) => n++ === 0 ? unavailable() : answer(r), {
      ...raw,
      retryPolicy: PostpressRetry.policy({ base: "10 millis", maxRetries: 3 })
    })
    return Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      const fiber = yield* Effect.fork(
        Effect.all(Array.from({ length: 20 }, () => client.messages.retrieve("msg_1")), { concurrency: "unbounded" })
      )
      for (let i = 0; i < 100 && fiber.unsafePoll() === null; i++) yield* TestClock.adjust("10 millis")
      const messages = yield* Fiber.join(fiber)
      assert.strictEqual(messages.length, 20)
      assert.strictEqual(received.length, 2, "one 503, one retry")
    }).pipe(Effect.provide(layer))
  })
})

describe("interruption", () => {
  it.effect("the caller that started the request leaves at once; the others still get its result", () => {
    const { interrupted, layer, open, received } = gated()
    return Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      const first = yield* Effect.fork(client.messages.retrieve("msg_1"))
      yield* eventually(() => received.length === 1, "the request is sent")
      const second = yield* Effect.fork(client.messages.retrieve("msg_1"))
      const third = yield* Effect.fork(client.messages.retrieve("msg_1"))
      yield* Effect.yieldNow()
      const interrupting = yield* Effect.fork(Fiber.interrupt(first))
      // the request is still held: the interruption does not wait for it
      yield* eventually(() => interrupting.unsafePoll() !== null, "the interrupted caller has left")
      assert.isTrue(Exit.isInterrupted(yield* Fiber.await(first)))
      yield* Fiber.interrupt(third)
      yield* open
      assert.strictEqual((yield* Fiber.join(second)).id, "msg_1")
      assert.strictEqual(received.length, 1)
      assert.strictEqual(interrupted(), 0, "the request was not interrupted")
    }).pipe(Effect.provide(layer))
  })

  it.effect("when every caller has left, the request is interrupted, and the next call sends a new one", () => {
    const { interrupted, layer, open, received } = gated()
    return Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      const callers = yield* Effect.forEach([1, 2, 3], () => Effect.fork(client.messages.retrieve("msg_1")))
      yield* eventually(() => received.length === 1, "the request is sent")
      yield* Fiber.interruptAll(callers)
      yield* eventually(() => interrupted() === 1, "the request is interrupted")
      yield* open
      assert.strictEqual((yield* client.messages.retrieve("msg_1")).id, "msg_1")
      assert.strictEqual(received.length, 2)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a left request that cannot stop yet is no longer shared: the next call sends its own, and later ones share that", () => {
    const [first, second] = Effect.runSync(Effect.all([Deferred.make<void>(), Deferred.make<void>()]))
    const { layer, received } = stub((r) =>
      received.length === 1
        // the first request cannot be interrupted until it is answered
        ? Effect.uninterruptible(Deferred.await(first)).pipe(Effect.zipRight(Effect.sync(() => answer(r))))
        : Deferred.await(second).pipe(Effect.zipRight(Effect.sync(() => answer(r))))
    )
    return Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      const leaver = yield* Effect.fork(client.messages.retrieve("msg_1"))
      yield* eventually(() => received.length === 1, "the request is sent")
      const leaving = yield* Effect.fork(Fiber.interrupt(leaver))
      yield* Effect.yieldNow()
      const next = yield* Effect.fork(client.messages.retrieve("msg_1"))
      yield* eventually(() => received.length === 2, "the next call sends a request of its own")
      // the first request ends (interrupted) while the second is still in flight
      yield* Deferred.succeed(first, undefined)
      yield* Fiber.join(leaving)
      const later = yield* Effect.fork(client.messages.retrieve("msg_1"))
      for (let turn = 0; turn < 10; turn++) yield* Effect.yieldNow()
      yield* Deferred.succeed(second, undefined)
      assert.strictEqual((yield* Fiber.join(next)).id, "msg_1")
      assert.strictEqual((yield* Fiber.join(later)).id, "msg_1")
      assert.strictEqual(received.length, 2, "the later call shared the second request")
    }).pipe(Effect.provide(layer))
  })
})

describe("the client's scope", () => {
  it.effect("closing it interrupts the lookups in flight, and their callers with them", () => {
    const { interrupted, layer, received } = gated()
    return Effect.gen(function*() {
      const scope = yield* Scope.make()
      const client = Context.get(yield* Layer.buildWithScope(layer, scope), PostpressClient.PostpressClient)
      const callers = yield* Effect.forEach([1, 2], () => Effect.fork(client.messages.retrieve("msg_1")))
      yield* eventually(() => received.length === 1, "the request is sent")
      yield* Scope.close(scope, Exit.void)
      assert.strictEqual(interrupted(), 1, "the request is interrupted")
      for (const caller of callers) assert.isTrue(Exit.isInterrupted(yield* Fiber.await(caller)))
    })
  })
})

describe("the client's cache (PostpressConfig's `cache`): the common path", () => {
  const cache = { capacity: 100, timeToLive: "1 minute" } as const

  it.scoped("10 calls of chats.retrieve, each run on its own, send 1 request; the cache lives as long as the client", () => {
    const { layer, received } = stub(answer, { ...raw, cache })
    return Effect.gen(function*() {
      const context = yield* Layer.build(layer)
      // each call a program of its own, as a request handler would run it
      const retrieve = (id: string) =>
        Effect.flatMap(PostpressClient.PostpressClient, (client) => client.chats.retrieve(id)).pipe(
          Effect.provide(context)
        )
      const first = yield* retrieve("chat_1")
      for (let i = 1; i < 10; i++) assert.strictEqual(yield* retrieve("chat_1"), first)
      assert.strictEqual(received.length, 1, "one request for 10 lookups, each run alone")
      yield* retrieve("chat_2")
      assert.strictEqual(received.length, 2, "another id is sent")
      yield* TestClock.adjust("61 seconds")
      yield* retrieve("chat_1")
      assert.strictEqual(received.length, 3, "past its time to live: sent again")
      // another client (another build of the layer) has a cache of its own
      const other = yield* Layer.build(layer)
      yield* Effect.flatMap(PostpressClient.PostpressClient, (client) => client.chats.retrieve("chat_2")).pipe(
        Effect.provide(other)
      )
      assert.strictEqual(received.length, 4, "a new client starts with an empty cache")
    })
  })

  it.effect("failures are not cached; a region under withCache uses its own cache, not the client's", () => {
    const { layer, received } = stub(answer, { ...raw, cache })
    return Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      assert.strictEqual((yield* Effect.flip(client.messages.retrieve("missing")))._tag, "NotFound")
      assert.strictEqual((yield* Effect.flip(client.messages.retrieve("missing")))._tag, "NotFound")
      assert.strictEqual(received.length, 2, "the 404 was asked twice")
      yield* client.messages.retrieve("msg_1")
      yield* client.messages.retrieve("msg_1")
      assert.strictEqual(received.length, 3)
      const region = client.messages.retrieve("msg_1").pipe(Effect.repeatN(2))
      yield* region.pipe(PostpressClient.withCache({ capacity: 10, timeToLive: "1 hour" }))
      assert.strictEqual(received.length, 4, "the region's cache starts empty, and serves the region")
      yield* client.messages.retrieve("msg_1")
      assert.strictEqual(received.length, 4, "outside the region, the client's cache still serves it")
    }).pipe(Effect.provide(layer))
  })

  it.effect("a LookupCache not made by makeCache is refused with a defect that says so", () => {
    const { layer, received } = stub(answer, raw)
    const forged: PostpressClient.Cache = { capacity: 1, timeToLive: Duration.minutes(1), size: 0 }
    return Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      const exit = yield* Effect.exit(client.chats.retrieve("chat_1"))
      assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
      assert.include(String(Cause.squash((exit as Exit.Failure<unknown, unknown>).cause)), "PostpressClient.makeCache")
      assert.strictEqual(received.length, 0)
    }).pipe(Effect.provideService(PostpressClient.LookupCache, Option.some(forged)), Effect.provide(layer))
  })

  it.effect("a cache whose time to live is zero keeps nothing: its size stays 0, and every lookup is sent", () =>
    Effect.gen(function*() {
      const made = yield* PostpressClient.makeCache({ capacity: 3, timeToLive: 0 })
      const { layer, received } = stub(answer)
      const retrieve = Effect.flatMap(PostpressClient.PostpressClient, (client) => client.messages.retrieve("msg_1"))
      yield* Effect.repeatN(retrieve, 1).pipe(
        Effect.provideService(PostpressClient.LookupCache, Option.some(made)),
        Effect.provide(layer)
      )
      assert.strictEqual(made.size, 0)
      assert.strictEqual(received.length, 2)
    }))

  it.effect("makeCache's cache shows its settings and its size", () =>
    Effect.gen(function*() {
      const made = yield* PostpressClient.makeCache({ capacity: 3, timeToLive: "2 minutes" })
      assert.strictEqual(made.capacity, 3)
      assert.isTrue(Duration.equals(made.timeToLive, Duration.minutes(2)))
      assert.strictEqual(made.size, 0)
      const { layer } = stub(answer)
      yield* Effect.flatMap(PostpressClient.PostpressClient, (client) => client.messages.retrieve("msg_1")).pipe(
        Effect.provideService(PostpressClient.LookupCache, Option.some(made)),
        Effect.provide(layer)
      )
      assert.strictEqual(made.size, 1)
    }))
})

describe("PostpressClient.withCache", () => {
  const cached = PostpressClient.withCache({ capacity: 100, timeToLive: "1 minute" })

  it.effect("a second pass sends nothing; once the time to live has passed, the lookups are sent again", () => {
    const { layer, received } = stub(answer)
    return Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      const pass = Effect.all([
        client.chats.retrieve("chat_1"),
        client.chats.attendees.list("chat_1"),
        client.messages.retrieve("msg_1"),
        client.messages.retrieve("msg_2")
      ])
      const first = yield* pass
      assert.strictEqual(received.length, 4)
      const second = yield* pass
      assert.strictEqual(received.length, 4, "the second pass is served from memory")
      second.forEach((value, i) => assert.strictEqual(value, first[i]))
      yield* TestClock.adjust("59999 millis")
      yield* pass
      assert.strictEqual(received.length, 4, "still fresh a millisecond before its time to live")
      yield* TestClock.adjust("1 millis")
      yield* pass
      assert.strictEqual(received.length, 8, "stale at exactly its time to live: sent again")
    }).pipe(cached, Effect.provide(layer))
  })

  it.effect("failures are not cached: a 404 and a 503 are asked again, the success after them is kept", () => {
    let flaky = 0
    const { layer, received } = stub((r) =>
      r.url.pathname.endsWith("/flaky") ? (flaky++ === 0 ? unavailable() : answer(r)) : answer(r)
    )
    return Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      assert.strictEqual((yield* Effect.flip(client.messages.retrieve("missing")))._tag, "NotFound")
      assert.strictEqual((yield* Effect.flip(client.messages.retrieve("missing")))._tag, "NotFound")
      assert.strictEqual(received.length, 2, "the 404 was asked twice")
      assert.strictEqual((yield* Effect.flip(client.messages.retrieve("flaky")))._tag, "ServiceUnavailable")
      assert.strictEqual((yield* client.messages.retrieve("flaky")).id, "flaky")
      assert.strictEqual((yield* client.messages.retrieve("flaky")).id, "flaky")
      assert.strictEqual(received.length, 4, "the 503 was asked again, the success then kept")
      assert.strictEqual((yield* Effect.flip(client.messages.retrieve("")))._tag, "InvalidRequest")
      assert.strictEqual(received.length, 4)
    }).pipe(cached, Effect.provide(layer))
  })

  it.live("a lookup made as its request lands is served from the cache, never sent again (on the simulator)", () =>
    onSimulator({ chats: 2, messagesPerChat: 600 }, (client, simulator) =>
      Effect.gen(function*() {
        const chatId = simulator.dataset.chatId(0)
        // as a pipeline enriches messages: each one looks up its chat and its attendees, 16 messages at a time
        const enriched = yield* client.chats.messages.stream(chatId, { limit: 100 }).pipe(
          Stream.mapEffect((message) =>
            Effect.all([client.chats.retrieve(message.chat_id), client.chats.attendees.list(message.chat_id)], {
              concurrency: 2
            }), { concurrency: 16 }),
          Stream.runCount
        )
        assert.strictEqual(enriched, 600)
        const routes = (yield* simulator.requests).map((request) =>
          request.route
        )
        assert.deepStrictEqual(routes.filter((route) => route !== "chats.messages.list").sort(), [
          "chats.attendees.list",
          "chats.retrieve"
        ])
      }).pipe(cached)))

  for (const capacity of [1, 2, 3, 8]) {
    it.effect(`at its capacity (${capacity}) it serves every entry; one more evicts exactly the least recently used`, () => {
      const { layer, received } = stub(answer)
      return Effect.gen(function*() {
        const client = yield* PostpressClient.PostpressClient
        // the three kinds of lookup in turn, all kept in the one cache
        const lookup = (i: number): Effect.Effect<unknown, PostpressError.PostpressError> =>
          i % 3 === 0
            ? client.chats.retrieve(`chat_${i}`)
            : i % 3 === 1
            ? client.chats.attendees.list(`chat_${i}`)
            : client.messages.retrieve(`msg_${i}`)
        const path = (i: number) =>
          i % 3 === 0
            ? `/api/v1/chats/chat_${i}`
            : i % 3 === 1
            ? `/api/v1/chats/chat_${i}/attendees`
            : `/api/v1/messages/msg_${i}`
        /** Looks up each of `ids` in turn and asserts which of them were sent (the others came from memory). */
        const expectSent = (ids: ReadonlyArray<number>, sent: ReadonlyArray<number>, what: string) =>
          Effect.gen(function*() {
            received.length = 0
            for (const i of ids) yield* lookup(i)
            assert.deepStrictEqual(paths(received), sent.map(path).sort(), what)
          })
        const filled = Array.from({ length: capacity }, (_, i) => i)
        yield* expectSent(filled, filled, "filling the cache sends each lookup once")
        // newest first: the least recently used is now the last one filled
        yield* expectSent([...filled].reverse(), [], `every one of the ${capacity} entries is served from memory`)
        const evicted = capacity - 1
        yield* expectSent([capacity], [capacity], "one more distinct lookup is sent")
        const kept = [...filled.filter((i) => i !== evicted), capacity]
        yield* expectSent(kept, [], `the ${capacity} most recently used are served from memory`)
        yield* expectSent([evicted], [evicted], "the least recently used was evicted: sent again")
        // it came back in place of the least recently used of those kept
        const next = kept[0]!
        yield* expectSent([...kept.slice(1), evicted], [], "the rest are served from memory")
        yield* expectSent([next], [next], "the next least recently used was evicted")
      }).pipe(PostpressClient.withCache({ capacity, timeToLive: "1 hour" }), Effect.provide(layer))
    })
  }

  it.effect("concurrent lookups under the cache share their request too", () => {
    const { layer, open, received } = gated()
    return Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      const fiber = yield* Effect.fork(
        Effect.all(Array.from({ length: 20 }, () => client.messages.retrieve("msg_1")), { concurrency: "unbounded" })
      )
      yield* eventually(() => received.length === 1, "the request is sent")
      yield* open
      yield* Fiber.join(fiber)
      yield* client.messages.retrieve("msg_1")
      assert.strictEqual(received.length, 1)
    }).pipe(cached, Effect.provide(layer))
  })

  it.scoped("each run of the effect has its own cache, and two clients under one cache share no results", () => {
    const a = stub(answer)
    const b = stub(answer)
    return Effect.gen(function*() {
      const clientA = Context.get(yield* Layer.build(a.layer), PostpressClient.PostpressClient)
      const clientB = Context.get(yield* Layer.build(b.layer), PostpressClient.PostpressClient)
      const both = Effect.all([clientA.messages.retrieve("msg_1"), clientB.messages.retrieve("msg_1")])
      yield* both.pipe(Effect.repeatN(2), cached)
      assert.deepStrictEqual([a.received.length, b.received.length], [1, 1])
      yield* both.pipe(cached)
      assert.deepStrictEqual([a.received.length, b.received.length], [2, 2])
      // one cache for several regions, provided as it is
      const cache = yield* PostpressClient.makeCache({ capacity: 10, timeToLive: "1 hour" })
      const shared = Effect.provideService(both, PostpressClient.LookupCache, Option.some(cache))
      yield* shared
      yield* shared
      assert.deepStrictEqual([a.received.length, b.received.length], [3, 3])
    })
  })
})
