import { assert, describe, it } from "@effect/vitest"
import type { PostpressSimulator } from "@postpress/simulator"
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import type * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { fixture } from "../../../conformance/fixtures/index.js"
import type { Message, PostpressClient } from "../src/index.js"
import { assertNextBeforeConsumed, json, onSimulator, stub, withClient } from "./utils.js"

const requestCount = (simulator: PostpressSimulator.Service) => Effect.map(simulator.requests, (r) => r.length)

const idsNewestFirst = (simulator: PostpressSimulator.Service, chat: number, from: number, to: number) =>
  Array.from({ length: from - to }, (_, i) => simulator.dataset.messageId(chat, from - 1 - i))

/** A message of the reference's shape with another id. */
const message = (id: string) => ({ ...fixture("message"), id })
const page = (ids: ReadonlyArray<string>, cursor: string | null) => ({
  object: "MessageList",
  items: ids.map(message),
  cursor
})

/** Waits `millis` of real time, whatever the test clock says. */
const realPause = (millis: number) => Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, millis)))

/**
 * A chat's messages served by a stub as the API does (newest first, `after` exclusive, one page), with messages
 * added while a test runs: each is an id and its instant in ms.
 */
const messageServer = (initial: ReadonlyArray<readonly [string, number]>) => {
  const messages: Array<readonly [string, number]> = [...initial]
  const { layer, received } = stub(({ url }) => {
    const after = url.searchParams.get("after")
    const limit = Number(url.searchParams.get("limit") ?? "100")
    // newest first; at one instant, the one added last first
    const items = messages
      .filter(([, at]) => after === null || at > Date.parse(after))
      .reverse()
      .sort(([, a], [, b]) => b - a)
      .slice(0, limit)
      .map(([id, at]) => ({ ...message(id), timestamp: new Date(at).toISOString() }))
    return json(200, { object: "MessageList", items, cursor: null })
  })
  return {
    layer,
    received,
    add: (...more: ReadonlyArray<readonly [string, number]>) => {
      for (const m of more) messages.push(m)
    }
  }
}

/** `chats.messages.watch("chat_1", options)` on a client built from `layer`. */
const watching = (
  layer: Layer.Layer<PostpressClient.PostpressClient, unknown>,
  options: PostpressClient.WatchOptions
) =>
  Stream.unwrap(withClient((client) => Effect.succeed(client.chats.messages.watch("chat_1", options)))).pipe(
    Stream.provideLayer(layer)
  )

describe("laziness", () => {
  it.effect("nothing is sent until the stream is pulled; take(n) fetches only the pages it needs", () =>
    onSimulator({ chats: 1, messagesPerChat: 1000 }, (client, simulator) =>
      Effect.gen(function*() {
        const chatId = simulator.dataset.chatId(0)
        const stream = client.chats.messages.stream(chatId, { limit: 10, prefetch: 0 })
        assert.strictEqual(yield* requestCount(simulator), 0)
        const five = yield* Stream.runCollect(Stream.take(stream, 5))
        assert.strictEqual(Chunk.size(five), 5)
        assert.strictEqual(yield* requestCount(simulator), 1)
        yield* simulator.clearRequests
        yield* Stream.runCollect(Stream.take(stream, 25))
        assert.strictEqual(yield* requestCount(simulator), 3)
      })))

  it.effect("with prefetch, take(n) sends at most `prefetch` pages beyond those it needs", () =>
    onSimulator({ chats: 1, messagesPerChat: 1000 }, (client, simulator) =>
      Effect.gen(function*() {
        yield* Stream.runCollect(
          Stream.take(client.chats.messages.stream(simulator.dataset.chatId(0), { limit: 10, prefetch: 2 }), 25)
        )
        const sent = yield* requestCount(simulator)
        assert.isAtLeast(sent, 3)
        assert.isAtMost(sent, 5)
      })))
})

describe("order, completeness, resume", () => {
  it.effect("every message once, newest first, across many pages", () =>
    onSimulator({ chats: 2, messagesPerChat: 1234 }, (client, simulator) =>
      Effect.gen(function*() {
        const all = yield* Stream.runCollect(client.chats.messages.stream(simulator.dataset.chatId(0), { limit: 100 }))
        assert.deepStrictEqual(Chunk.toReadonlyArray(all).map((m) => m.id), idsNewestFirst(simulator, 0, 1234, 0))
        assert.strictEqual(yield* requestCount(simulator), 13)
      })))

  it.effect("pages carry the cursor that resumes right after them: stop half-way, resume, get exactly the rest", () =>
    onSimulator({ chats: 1, messagesPerChat: 500 }, (client, simulator) =>
      Effect.gen(function*() {
        const chatId = simulator.dataset.chatId(0)
        const firstThree = Chunk.toReadonlyArray(
          yield* Stream.runCollect(Stream.take(client.chats.messages.pages(chatId, { limit: 40 }), 3))
        )
        const checkpoint = firstThree[2]!.cursor!
        const rest = yield* Stream.runCollect(client.chats.messages.stream(chatId, { limit: 40, cursor: checkpoint }))
        const done = firstThree.flatMap((p) => p.items.map((m) => m.id))
        assert.deepStrictEqual(
          [...done, ...Chunk.toReadonlyArray(rest).map((m) => m.id)],
          idsNewestFirst(simulator, 0, 500, 0)
        )
      })))

  it.effect("filters apply to every page", () =>
    onSimulator({ chats: 1, messagesPerChat: 300 }, (client, simulator) =>
      Effect.gen(function*() {
        const chatId = simulator.dataset.chatId(0)
        const after = simulator.dataset.message(0, 99).timestamp
        const since = yield* Stream.runCollect(client.chats.messages.stream(chatId, { after, limit: 7 }))
        assert.isTrue(Chunk.every(since, (m) => m.timestamp > after))
        assert.strictEqual(Chunk.size(since), 300 - 100 - 0)
      })))

  it.effect("an attendee's chats stream in the listing's order", () =>
    onSimulator({ chats: 40, messagesPerChat: 3 }, (client, simulator) =>
      Effect.gen(function*() {
        const { dataset } = simulator
        const chats = yield* Stream.runCollect(
          client.chatAttendees.chats.stream(dataset.attendeeId(dataset.selfOf(1)), { limit: 2 })
        )
        const expected = dataset.chatOrder.filter((c) => dataset.accountOfChat(c) === 1 && dataset.chatType(c) === 0)
        assert.deepStrictEqual(Chunk.toReadonlyArray(chats).map((c) => c.id), expected.map(dataset.chatId))
      })))
})

describe("server quirks", () => {
  it.effect("a page with no items but a cursor continues", () => {
    const pages: Record<string, unknown> = {
      "": page(["m1", "m2"], "c1"),
      c1: page([], "c2"),
      c2: page([], "c3"),
      c3: page(["m3"], null)
    }
    const { layer, received } = stub(({ url }) => json(200, pages[url.searchParams.get("cursor") ?? ""]))
    return Effect.gen(function*() {
      const all = yield* withClient((client) => Stream.runCollect(client.chats.messages.stream("chat_1")))
      assert.deepStrictEqual(Chunk.toReadonlyArray(all).map((m) => m.id), ["m1", "m2", "m3"])
      assert.strictEqual(received.length, 4)
    }).pipe(Effect.provide(layer))
  })

  it.effect("pages: a page with no items but a cursor is emitted, with its cursor, and so are the pages after it", () => {
    const chatPage = (ids: ReadonlyArray<string>, cursor: string | null) => ({
      object: "ChatList",
      items: ids.map((id) => ({ ...fixture("chat-list").items[0], id })),
      cursor
    })
    // by the cursor sent: the first page and two more in the middle are empty, each with a cursor
    const script: ReadonlyArray<readonly [string, ReadonlyArray<string>, string | null]> = [
      ["", [], "c1"],
      ["c1", ["x1", "x2"], "c2"],
      ["c2", [], "c3"],
      ["c3", [], "c4"],
      ["c4", ["x3"], null]
    ]
    const byCursor = new Map(script.map(([sent, ids, next]) => [sent, [ids, next] as const]))
    const { layer, received } = stub(({ url }) => {
      const [ids, next] = byCursor.get(url.searchParams.get("cursor") ?? "")!
      return json(200, url.pathname.endsWith("/messages") ? page(ids, next) : chatPage(ids, next))
    })
    const expected = script.map(([, ids, next]) => [ids, next])
    const sentCursors = script.map(([sent]) => sent)
    /** Each page a stream emits, as its items' ids and its cursor. */
    const emitted = <E>(
      pages: Stream.Stream<
        { readonly items: ReadonlyArray<{ readonly id: string }>; readonly cursor: string | null },
        E
      >
    ) =>
      Effect.map(
        Stream.runCollect(pages),
        (all) => Chunk.toReadonlyArray(all).map((p) => [p.items.map((item) => item.id), p.cursor])
      )
    return Effect.forEach([0, 1, 3], (prefetch) =>
      withClient((client) =>
        Effect.gen(function*() {
          const streams = {
            "chats.messages.pages": emitted(client.chats.messages.pages("chat_1", { prefetch })),
            "chatAttendees.chats.pages": emitted(client.chatAttendees.chats.pages("att_1", { prefetch }))
          }
          for (const [name, pages] of Object.entries(streams)) {
            received.length = 0
            assert.deepStrictEqual(yield* pages, expected, `${name}, prefetch ${prefetch}`)
            assert.deepStrictEqual(
              received.map(({ url }) => url.searchParams.get("cursor") ?? ""),
              sentCursors,
              `${name}, prefetch ${prefetch}: the requests`
            )
          }
        })
      )).pipe(Effect.provide(layer))
  })

  it.effect("a cursor the server repeats stops with RepeatedCursor after the pages before it", () => {
    const pages: Record<string, unknown> = {
      "": page(["m1"], "c1"),
      c1: page(["m2"], "c2"),
      c2: page(["m3"], "c1")
    }
    const { layer, received } = stub(({ url }) => json(200, pages[url.searchParams.get("cursor") ?? ""]))
    return Effect.forEach([0, 1, 3], (prefetch) =>
      Effect.gen(function*() {
        received.length = 0
        const seen: Array<string> = []
        const error = yield* withClient((client) =>
          client.chats.messages.stream("chat_1", { prefetch }).pipe(
            Stream.runForEach((m) => Effect.sync(() => seen.push(m.id))),
            Effect.flip
          )
        )
        assert.strictEqual(error._tag, "RepeatedCursor")
        assert.strictEqual(error._tag === "RepeatedCursor" && error.cursor, "c1")
        // what the server says comes next, after the three pages emitted
        assert.deepStrictEqual(error.resume, { cursor: "c1", pages: 3 })
        assert.deepStrictEqual(seen, ["m1", "m2", "m3"])
        assert.strictEqual(received.length, 3)
      })).pipe(Effect.provide(layer))
  })

  it.effect("a cursor repeated within the last 64 pages is RepeatedCursor; one first seen longer ago is followed", () =>
    Effect.forEach([64, 65], (lap) => {
      // "" → c1 → … → c<lap> → c1 (again): the second time round, c1 ends the list
      let laps = 0
      const { layer, received } = stub(({ url }) => {
        const at = Number((url.searchParams.get("cursor") ?? "c0").slice(1))
        if (at === 1 && ++laps === 2) return json(200, page([`m${at}`], null))
        return json(200, page([`m${at}`], `c${at === lap ? 1 : at + 1}`))
      })
      return Effect.gen(function*() {
        const result = yield* withClient((client) =>
          Stream.runCollect(client.chats.messages.stream("chat_1", { prefetch: 0 }))
        ).pipe(Effect.either)
        if (lap === 64) {
          assert.isTrue(Either.isLeft(result) && result.left._tag === "RepeatedCursor", `lap ${lap}`)
          assert.strictEqual(received.length, 65)
        } else {
          assert.isTrue(Either.isRight(result), `lap ${lap}`)
          assert.strictEqual(received.length, 67)
        }
      }).pipe(Effect.provide(layer))
    }))

  it.effect("a page's cursor is followed wherever it stands; a body that is no JSON object fails typed and asks no more", () => {
    const text = (body: string) => new Response(body, { status: 200, headers: { "content-type": "application/json" } })
    const m = (id: string) => JSON.stringify(message(id))
    return Effect.forEach([0, 1], (prefetch) =>
      Effect.gen(function*() {
        const first = stub(({ url }) =>
          url.searchParams.get("cursor") === null
            ? text(`{"cursor":"c1","object":"MessageList","items":[${m("m1")}]}`)
            : text(`{"cursor":null,"items":[${m("m2")}],"object":"MessageList"}`)
        )
        const ids = yield* withClient((client) =>
          Stream.runCollect(client.chats.messages.stream("chat_1", { prefetch }))
        )
          .pipe(Effect.provide(first.layer))
        assert.deepStrictEqual(Chunk.toReadonlyArray(ids).map((m) => m.id), ["m1", "m2"], `prefetch ${prefetch}`)

        for (const body of ["not json", "null", "[]", `{"object":"MessageList","items":[],"cursor":5}`]) {
          const failing = stub(({ url }) =>
            url.searchParams.get("cursor") === null ? json(200, page(["m1"], "c1")) : text(body)
          )
          const seen: Array<string> = []
          const error = yield* withClient((client) =>
            client.chats.messages.stream("chat_1", { prefetch }).pipe(
              // a consumer that takes its time (20 ms of real time) over the first page: a read-ahead has
              // fetched all it would before the failing page is decoded
              Stream.runForEach((m) => Effect.andThen(Effect.sync(() => seen.push(m.id)), realPause(20))),
              Effect.flip
            )
          ).pipe(Effect.provide(failing.layer))
          assert.isString(error._tag, body)
          assert.deepStrictEqual(seen, ["m1"], body)
          assert.strictEqual(failing.received.length, 2, `${body}, prefetch ${prefetch}: nothing asked after it`)
        }
      }))
  })

  it.effect("a failed request or a malformed page fails the stream after the pages before it, whatever the prefetch", () => {
    const pages: Record<string, Response> = {
      "": json(200, page(["m1"], "c1")),
      c1: json(200, page(["m2"], "c2")),
      c2: json(200, { object: "MessageList", items: [{ id: 3 }], cursor: "c3" }),
      c3: json(200, page(["m4"], null))
    }
    const failing = stub(({ url }) =>
      url.searchParams.get("cursor") === "c2"
        ? json(500, { title: "boom", type: "errors/unexpected_error", status: 500 })
        : pages[url.searchParams.get("cursor") ?? ""]!.clone()
    )
    const malformed = stub(({ url }) => pages[url.searchParams.get("cursor") ?? ""]!.clone())
    return Effect.forEach(
      [0, 1, 3],
      (prefetch) =>
        Effect.forEach(
          [[failing.layer, "InternalServerError"], [malformed.layer, "MalformedResponse"]] as const,
          ([layer, tag]) =>
            Effect.gen(function*() {
              const seen: Array<string> = []
              const error = yield* withClient((client) =>
                client.chats.messages.stream("chat_1", { prefetch }).pipe(
                  Stream.runForEach((m) => Effect.sync(() => seen.push(m.id))),
                  Effect.flip
                )
              ).pipe(Effect.provide(layer))
              assert.strictEqual(error._tag, tag, `prefetch ${prefetch}`)
              assert.deepStrictEqual(seen, ["m1", "m2"], `prefetch ${prefetch}`)
              // the request for the third page failed (or its page did not decode): resume there
              assert.deepStrictEqual(error.resume, { cursor: "c2", pages: 2 }, `prefetch ${prefetch}`)
            })
        )
    )
  })

  it.effect("a failed stream resumes from its error's cursor with nothing lost and nothing twice", () => {
    const pages: Record<string, unknown> = {
      "": page(["m1", "m2"], "c1"),
      c1: page(["m3"], "c2"),
      c2: page(["m4", "m5"], "c3"),
      c3: page(["m6"], null)
    }
    return Effect.forEach([0, 1, 3], (prefetch) => {
      // the server fails the third page's request once, then recovers
      let failures = 0
      const { layer } = stub(({ url }) => {
        const cursor = url.searchParams.get("cursor") ?? ""
        return cursor === "c2" && failures++ === 0
          ? json(503, { title: "down", type: "errors/network_down", status: 503 })
          : json(200, pages[cursor])
      })
      return Effect.gen(function*() {
        const seen: Array<string> = []
        const run = (cursor?: string) =>
          withClient((client) =>
            client.chats.messages.stream("chat_1", { prefetch, cursor }).pipe(
              Stream.runForEach((m) => Effect.sync(() => seen.push(m.id)))
            )
          )
        const error = yield* Effect.flip(run())
        assert.strictEqual(error._tag, "ServiceUnavailable")
        yield* run(error.resume.cursor)
        assert.deepStrictEqual(seen, ["m1", "m2", "m3", "m4", "m5", "m6"], `prefetch ${prefetch}`)
      }).pipe(Effect.provide(layer))
    })
  })

  it.effect("errors keep their tags in the stream: catchTags is exhaustive there too", () =>
    onSimulator({}, (client) =>
      Effect.gen(function*() {
        const outcome = yield* client.chats.messages.stream("chat_" + "0".repeat(26)).pipe(
          Stream.map((m) => m.id),
          Stream.catchTags({
            NotFound: (e) => Stream.make(`not found: ${e.type}`),
            Unauthorized: () => Stream.make("unauthorized"),
            Forbidden: () => Stream.make("forbidden"),
            InternalServerError: () => Stream.make("500"),
            ServiceUnavailable: () => Stream.make("503"),
            GatewayTimeout: () => Stream.make("504"),
            TooManyRequests: () => Stream.make("429"),
            UnexpectedStatus: () => Stream.make("status"),
            MalformedResponse: () => Stream.make("malformed"),
            TransportError: () => Stream.make("transport"),
            RequestTimeout: () => Stream.make("timeout"),
            InvalidRequest: () => Stream.make("invalid"),
            RepeatedCursor: () => Stream.make("loop")
          }),
          Stream.runCollect
        )
        assert.deepStrictEqual(Chunk.toReadonlyArray(outcome), ["not found: errors/resource_not_found"])
      })))

  it.effect("an invalid parameter fails the stream before anything is sent", () =>
    onSimulator({}, (client, simulator) =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(
          Stream.runDrain(client.chats.messages.stream(simulator.dataset.chatId(0), { limit: 0 }))
        )
        assert.strictEqual(error._tag === "InvalidRequest" && error.field, "limit")
        assert.strictEqual(yield* requestCount(simulator), 0)
      })))
})

describe("prefetch", () => {
  /** A server of `total` pages that counts requests, with a consumer that holds each page until released. */
  const measure = (prefetch: number) => {
    const total = 12
    let fetched = 0
    const { layer } = stub(({ url }) => {
      fetched++
      const n = Number(url.searchParams.get("cursor") ?? "0")
      return json(200, page([`m${n}`], n + 1 < total ? String(n + 1) : null))
    })
    return Effect.gen(function*() {
      const aheadOfConsumer: Array<number> = []
      const consumed = yield* Ref.make(0)
      yield* withClient((client) =>
        client.chats.messages.pages("chat_1", { prefetch }).pipe(
          Stream.runForEach(() =>
            Effect.gen(function*() {
              // let the producer run as far ahead as it may while this page is held
              yield* Effect.sleep("1 second")
              const done = yield* Ref.updateAndGet(consumed, (n) => n + 1)
              aheadOfConsumer.push(fetched - done)
            })
          ),
          Effect.fork,
          Effect.flatMap((fiber) =>
            Effect.gen(function*() {
              for (let i = 0; i < total; i++) yield* TestClock.adjust("1 second")
              yield* Fiber.join(fiber)
            })
          )
        )
      )
      assert.strictEqual(fetched, total)
      return Math.max(...aheadOfConsumer)
    }).pipe(Effect.provide(layer))
  }

  it.effect("no prefetch: a page is fetched only once the previous one is consumed", () =>
    Effect.map(measure(0), (ahead) => assert.strictEqual(ahead, 0)))

  it.effect("prefetch n keeps at most n + 1 pages ahead of the consumer (n queued, one in flight)", () =>
    Effect.gen(function*() {
      assert.isAtMost(yield* measure(1), 2)
      assert.isAtLeast(yield* measure(1), 1)
      assert.isAtMost(yield* measure(3), 4)
      assert.isAtLeast(yield* measure(3), 3)
    }))
})

describe("overlap", () => {
  // with a consumer waiting on the network, the producer asks for the next page before the consumer is handed the
  // page before it, whatever else is scheduled
  it.live("with prefetch, the next page is requested before the consumer gets the page it follows", () => {
    const total = 6
    const events: Array<string> = []
    const { layer } = stub(({ url }) => {
      const n = Number(url.searchParams.get("cursor") ?? "0")
      events.push(`request ${n}`)
      return Effect.as(Effect.sleep("5 millis"), json(200, page([`m${n}`], n + 1 < total ? String(n + 1) : null)))
    })
    return withClient((client) =>
      client.chats.messages.pages("chat_1", { prefetch: 1 }).pipe(
        Stream.runForEach((page) => Effect.sync(() => events.push(`consume ${page.items[0]!.id.slice(1)}`)))
      )
    ).pipe(
      Effect.provide(layer),
      Effect.map(() => {
        assert.strictEqual(events.length, 2 * total)
        assertNextBeforeConsumed(events, "request", "consume", total)
      })
    )
  })
})

describe("interruption", () => {
  it.effect("interrupting the stream cancels the request in flight", () =>
    Effect.gen(function*() {
      const started = yield* Deferred.make<void>()
      const cancelled = yield* Deferred.make<void>()
      const { layer } = stub(() =>
        Deferred.succeed(started, undefined).pipe(
          Effect.zipRight(Effect.never),
          Effect.onInterrupt(() => Deferred.succeed(cancelled, undefined))
        )
      )
      const fiber = yield* withClient((client) => Stream.runDrain(client.chats.messages.stream("chat_1"))).pipe(
        Effect.provide(layer),
        Effect.fork
      )
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      assert.isTrue(yield* Deferred.isDone(cancelled))
    }))
})

describe("watch", () => {
  it.effect("emits messages as they arrive, oldest first, none lost or twice, across shared timestamps", () =>
    onSimulator(
      { chats: 1, messagesPerChat: 30, arrivals: { every: "10 seconds" } },
      (client, simulator) =>
        Effect.gen(function*() {
          const chatId = simulator.dataset.chatId(0)
          const seen: Array<Message.Message> = []
          const fiber = yield* client.chats.messages.watch(chatId, { interval: "4 seconds" }).pipe(
            Stream.runForEach((m) => Effect.sync(() => seen.push(m))),
            Effect.fork
          )
          // 100 s: messages 30 … 39 arrive one every 10 s; 33 and 34 share a timestamp
          for (let second = 0; second < 100; second++) yield* TestClock.adjust("1 second")
          yield* Fiber.interrupt(fiber)
          assert.strictEqual(simulator.dataset.message(0, 34).timestamp, simulator.dataset.message(0, 33).timestamp)
          assert.deepStrictEqual(
            seen.map((m) => m.id),
            Array.from({ length: 10 }, (_, i) => simulator.dataset.messageId(0, 30 + i))
          )
        })
    ))

  it.effect("since: first the messages after it, then the new ones", () =>
    onSimulator(
      { chats: 1, messagesPerChat: 20, arrivals: { every: "10 seconds" } },
      (client, simulator) =>
        Effect.gen(function*() {
          const chatId = simulator.dataset.chatId(0)
          const since = simulator.dataset.message(0, 15).timestamp
          const seen: Array<string> = []
          const fiber = yield* client.chats.messages.watch(chatId, { interval: "5 seconds", since, limit: 2 }).pipe(
            Stream.runForEach((m) => Effect.sync(() => seen.push(m.id))),
            Effect.fork
          )
          for (let second = 0; second < 30; second++) yield* TestClock.adjust("1 second")
          yield* Fiber.interrupt(fiber)
          assert.deepStrictEqual(seen, Array.from({ length: 7 }, (_, i) => simulator.dataset.messageId(0, 16 + i)))
        })
    ))

  it.effect("a message arriving later at the instant of one already seen is emitted once, and nothing twice", () => {
    const server = messageServer([["old", 1_000], ["seen", 2_000]])
    return Effect.gen(function*() {
      const seen: Array<string> = []
      const fiber = yield* Stream.runForEach(
        watching(server.layer, { interval: "1 second" }),
        (m) => Effect.sync(() => seen.push(m.id))
      ).pipe(Effect.fork)
      yield* TestClock.adjust("1 second")
      server.add(["late", 2_000]) // the instant of the newest message of the history
      yield* TestClock.adjust("1 second")
      server.add(["a", 3_000], ["b", 3_000])
      yield* TestClock.adjust("1 second")
      server.add(["c", 3_000])
      for (let second = 0; second < 3; second++) yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(seen, ["late", "a", "b", "c"])
    })
  })

  it.effect("an empty chat: the first messages to arrive are emitted", () => {
    const server = messageServer([])
    return Effect.gen(function*() {
      const seen: Array<string> = []
      const fiber = yield* Stream.runForEach(
        watching(server.layer, { interval: "1 second" }),
        (m) => Effect.sync(() => seen.push(m.id))
      ).pipe(Effect.fork)
      yield* TestClock.adjust("1 second")
      server.add(["first", 1_000], ["second", 2_000])
      yield* TestClock.adjust("1 second")
      server.add(["third", 3_000])
      yield* TestClock.adjust("1 second")
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(seen, ["first", "second", "third"])
      // no after before the first message: the chat is read from its start
      assert.isNull(server.received[1]!.url.searchParams.get("after"))
    })
  })

  it.effect("without since: the history is read at once, the next poll after one interval", () => {
    const server = messageServer([["old", 1_000]])
    return Effect.gen(function*() {
      const fiber = yield* Stream.runDrain(watching(server.layer, { interval: "5 seconds" })).pipe(Effect.fork)
      yield* TestClock.adjust("4999 millis")
      // the newest message, then everything at and after its instant
      assert.strictEqual(server.received.length, 2)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(server.received.length, 3)
      yield* Fiber.interrupt(fiber)
    })
  })

  it.effect("since: the messages after it come at once, the next poll after one interval, and a quiet chat is no error", () => {
    const server = messageServer([["old", 1_000], ["new", 3_000]])
    return Effect.gen(function*() {
      const seen: Array<string> = []
      const fiber = yield* Stream.runForEach(
        watching(server.layer, { interval: "5 seconds", since: new Date(2_000) }),
        (m) => Effect.sync(() => seen.push(m.id))
      ).pipe(Effect.fork)
      yield* TestClock.adjust("0 millis")
      assert.deepStrictEqual(seen, ["new"])
      assert.strictEqual(server.received.length, 1)
      yield* TestClock.adjust("4999 millis")
      assert.strictEqual(server.received.length, 1)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(server.received.length, 2)
      yield* Fiber.interrupt(fiber)

      // since after every message: the polls find nothing, and the watch goes on
      const quiet = messageServer([["old", 1_000]])
      const exit = yield* Stream.runDrain(
        watching(quiet.layer, { interval: "1 second", since: new Date(2_000) })
      ).pipe(Effect.fork)
      for (let second = 0; second < 3; second++) yield* TestClock.adjust("1 second")
      assert.isNull(exit.unsafePoll())
      assert.strictEqual(quiet.received.length, 4)
      yield* Fiber.interrupt(exit)
    })
  })

  it.effect("polls stop when the stream is interrupted", () =>
    onSimulator({ chats: 1, messagesPerChat: 5 }, (client, simulator) =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(
          Stream.runDrain(client.chats.messages.watch(simulator.dataset.chatId(0), { interval: "1 second" }))
        )
        for (let second = 0; second < 5; second++) yield* TestClock.adjust("1 second")
        yield* Fiber.interrupt(fiber)
        const sent = yield* requestCount(simulator)
        for (let second = 0; second < 5; second++) yield* TestClock.adjust("1 second")
        assert.strictEqual(yield* requestCount(simulator), sent)
      })))
})
