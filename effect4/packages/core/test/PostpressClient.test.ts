import { assert, describe, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as HttpClient from "effect/http/HttpClient"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Tracer from "effect/Tracer"
import fc from "fast-check"
import * as Http from "node:http"
import type * as Net from "node:net"
import { fixture } from "../../../../conformance/fixtures/index.js"
import type { PostpressError } from "../src/index.js"
import { Chat, ChatAttendee, Message, PostpressClient } from "../src/index.js"
import { API_KEY, BASE_URL, json, stub, withClient } from "./utils.js"

const fixtureFor = (url: URL): unknown => {
  const path = url.pathname
  if (path.endsWith("/attendees")) return fixture("chat-attendee-list")
  if (path.endsWith("/messages")) return fixture("message-list")
  if (path.endsWith("/chats")) return fixture("chat-list")
  if (path.includes("/messages/")) return fixture("message")
  return fixture("chat-with-last-message")
}

const api = () => stub(({ url }) => json(200, fixtureFor(url)))

describe("requests", () => {
  it.effect("retrieve a chat: GET /chats/{chat_id} with account_id, the key and accept headers", () => {
    const { layer, received } = api()
    return Effect.gen(function*() {
      const chat = yield* withClient((client) => client.chats.retrieve("chat_1", { account_id: "acc_1" }))
      assert.isTrue(Schema.is(Chat.ChatWithLastMessage)(chat))
      assert.isTrue(Schema.is(Message.Message)(chat.lastMessage))
      assert.strictEqual(received.length, 1)
      const { request, url } = received[0]!
      assert.strictEqual(request.method, "GET")
      assert.strictEqual(url.href, `${BASE_URL}/chats/chat_1?account_id=acc_1`)
      assert.strictEqual(request.headers["x-api-key"], API_KEY)
      assert.strictEqual(request.headers["accept"], "application/json")
    }).pipe(Effect.provide(layer))
  })

  it.effect("list a chat's attendees: GET /chats/{chat_id}/attendees, no query", () => {
    const { layer, received } = api()
    return Effect.gen(function*() {
      const list = yield* withClient((client) => client.chats.attendees.list("chat_1"))
      assert.isTrue(Schema.is(ChatAttendee.ChatAttendeeList)(list))
      assert.strictEqual(list.cursor, null)
      assert.strictEqual(received[0]!.url.href, `${BASE_URL}/chats/chat_1/attendees`)
    }).pipe(Effect.provide(layer))
  })

  it.effect("list messages: every filter in wire form, instants as UTC with milliseconds", () => {
    const { layer, received } = api()
    return Effect.gen(function*() {
      const page = yield* withClient((client) =>
        client.chats.messages.list("chat_1", {
          cursor: "eyJza2lwIjoxMDB9",
          before: new Date("2026-05-17T11:42:11+02:00"),
          after: DateTime.makeUnsafe("2026-05-01T00:00:00Z"),
          limit: 250,
          sender_id: "att_2"
        })
      )
      assert.isTrue(Schema.is(Message.MessageList)(page))
      assert.strictEqual(page.cursor, "eyJza2lwIjoxMDB9")
      const { url } = received[0]!
      assert.strictEqual(url.pathname, "/api/v1/chats/chat_1/messages")
      assert.strictEqual(
        url.search,
        "?cursor=eyJza2lwIjoxMDB9&before=2026-05-17T09%3A42%3A11.000Z&after=2026-05-01T00%3A00%3A00.000Z" +
          "&limit=250&sender_id=att_2"
      )
    }).pipe(Effect.provide(layer))
  })

  it.effect("an ISO string instant is normalised to UTC milliseconds", () => {
    const { layer, received } = api()
    return Effect.gen(function*() {
      yield* withClient((client) => client.chats.messages.list("chat_1", { after: "2026-05-17T09:42:11+01:00" }))
      assert.strictEqual(received[0]!.url.searchParams.get("after"), "2026-05-17T08:42:11.000Z")
    }).pipe(Effect.provide(layer))
  })

  it.effect("list an attendee's chats: ids and account ids comma-separated", () => {
    const { layer, received } = api()
    return Effect.gen(function*() {
      const page = yield* withClient((client) =>
        client.chatAttendees.chats.list(["att_1", "ACoAACr-1eYBl"], { limit: 100, account_id: ["acc_1", "acc_2"] })
      )
      assert.isTrue(Schema.is(Chat.ChatList)(page))
      assert.isTrue(Schema.is(Chat.Chat)(page.items[0]))
      yield* withClient((client) => client.chatAttendees.chats.list("att_3", { account_id: "acc_3" }))
      assert.strictEqual(
        received[0]!.url.href,
        `${BASE_URL}/chat_attendees/att_1,ACoAACr-1eYBl/chats?limit=100&account_id=acc_1%2Cacc_2`
      )
      assert.strictEqual(received[1]!.url.href, `${BASE_URL}/chat_attendees/att_3/chats?account_id=acc_3`)
    }).pipe(Effect.provide(layer))
  })

  it.effect("retrieve a message: GET /messages/{message_id}", () => {
    const { layer, received } = api()
    return Effect.gen(function*() {
      const message = yield* withClient((client) => client.messages.retrieve("msg_1"))
      assert.isTrue(Schema.is(Message.Message)(message))
      assert.strictEqual(received[0]!.url.href, `${BASE_URL}/messages/msg_1`)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a provider id with reserved characters stays one segment", () => {
    const { layer, received } = api()
    return Effect.gen(function*() {
      yield* withClient((client) =>
        client.chats.retrieve("urn:li:msg_conversation:(urn:li:fsd_profile:A,2-x/y?z#w%)", { account_id: "acc_1" })
      )
      assert.strictEqual(
        received[0]!.url.pathname,
        "/api/v1/chats/urn%3Ali%3Amsg_conversation%3A(urn%3Ali%3Afsd_profile%3AA,2-x%2Fy%3Fz%23w%25)"
      )
      assert.strictEqual(received[0]!.url.search, "?account_id=acc_1")
    }).pipe(Effect.provide(layer))
  })

  const idArbitrary = fc.oneof(
    fc.string({ minLength: 1 }),
    fc.string({ unit: "binary", minLength: 1 }),
    fc.stringMatching(/^[./?#% a-z]{1,12}$/)
  ).filter((id) => id !== "." && id !== "..")

  it("property: any id is exactly one path segment and round-trips", () =>
    fc.assert(
      fc.asyncProperty(idArbitrary, (id) => {
        const { layer, received } = api()
        return Effect.gen(function*() {
          yield* withClient((client) => client.chats.messages.list(id, { sender_id: id }))
          const { url } = received[0]!
          const segments = url.pathname.split("/")
          assert.deepStrictEqual(segments.length, 6)
          assert.deepStrictEqual([segments[1], segments[2], segments[3], segments[5]], [
            "api",
            "v1",
            "chats",
            "messages"
          ])
          assert.strictEqual(decodeURIComponent(segments[4]!), id)
          assert.strictEqual(url.hash, "")
          assert.deepStrictEqual([...url.searchParams.keys()], ["sender_id"])
          assert.strictEqual(url.searchParams.get("sender_id"), id)
        }).pipe(Effect.provide(layer), Effect.runPromise)
      }),
      { numRuns: 300 }
    ))
})

describe("invalid inputs fail with InvalidRequest naming the field, and send nothing", () => {
  const cases: ReadonlyArray<
    readonly [string, string, (client: any) => Effect.Effect<unknown, PostpressError.PostpressError>]
  > = [
    ["empty chat id", "chat_id", (c) => c.chats.retrieve("")],
    ["'..' as a chat id", "chat_id", (c) => c.chats.attendees.list("..")],
    ["empty message id", "message_id", (c) => c.messages.retrieve("")],
    ["limit 0", "limit", (c) => c.chats.messages.list("chat_1", { limit: 0 })],
    ["limit 251", "limit", (c) => c.chats.messages.list("chat_1", { limit: 251 })],
    ["fractional limit", "limit", (c) => c.chatAttendees.chats.list("att_1", { limit: 2.5 })],
    ["NaN limit", "limit", (c) => c.chatAttendees.chats.list("att_1", { limit: Number.NaN })],
    ["empty cursor", "cursor", (c) => c.chats.messages.list("chat_1", { cursor: "" })],
    ["unparsable before", "before", (c) => c.chats.messages.list("chat_1", { before: "yesterday-ish" })],
    ["invalid Date after", "after", (c) => c.chatAttendees.chats.list("att_1", { after: new Date("nope") })],
    ["empty sender id", "sender_id", (c) => c.chats.messages.list("chat_1", { sender_id: "" })],
    ["no attendee ids", "attendee_id", (c) => c.chatAttendees.chats.list([])],
    ["an empty attendee id in a list", "attendee_id", (c) => c.chatAttendees.chats.list("att_1,")],
    ["an empty account id", "account_id", (c) => c.chatAttendees.chats.list("att_1", { account_id: ["acc_1", ""] })],
    ["empty account id on retrieve", "account_id", (c) => c.chats.retrieve("chat_1", { account_id: "" })]
  ]
  for (const [name, field, call] of cases) {
    it.effect(name, () => {
      const { layer, received } = api()
      return Effect.gen(function*() {
        const error = yield* Effect.flip(withClient(call))
        assert.strictEqual(error._tag, "InvalidRequest")
        assert.strictEqual((error as PostpressError.InvalidRequest).field, field)
        assert.include(error.message, field)
        assert.isTrue((error as PostpressError.InvalidRequest).message.startsWith(`${field}: `), error.message)
        assert.strictEqual(received.length, 0)
      }).pipe(Effect.provide(layer))
    })
  }
})

describe("spans", () => {
  it.effect("each call is one client span named after the endpoint, with its ids; it goes out in traceparent", () => {
    const ended: Array<Tracer.Span> = []
    const { layer, received } = api()
    return Effect.gen(function*() {
      yield* withClient((client) => client.chats.messages.list("chat_9", { sender_id: "att_7", limit: 5 }))
      yield* withClient((client) => client.chatAttendees.chats.list(["att_1", "att_2"]))
      yield* Effect.flip(withClient((client) => client.messages.retrieve("")))
      const byName = (name: string) => ended.filter((span) => span.name === name)

      const [list] = byName("postpress.chats.messages.list")
      assert.strictEqual(list?.kind, "client")
      assert.strictEqual(list?.attributes.get("postpress.chat_id"), "chat_9")
      assert.strictEqual(list?.attributes.get("postpress.sender_id"), "att_7")
      assert.strictEqual(list?.attributes.get("postpress.limit"), "5")
      const [chats] = byName("postpress.chatAttendees.chats.list")
      assert.strictEqual(chats?.attributes.get("postpress.attendee_id"), "att_1,att_2")
      // a span keeps its exit: a request's span ends with its outcome, never with the page it returned
      assert.deepStrictEqual(list?.status._tag === "Ended" && list.status.exit, Exit.void)
      const [invalid] = byName("postpress.messages.retrieve")
      assert.strictEqual(invalid?.status._tag === "Ended" && invalid.status.exit._tag, "Failure")

      // the HttpClient makes no span of its own (a platform client's `GET` span records the request)
      assert.deepStrictEqual(ended.filter((span) => !span.name.startsWith("postpress.")).map((span) => span.name), [])
      // the call's span is the one whose context the server gets
      assert.strictEqual(received[0]!.request.headers["traceparent"], `00-${list?.traceId}-${list?.spanId}-01`)
      for (const span of ended) {
        for (const value of span.attributes.values()) assert.notInclude(String(value), API_KEY)
      }
    }).pipe(Effect.provide(layer), Effect.withTracer(recordingTracer(ended)))
  })

  it.effect("no trace context goes out when the program turns propagation off, or the tracer off", () => {
    const { layer, received } = api()
    const retrieve = withClient((client) => client.messages.retrieve("msg_1"))
    const traceHeaders = (n: number) =>
      Object.keys(received[n]!.request.headers).filter((name) =>
        name === "traceparent" || name === "b3" || name.startsWith("x-b3-")
      )
    return Effect.gen(function*() {
      yield* retrieve
      yield* Effect.provideService(retrieve, HttpClient.TracerPropagationEnabled, false)
      yield* Effect.withTracerEnabled(retrieve, false)
      yield* Effect.provideService(retrieve, Tracer.DisablePropagation, true)
      assert.strictEqual(received.length, 4)
      assert.include(traceHeaders(0), "traceparent")
      assert.deepStrictEqual(traceHeaders(1), [])
      assert.deepStrictEqual(traceHeaders(2), [])
      assert.deepStrictEqual(traceHeaders(3), [])
    }).pipe(Effect.provide(layer), Effect.withTracer(recordingTracer([])))
  })
})

/** A tracer that keeps every span it ends. */
const recordingTracer = (ended: Array<Tracer.Span>): Tracer.Tracer => {
  const native = Effect.runSync(Effect.tracer)
  return Tracer.make({
    span: (options) => {
      const span = native.span(options)
      const end = span.end.bind(span)
      span.end = (endTime, exit) => {
        end(endTime, exit)
        ended.push(span)
      }
      return span
    }
  })
}

describe("decoding", () => {
  it.effect("an undocumented field is ignored, an undocumented enum value kept", () => {
    const list = fixture("message-list")
    const { layer } = stub(() =>
      json(200, { ...list, items: [{ ...list.items[0], brand_new_field: 1, message_type: "VOICE_CALL" }] })
    )
    return Effect.gen(function*() {
      const page = yield* withClient((client) => client.chats.messages.list("chat_1"))
      assert.strictEqual(page.items[0]!.message_type, "VOICE_CALL")
      assert.isFalse("brand_new_field" in page.items[0]!)
    }).pipe(Effect.provide(layer))
  })
})

/**
 * A loopback API on node:http: `GET /api/v1/chats/chat_1` answers the
 * reference example, anything else the 404 envelope; it records the key of
 * every request. Its base URL, closed with the scope.
 */
const loopbackApi = (keys: Array<string | undefined>) =>
  Effect.acquireRelease(
    Effect.callback<Http.Server>((resume) => {
      const server = Http.createServer((request, response) => {
        keys.push(request.headers["x-api-key"] as string | undefined)
        response.setHeader("content-type", "application/json")
        if (request.url === "/api/v1/chats/chat_1") {
          response.end(JSON.stringify(fixture("chat-with-last-message")))
        } else {
          response.statusCode = 404
          response.end(JSON.stringify({ title: "Not found", type: "errors/resource_not_found", status: 404 }))
        }
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.callback<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map((server) => `http://127.0.0.1:${(server.address() as Net.AddressInfo).port}/api/v1`))

const retrieveAndMiss = Effect.gen(function*() {
  const client = yield* PostpressClient.PostpressClient
  const chat = yield* client.chats.retrieve("chat_1")
  const missing = yield* Effect.flip(client.messages.retrieve("msg_missing"))
  return { chat, missing }
})

describe("layerFetch: the platform's fetch", () => {
  it.live("retrieves from a loopback server with the key sent; a missing message fails with NotFound", () => {
    const keys: Array<string | undefined> = []
    return Effect.gen(function*() {
      const baseUrl = yield* loopbackApi(keys)
      const { chat, missing } = yield* retrieveAndMiss.pipe(
        Effect.provide(PostpressClient.layerFetch({ apiKey: Redacted.make(API_KEY), baseUrl }))
      )
      assert.isTrue(Schema.is(Chat.ChatWithLastMessage)(chat))
      assert.strictEqual(chat.id, "chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
      assert.strictEqual(missing._tag, "NotFound")
      assert.strictEqual(missing._tag === "NotFound" && missing.status, 404)
      assert.deepStrictEqual(keys, [API_KEY, API_KEY])
    })
  })

  it.live("layerFetchConfig reads the key and the base URL through Config", () => {
    const keys: Array<string | undefined> = []
    return Effect.gen(function*() {
      const baseUrl = yield* loopbackApi(keys)
      const { chat, missing } = yield* retrieveAndMiss.pipe(
        Effect.provide(PostpressClient.layerFetchConfig()),
        Effect.provideService(
          ConfigProvider.ConfigProvider,
          ConfigProvider.fromEnv({ env: { POSTPRESS_API_KEY: "env_key", POSTPRESS_BASE_URL: baseUrl } })
        )
      )
      assert.strictEqual(chat.id, "chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
      assert.strictEqual(missing._tag, "NotFound")
      assert.deepStrictEqual(keys, ["env_key", "env_key"])
    })
  })

  it.live("each layerFetch call is a client of its own, even under nested Effect.provides", () => {
    const keys: Array<string | undefined> = []
    return Effect.gen(function*() {
      const baseUrl = yield* loopbackApi(keys)
      const retrieve = PostpressClient.PostpressClient.pipe(Effect.flatMap((client) => client.chats.retrieve("chat_1")))
      yield* retrieve.pipe(
        Effect.provide(PostpressClient.layerFetch({ apiKey: Redacted.make("key_inner"), baseUrl })),
        Effect.andThen(retrieve),
        Effect.provide(PostpressClient.layerFetch({ apiKey: Redacted.make("key_outer"), baseUrl }))
      )
      assert.deepStrictEqual(keys, ["key_inner", "key_outer"])
    })
  })
})
