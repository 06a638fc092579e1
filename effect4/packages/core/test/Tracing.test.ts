/**
 * What a call's `postpress.*` span says: the method, the path template, the
 * parameters as sent, the last response's status, how many HTTP attempts the
 * retry policy made, and on a failure its tag and request id — all set
 * before the span ends (an OpenTelemetry span drops attributes set after),
 * and never the API key.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/testing/TestClock"
import * as Tracer from "effect/Tracer"
import { fixture } from "../../../../conformance/fixtures/index.js"
import type { PostpressConfig } from "../src/index.js"
import { PostpressRetry } from "../src/index.js"
import { type Answer, API_KEY, connectionReset, json, type Received, stub, withClient } from "./utils.js"

/** A span as it ended: its attributes then (later ones are lost, as OpenTelemetry loses them) and its exit. */
interface EndedSpan {
  readonly name: string
  readonly kind: Tracer.SpanKind
  readonly attributes: Record<string, unknown>
  readonly exit: Exit.Exit<unknown, unknown>
}

/** A tracer recording each span as it ends. */
const recorder = () => {
  const ended: Array<EndedSpan> = []
  const tracer = Tracer.make({
    span(options) {
      const span = new Tracer.NativeSpan(options)
      const end = span.end.bind(span)
      span.end = (endTime, exit) => {
        end(endTime, exit)
        ended.push({ name: span.name, kind: span.kind, attributes: Object.fromEntries(span.attributes), exit })
      }
      return span
    }
  })
  return { ended, tracer }
}

/** Runs `effect` under a recording tracer, and returns its exit and the one `postpress.*` span it made. */
const traced = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const { ended, tracer } = recorder()
    const exit = yield* Effect.exit(Effect.withTracer(effect, tracer))
    const spans = ended.filter((span) => span.name.startsWith("postpress."))
    assert.strictEqual(spans.length, 1, ended.map((span) => span.name).join(", "))
    const span = spans[0]!
    assert.strictEqual(span.kind, "client")
    for (const [key, value] of Object.entries(span.attributes)) assert.notInclude(String(value), API_KEY, key)
    return { exit, span }
  })

/** Runs `effect` in a fiber while moving the test clock forward until it completes (for retry backoffs). */
const driven = <A, E, R>(effect: Effect.Effect<A, E, R>, step: Duration.Input = "50 millis") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(effect)
    for (let i = 0; i < 1_000 && fiber.pollUnsafe() === undefined; i++) yield* TestClock.adjust(step)
    return yield* Fiber.join(fiber)
  })

/** A stub answering its nth request (0-based) with `script(n)`. */
const scripted = (
  script: (n: number, received: Received) => Answer,
  options?: PostpressConfig.ResilienceOptions
) => {
  let n = 0
  return stub((received) => script(n++, received), options)
}

const notFound = (extra: Record<string, unknown>) =>
  json(404, { title: "Not Found", type: "errors/resource_not_found", status: 404, ...extra }, {
    "x-request-id": "req_header_1"
  })

const retrieveChat = withClient((client) => client.chats.retrieve("chat_1"))

describe("a call's span", () => {
  it.effect("a success: method, path template, ids, status 200, one attempt", () => {
    const { layer } = scripted(() => json(200, fixture("chat-with-last-message")))
    return Effect.gen(function*() {
      const { exit, span } = yield* traced(retrieveChat)
      assert.isTrue(Exit.isSuccess(exit))
      assert.strictEqual(span.name, "postpress.chats.retrieve")
      assert.deepStrictEqual(span.attributes, {
        "http.request.method": "GET",
        "url.template": "/chats/{chat_id}",
        "postpress.chat_id": "chat_1",
        "http.response.status_code": 200,
        "postpress.attempts": 1
      })
    }).pipe(Effect.provide(layer))
  })

  it.effect("query parameters are attributes too, as sent; the template has no query", () => {
    const { layer } = scripted(() => json(200, fixture("message-list")))
    return Effect.gen(function*() {
      const { span } = yield* traced(
        withClient((client) => client.chats.messages.list("chat_9", { limit: 5, cursor: "c_1" }))
      )
      assert.strictEqual(span.attributes["url.template"], "/chats/{chat_id}/messages")
      assert.strictEqual(span.attributes["postpress.chat_id"], "chat_9")
      assert.strictEqual(span.attributes["postpress.limit"], "5")
      assert.strictEqual(span.attributes["postpress.cursor"], "c_1")
    }).pipe(Effect.provide(layer))
  })

  it.effect("a 404: status, error type and the envelope's instance as the request id", () => {
    const { layer } = scripted(() => notFound({ instance: "req_instance_404" }))
    return Effect.gen(function*() {
      const { exit, span } = yield* traced(retrieveChat)
      assert.isTrue(Exit.isFailure(exit))
      assert.deepStrictEqual(span.attributes, {
        "http.request.method": "GET",
        "url.template": "/chats/{chat_id}",
        "postpress.chat_id": "chat_1",
        "http.response.status_code": 404,
        "postpress.attempts": 1,
        "error.type": "NotFound",
        // the envelope's instance wins over the x-request-id header
        "postpress.request_id": "req_instance_404"
      })
    }).pipe(Effect.provide(layer))
  })

  it.effect("an error without an instance: the x-request-id header is the request id", () => {
    const { layer } = scripted(() => notFound({}))
    return Effect.gen(function*() {
      const { span } = yield* traced(retrieveChat)
      assert.strictEqual(span.attributes["postpress.request_id"], "req_header_1")
      assert.strictEqual(span.attributes["error.type"], "NotFound")
    }).pipe(Effect.provide(layer))
  })

  it.effect("a 429 or an undocumented status: the instance of the envelope it carries is the request id", () => {
    const envelope = (status: number) =>
      json(status, { title: "t", type: "errors/x", status, instance: `req_instance_${status}` }, {
        "x-request-id": "req_header_1"
      })
    return Effect.gen(function*() {
      for (const status of [429, 409]) {
        const { layer } = scripted(() => envelope(status))
        const { exit, span } = yield* Effect.provide(traced(retrieveChat), layer)
        assert.isTrue(Exit.isFailure(exit))
        assert.strictEqual(span.attributes["error.type"], status === 429 ? "TooManyRequests" : "UnexpectedStatus")
        // the envelope's instance wins over the x-request-id header here too
        assert.strictEqual(span.attributes["postpress.request_id"], `req_instance_${status}`)
      }
    })
  })

  it.effect("a defect: the call dies with it as it was, and the span has no error type", () => {
    const defect = new Error("the HttpClient broke")
    const { layer } = stub(() => Effect.die(defect))
    return Effect.gen(function*() {
      const { exit, span } = yield* traced(retrieveChat)
      assert.isTrue(Exit.isFailure(exit))
      // the defect itself, not one thrown while writing the span
      const died = Exit.isFailure(exit) ? exit.cause.reasons.filter(Cause.isDieReason) : []
      assert.deepStrictEqual(died.map((reason) => String(reason.defect)), [String(defect)])
      assert.strictEqual(span.attributes["postpress.attempts"], 1)
      assert.notProperty(span.attributes, "error.type")
      assert.notProperty(span.attributes, "postpress.request_id")
    }).pipe(Effect.provide(layer))
  })

  it.effect("a 503 retried to a 200: two attempts, one resend, the last status, no error", () => {
    const { layer, received } = scripted(
      (n) =>
        n === 0
          ? json(503, { title: "Unavailable", type: "errors/no_channel", status: 503, instance: "req_503" })
          : json(200, fixture("chat-with-last-message")),
      {}
    )
    return Effect.gen(function*() {
      const { exit, span } = yield* driven(traced(retrieveChat))
      assert.isTrue(Exit.isSuccess(exit))
      assert.strictEqual(received.length, 2)
      assert.deepStrictEqual(span.attributes, {
        "http.request.method": "GET",
        "url.template": "/chats/{chat_id}",
        "postpress.chat_id": "chat_1",
        "http.response.status_code": 200,
        "postpress.attempts": 2,
        "http.request.resend_count": 1
      })
    }).pipe(Effect.provide(layer))
  })

  it.effect("a 503 then a reset connection: no status (the last attempt got none), the transport error", () => {
    const { layer } = scripted(
      (n, { request }) =>
        n === 0 ? json(503, { title: "t", type: "errors/no_channel", status: 503 }) : connectionReset(request),
      { retryPolicy: PostpressRetry.policy({ maxRetries: 1 }) }
    )
    return Effect.gen(function*() {
      const { exit, span } = yield* driven(traced(retrieveChat))
      assert.isTrue(Exit.isFailure(exit))
      assert.strictEqual(span.attributes["postpress.attempts"], 2)
      assert.strictEqual(span.attributes["error.type"], "TransportError")
      assert.notProperty(span.attributes, "http.response.status_code")
      assert.notProperty(span.attributes, "postpress.request_id")
    }).pipe(Effect.provide(layer))
  })

  it.effect("an invalid input: no attempt, the InvalidRequest tag", () => {
    const { layer, received } = scripted(() => json(200, fixture("message")))
    return Effect.gen(function*() {
      const { span } = yield* traced(withClient((client) => client.messages.retrieve("")))
      assert.strictEqual(received.length, 0)
      assert.deepStrictEqual(span.attributes, {
        "http.request.method": "GET",
        "url.template": "/messages/{message_id}",
        "postpress.attempts": 0,
        "error.type": "InvalidRequest"
      })
    }).pipe(Effect.provide(layer))
  })

  it.effect("an attempt that timed out counts, and has no status", () => {
    const { layer } = stub(() => Effect.as(Effect.never, json(200, {})), {
      retryPolicy: PostpressRetry.noRetries,
      attemptTimeout: Duration.seconds(1)
    })
    return Effect.gen(function*() {
      const { span } = yield* driven(traced(retrieveChat), "500 millis")
      assert.strictEqual(span.attributes["postpress.attempts"], 1)
      assert.strictEqual(span.attributes["error.type"], "RequestTimeout")
      assert.notProperty(span.attributes, "http.response.status_code")
    }).pipe(Effect.provide(layer))
  })
})
