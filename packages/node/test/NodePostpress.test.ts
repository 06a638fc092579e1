import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Undici from "@effect/platform-node/Undici"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { assert, describe, it } from "@effect/vitest"
import { Chat, ChatAttendee, Message, PostpressClient } from "@postpress/core"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as DiagnosticsChannel from "node:diagnostics_channel"
import * as Http from "node:http"
import type * as Net from "node:net"
import { fixture } from "../../../conformance/fixtures/index.js"
import { assertNextBeforeConsumed, raw } from "../../core/test/utils.js"
import { NodePostpress } from "../src/index.js"
import * as Transport from "../src/internal/transport.js"

const API_KEY = "pp_test_loopback_key"

interface Seen {
  readonly url: string
  readonly params: Readonly<Record<string, string | undefined>>
  readonly apiKey: string | undefined
}

/** A router answering the reference examples and recording what it received. */
const referenceRouter = (seen: Array<Seen>) => {
  const answer = (body: unknown) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const params = yield* HttpRouter.params
      seen.push({ url: request.url, params, apiKey: request.headers["x-api-key"] })
      if (params["chat_id"] === "missing") {
        return yield* HttpServerResponse.json(
          { title: "Not found", type: "errors/resource_not_found", status: 404 },
          { status: 404, headers: { "x-request-id": "req_404" } }
        )
      }
      return yield* HttpServerResponse.json(body)
    })
  return HttpRouter.empty.pipe(
    HttpRouter.get("/api/v1/chats/:chat_id", answer(fixture("chat-with-last-message"))),
    HttpRouter.get("/api/v1/chats/:chat_id/attendees", answer(fixture("chat-attendee-list"))),
    HttpRouter.get("/api/v1/chats/:chat_id/messages", answer(fixture("message-list"))),
    HttpRouter.get("/api/v1/chat_attendees/:attendee_id/chats", answer(fixture("chat-list"))),
    HttpRouter.get("/api/v1/messages/:message_id", answer(fixture("message")))
  )
}

const baseUrlOf = Effect.map(HttpServer.HttpServer, (server) => {
  const address = server.address as HttpServer.TcpAddress
  return `http://127.0.0.1:${address.port}/api/v1`
})

/** The client, built into the test's scope. */
const clientAt = (baseUrl: string) =>
  Layer.build(NodePostpress.layer({ apiKey: Redacted.make(API_KEY), baseUrl, ...raw })).pipe(
    Effect.map(Context.get(PostpressClient.PostpressClient))
  )

describe("NodePostpress over a loopback server", () => {
  it.scoped("every endpoint, through undici, against a real HTTP server", () => {
    const seen: Array<Seen> = []
    return Effect.gen(function*() {
      yield* HttpServer.serveEffect(referenceRouter(seen))
      const baseUrl = yield* baseUrlOf
      const client = yield* clientAt(baseUrl)

      const chat = yield* client.chats.retrieve("chat 1/../x?y#z", { account_id: "acc_1" })
      assert.isTrue(Schema.is(Chat.ChatWithLastMessage)(chat))
      assert.isTrue(Schema.is(ChatAttendee.ChatAttendeeList)(yield* client.chats.attendees.list("chat_1")))
      const page = yield* client.chats.messages.list("chat_1", { limit: 10, after: new Date(0) })
      assert.isTrue(Schema.is(Message.Message)(page.items[0]))
      assert.isTrue(Schema.is(Chat.ChatList)(yield* client.chatAttendees.chats.list(["att_1", "att_2"])))
      assert.isTrue(Schema.is(Message.Message)(yield* client.messages.retrieve("msg_1")))

      assert.strictEqual(seen.length, 5)
      assert.deepStrictEqual(seen.map((s) => s.apiKey), Array(5).fill(API_KEY))
      assert.strictEqual(seen[0]!.params["chat_id"], "chat 1/../x?y#z")
      assert.strictEqual(seen[0]!.url, "/api/v1/chats/chat%201%2F..%2Fx%3Fy%23z?account_id=acc_1")
      assert.strictEqual(seen[2]!.url, "/api/v1/chats/chat_1/messages?after=1970-01-01T00%3A00%3A00.000Z&limit=10")
      assert.strictEqual(seen[3]!.params["attendee_id"], "att_1,att_2")

      const notFound = yield* Effect.flip(client.chats.retrieve("missing"))
      assert.strictEqual(notFound._tag, "NotFound")
      assert.strictEqual(notFound._tag === "NotFound" && notFound.requestId, "req_404")
    }).pipe(Effect.provide(NodeHttpServer.layerTest))
  })

  it.scoped("layerConfig reads the key and base URL from the environment", () => {
    const seen: Array<Seen> = []
    return Effect.gen(function*() {
      yield* HttpServer.serveEffect(referenceRouter(seen))
      const baseUrl = yield* baseUrlOf
      const message = yield* PostpressClient.PostpressClient.pipe(
        Effect.flatMap((client) => client.messages.retrieve("msg_1")),
        Effect.provide(NodePostpress.layerConfig()),
        Effect.withConfigProvider(
          ConfigProvider.fromMap(new Map([["POSTPRESS_API_KEY", "env_key"], ["POSTPRESS_BASE_URL", baseUrl]]))
        )
      )
      assert.strictEqual(message.id, "msg_01HXYZ4QK3WJ8FN3M6QH7TZ8GR")
      assert.strictEqual(seen[0]!.apiKey, "env_key")
    }).pipe(Effect.provide(NodeHttpServer.layerTest))
  })

  it.effect("layerConfig without POSTPRESS_API_KEY fails with a ConfigError saying how to set it", () =>
    Effect.gen(function*() {
      const error = yield* PostpressClient.PostpressClient.pipe(
        Effect.provide(NodePostpress.layerConfig()),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map())),
        Effect.flip
      )
      assert.strictEqual(error._tag, "ConfigError")
      assert.include(
        Cause.pretty(Cause.fail(error)),
        "POSTPRESS_API_KEY is not set: export POSTPRESS_API_KEY=<your key>, or provide PostpressConfig.layer({ apiKey })"
      )
    }))
})

/** A raw server whose handler misbehaves at the socket level. */
const rawServer = (handler: Http.RequestListener) =>
  Effect.acquireRelease(
    Effect.async<Http.Server>((resume) => {
      const server = Http.createServer(handler)
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
    }),
    (server) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map((server) => `http://127.0.0.1:${(server.address() as Net.AddressInfo).port}/api/v1`))

describe("NodePostpress on socket faults", () => {
  it.scoped("a connection reset before any response is TransportError", () =>
    Effect.gen(function*() {
      const client = yield* clientAt(yield* rawServer((request) => request.socket.destroy()))
      const error = yield* Effect.flip(client.messages.retrieve("msg_1"))
      assert.strictEqual(error._tag, "TransportError")
      assert.include(error.message, "other side closed")
    }))

  it.scoped("a body cut short by the server is TransportError", () =>
    Effect.gen(function*() {
      const client = yield* clientAt(
        yield* rawServer((_request, response) => {
          response.writeHead(200, { "content-type": "application/json", "content-length": "5000" })
          response.write("{\"object\":\"MessageList\",\"items\":[")
          setTimeout(() => response.socket?.destroy(), 10)
        })
      )
      const error = yield* Effect.flip(client.chats.messages.list("chat_1"))
      assert.strictEqual(error._tag, "TransportError")
    }))

  it.scoped("nothing listening is TransportError", () =>
    Effect.gen(function*() {
      const client = yield* clientAt("http://127.0.0.1:1/api/v1")
      const error = yield* Effect.flip(client.messages.retrieve("msg_1"))
      assert.strictEqual(error._tag, "TransportError")
    }))
})

describe("NodePostpress transport", () => {
  it.scoped("sends the trace context of the SDK's span (traceparent), whose parent is the caller's span", () =>
    Effect.gen(function*() {
      const headers: Array<Http.IncomingHttpHeaders> = []
      const client = yield* clientAt(
        yield* rawServer((request, response) => {
          headers.push(request.headers)
          response.writeHead(200, { "content-type": "application/json" })
          response.end(JSON.stringify(fixture("message")))
        })
      )
      const caller = yield* Effect.makeSpanScoped("caller")
      yield* Effect.withParentSpan(client.messages.retrieve("msg_1"), caller)
      const traceparent = headers[0]?.["traceparent"]
      assert.isString(traceparent)
      const [, traceId, spanId] = String(traceparent).split("-")
      assert.strictEqual(traceId, caller.traceId)
      assert.notStrictEqual(spanId, caller.spanId, "the SDK's own span, a child of the caller's")
    }))

  it.scoped("interrupting a call aborts its request: the server sees the connection close", () =>
    Effect.gen(function*() {
      let closed = false
      const client = yield* clientAt(
        yield* rawServer((request) => {
          request.socket.on("close", () => (closed = true))
        })
      )
      const fiber = yield* Effect.fork(client.messages.retrieve("msg_1"))
      yield* Effect.sleep("100 millis").pipe(Effect.withClock(Clock.make()))
      yield* Fiber.interrupt(fiber)
      for (let i = 0; i < 100 && !closed; i++) yield* Effect.promise(() => new Promise((r) => setTimeout(r, 10)))
      assert.isTrue(closed)
    }))

  it.scoped("its responses are whole HttpClientResponses, and a request it cannot send fails before the network", () =>
    Effect.gen(function*() {
      let requests = 0
      const base = yield* rawServer((request, response) => {
        requests++
        const form = request.url!.includes("form")
        const body = form ? "a=1&b=two" : request.url!.includes("empty") ? "" : "{\"n\":1}"
        response.writeHead(200, {
          "content-type": form ? "application/x-www-form-urlencoded" : "application/json",
          "set-cookie": ["k=v; Path=/"],
          "x-one": "1"
        })
        response.end(body)
      })
      const agent = yield* Effect.acquireRelease(
        Effect.sync(() => new Undici.Agent()),
        (a) => Effect.promise(() => a.close())
      )
      const client = Transport.make(agent)
      const get = (path: string) => client.execute(HttpClientRequest.get(`${base}${path}`))

      const response = yield* get("/json?x=1")
      assert.strictEqual(response.status, 200)
      assert.strictEqual(response.headers["x-one"], "1")
      assert.deepStrictEqual(Object.keys(response.cookies.cookies), ["k"])
      assert.isTrue(Option.isNone(response.remoteAddress))
      assert.deepStrictEqual(yield* response.json, { n: 1 })
      assert.strictEqual(yield* response.text, "{\"n\":1}", "the body is read once and kept")
      assert.deepStrictEqual(response.toJSON() as object, {
        ...(response.toJSON() as object),
        _id: "@effect/platform/HttpClientResponse",
        status: 200
      })
      // undici's request API reads no form data: a decode failure, not a defect
      const formData = yield* Effect.flip((yield* get("/form")).formData)
      assert.strictEqual(formData.reason, "Decode")
      assert.strictEqual(yield* (yield* get("/empty")).json, null, "an empty body is null")
      assert.deepStrictEqual(yield* (yield* get("/form")).urlParamsBody, [["a", "1"], ["b", "two"]])
      const bytes = yield* Stream.runCollect((yield* get("/json")).stream)
      assert.strictEqual(
        new TextDecoder().decode(Chunk.reduce(bytes, new Uint8Array(), (a, b) => new Uint8Array([...a, ...b]))),
        "{\"n\":1}"
      )
      const noCookies = yield* rawServer((_, response) => response.end("x"))
      assert.deepStrictEqual(
        Object.keys((yield* client.execute(HttpClientRequest.get(noCookies))).cookies.cookies),
        []
      )
      const notJson = yield* rawServer((_, response) => response.end("{"))
      const failed = yield* Effect.flip((yield* client.execute(HttpClientRequest.get(notJson))).json)
      assert.strictEqual(failed._tag, "ResponseError")
      assert.strictEqual(failed.reason, "Decode")

      const sent = requests
      const withBody = yield* Effect.flip(
        client.execute(HttpClientRequest.post(`${base}/x`).pipe(HttpClientRequest.bodyText("b")))
      )
      assert.strictEqual(withBody._tag, "RequestError")
      assert.strictEqual((withBody as { reason: string }).reason, "Encode")
      assert.strictEqual(withBody.description, "this transport sends no bodies")
      const badUrl = yield* Effect.flip(client.execute(HttpClientRequest.get("not a url")))
      assert.strictEqual((badUrl as { reason: string }).reason, "InvalidUrl")
      assert.strictEqual(requests, sent, "nothing sent")
      // a dispatcher that throws instead of rejecting
      const throwing = Transport.make({
        request: () => {
          throw new Error("refused")
        }
      } as unknown as Undici.Dispatcher)
      const thrown = yield* Effect.flip(throwing.execute(HttpClientRequest.get(base)))
      assert.strictEqual((thrown as { reason: string }).reason, "Transport")
      const reset = yield* Effect.flip(
        client.execute(HttpClientRequest.get(yield* rawServer((request) => request.socket.destroy())))
      )
      assert.strictEqual((reset as { reason: string }).reason, "Transport")
    }))

  it.scoped("with prefetch, the next page's request is written before the consumer gets the page it follows", () =>
    Effect.gen(function*() {
      const total = 8
      const events: Array<string> = []
      const pageOf = (path: string) => Number(new URL(path, "http://x").searchParams.get("cursor") ?? "0")
      const written = (message: unknown) =>
        events.push(`write ${pageOf((message as { request: { path: string } }).request.path)}`)
      yield* Effect.acquireRelease(
        Effect.sync(() => DiagnosticsChannel.subscribe("undici:client:sendHeaders", written)),
        () => Effect.sync(() => DiagnosticsChannel.unsubscribe("undici:client:sendHeaders", written))
      )
      const client = yield* clientAt(
        yield* rawServer((request, response) => {
          const n = pageOf(request.url!)
          const items = Array.from({ length: 50 }, (_, i) => ({ ...fixture("message"), id: `msg_${n}_${i}` }))
          response.writeHead(200, { "content-type": "application/json" })
          response.end(JSON.stringify({ object: "MessageList", items, cursor: n + 1 < total ? String(n + 1) : null }))
        })
      )
      yield* client.chats.messages.pages("chat_1", { prefetch: 1 }).pipe(
        Stream.runForEach((page) => Effect.sync(() => events.push(`consume ${page.items[0]!.id.split("_")[1]}`)))
      )
      assert.strictEqual(events.length, 2 * total, events.join(", "))
      assertNextBeforeConsumed(events, "write", "consume", total)
    }))
})
