import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Formatter from "effect/Formatter"
import * as HttpClientError from "effect/http/HttpClientError"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaParser from "effect/SchemaParser"
import * as TestClock from "effect/testing/TestClock"
import * as fs from "node:fs"
import * as path from "node:path"
import * as util from "node:util"
import { extractErrorTypes } from "../../../../conformance/fixtures/extract.js"
import { errorTypes, fixture, referenceDir, referencePages } from "../../../../conformance/fixtures/index.js"
import { describeIssue } from "../src/internal/http/response.js"
import * as PostpressError from "../src/PostpressError.js"
import { API_KEY, connectionReset, json, stub, withClient } from "./utils.js"

const documented = [
  [401, "Unauthorized", PostpressError.UnauthorizedType.literals],
  [403, "Forbidden", PostpressError.ForbiddenType.literals],
  [404, "NotFound", PostpressError.NotFoundType.literals],
  [500, "InternalServerError", PostpressError.InternalServerErrorType.literals],
  [503, "ServiceUnavailable", PostpressError.ServiceUnavailableType.literals],
  [504, "GatewayTimeout", PostpressError.GatewayTimeoutType.literals]
] as const

/** Every call of the client, so each case runs against all five endpoints. */
const calls = [
  (c: any) => c.chats.retrieve("chat_1"),
  (c: any) => c.chats.attendees.list("chat_1"),
  (c: any) => c.chats.messages.list("chat_1"),
  (c: any) => c.chatAttendees.chats.list("att_1"),
  (c: any) => c.messages.retrieve("msg_1")
] as const

const failWith = (response: () => Response | HttpClientError.HttpClientError) => {
  const { layer } = stub(() => response())
  return Effect.forEach(
    calls,
    (call) => Effect.flip(withClient(call) as Effect.Effect<unknown, PostpressError.PostpressError, any>)
  ).pipe(
    Effect.provide(layer)
  )
}

/** The error of one call given `response`. */
const failOnce = (
  call: (client: any) => Effect.Effect<unknown, PostpressError.PostpressError>,
  response: (request: any) => Response | HttpClientError.HttpClientError
) => {
  const { layer } = stub(({ request }) => response(request))
  return Effect.flip(withClient(call)).pipe(Effect.provide(layer))
}

describe("documented statuses", () => {
  it("each status's types are exactly the reference's, in its order (a copy of its lists in fixtures/error-types.json)", () => {
    const reference = errorTypes()
    assert.deepStrictEqual(
      Object.fromEntries(documented.map(([status, , types]) => [String(status), [...types]])),
      reference
    )
    assert.deepStrictEqual(documented.map(([, , types]) => types.length), [13, 9, 2, 3, 5, 1])
  })

  // skipped where the checkout has no shared/reference beside it; always listed, so both editions' test map agree
  it("fixtures/error-types.json is what every reference page lists", (context) => {
    if (referenceDir === undefined) return context.skip()
    const copy = errorTypes()
    for (const page of Object.values(referencePages)) {
      assert.deepStrictEqual(extractErrorTypes(fs.readFileSync(path.join(referenceDir!, page), "utf8")), copy, page)
    }
  })

  for (const [status, tag, types] of documented) {
    for (const type of types) {
      it.effect(`${status} ${type} is ${tag} on every endpoint`, () =>
        Effect.gen(function*() {
          const envelope = { title: "Title", detail: "Detail", instance: "req_inst", type, status }
          const errors = yield* failWith(() =>
            json(status, envelope, { "x-request-id": "req_42", "x-ratelimit-remaining": "7" })
          )
          for (const error of errors) {
            assert.strictEqual(error._tag, tag)
            const e = error as PostpressError.ApiError
            assert.strictEqual(e.type, type)
            assert.strictEqual(e.status, status)
            assert.strictEqual(e.title, "Title")
            assert.strictEqual(e.detail, "Detail")
            assert.strictEqual(e.instance, "req_inst")
            assert.strictEqual(e.requestId, "req_42")
            assert.strictEqual(e.rateLimit?.remaining, 7)
            assert.include(e.message, type)
          }
        }))
    }

    it.effect(`${status} with an undocumented type is still ${tag}`, () =>
      Effect.gen(function*() {
        const errors = yield* failWith(() => json(status, { title: "New", type: "errors/brand_new", status }))
        for (const error of errors) {
          assert.strictEqual(error._tag, tag)
          assert.strictEqual((error as PostpressError.ApiError).type, "errors/brand_new")
          assert.isUndefined((error as PostpressError.ApiError).detail)
        }
      }))
  }

  it.effect("a 503 whose body is an HTML page is MalformedResponse with status 503", () =>
    Effect.gen(function*() {
      const errors = yield* failWith(() =>
        new Response("<html><body>Service Unavailable</body></html>", {
          status: 503,
          headers: { "content-type": "text/html" }
        })
      )
      for (const error of errors) {
        assert.strictEqual(error._tag, "MalformedResponse")
        const e = error as PostpressError.MalformedResponse
        assert.strictEqual(e.status, 503)
        assert.strictEqual(e.contentType, "text/html")
        assert.include(e.reason, "not JSON")
        assert.include(e.excerpt, "<html>")
      }
    }))

  it.effect("a 404 body that is JSON but not an envelope is MalformedResponse", () =>
    Effect.gen(function*() {
      const [error] = yield* failWith(() => json(404, { message: "nope" }))
      assert.strictEqual(error?._tag, "MalformedResponse")
      assert.include((error as PostpressError.MalformedResponse).reason, "404 error envelope")
    }))

  it.effect("rate-limit headers are each kept on their own; none or empty ones leave rateLimit out, as no x-request-id or Retry-After leaves those out", () =>
    Effect.gen(function*() {
      const envelope = { title: "Not Found", type: "errors/resource_not_found", status: 404 }
      const rateLimitOf = (headers: Record<string, string>) =>
        Effect.map(
          failOnce((c) => c.messages.retrieve("msg_1"), () => json(404, envelope, headers)),
          (error) => error as PostpressError.NotFound
        )
      for (
        const [header, field] of [
          ["x-ratelimit-limit", "limit"],
          ["x-ratelimit-remaining", "remaining"],
          ["x-ratelimit-reset", "reset"]
        ] as const
      ) {
        const { rateLimit } = yield* rateLimitOf({ [header]: "30" })
        assert.deepStrictEqual({ ...rateLimit }, { [field]: 30 }, header)
      }
      const all = yield* rateLimitOf({
        "x-ratelimit-limit": "100",
        "x-ratelimit-remaining": "7",
        "x-ratelimit-reset": "30"
      })
      assert.deepStrictEqual({ ...all.rateLimit }, { limit: 100, remaining: 7, reset: 30 })
      const empty = yield* rateLimitOf({
        "x-ratelimit-limit": "",
        "x-ratelimit-remaining": " ",
        "x-ratelimit-reset": ""
      })
      assert.isFalse("rateLimit" in empty)
      const none = yield* rateLimitOf({})
      for (const key of ["requestId", "retryAfter", "rateLimit"]) assert.isFalse(key in none, key)
    }))
})

describe("429", () => {
  it.effect("TooManyRequests with Retry-After in seconds", () =>
    Effect.gen(function*() {
      const errors = yield* failWith(() =>
        json(429, { title: "Slow down", type: "errors/too_many_requests", status: 429 }, { "retry-after": "30" })
      )
      for (const error of errors) {
        assert.strictEqual(error._tag, "TooManyRequests")
        const e = error as PostpressError.TooManyRequests
        assert.deepStrictEqual(e.retryAfter, Duration.seconds(30))
        assert.strictEqual(e.envelope?.title, "Slow down")
        assert.include(e.message, "30s")
      }
    }))

  it.effect("TooManyRequests with Retry-After as an HTTP date, measured from the clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-05-17T09:42:00.000Z"))
      const [error] = yield* failWith(() =>
        new Response("", { status: 429, headers: { "retry-after": "Sun, 17 May 2026 09:42:45 GMT" } })
      )
      assert.strictEqual(error?._tag, "TooManyRequests")
      assert.deepStrictEqual((error as PostpressError.TooManyRequests).retryAfter, Duration.seconds(45))
      assert.isUndefined((error as PostpressError.TooManyRequests).envelope)
    }))

  it.effect("Retry-After in fractions of a second; digits with anything else around them are ignored", () =>
    Effect.gen(function*() {
      const retryAfter = (value: string) =>
        Effect.map(
          failOnce((c) => c.messages.retrieve("msg_1"), () =>
            new Response("", { status: 429, headers: { "retry-after": value } })),
          (error) =>
            (error as PostpressError.TooManyRequests).retryAfter
        )
      assert.deepStrictEqual(yield* retryAfter("1.25"), Duration.millis(1250))
      assert.deepStrictEqual(yield* retryAfter("0.5"), Duration.millis(500))
      assert.isUndefined(yield* retryAfter("30 seconds"))
      assert.isUndefined(yield* retryAfter("in 30"))
    }))

  it.effect("a Retry-After date in the past is zero; garbage is ignored", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-05-17T09:42:00.000Z"))
      const [past] = yield* failWith(() =>
        new Response("", { status: 429, headers: { "retry-after": "Sun, 17 May 2026 09:00:00 GMT" } })
      )
      assert.deepStrictEqual((past as PostpressError.TooManyRequests).retryAfter, Duration.zero)
      const [garbage] = yield* failWith(() => new Response("", { status: 429, headers: { "retry-after": "soon" } }))
      assert.isUndefined((garbage as PostpressError.TooManyRequests).retryAfter)
    }))
})

describe("everything else", () => {
  it.effect("an undocumented status with an envelope is UnexpectedStatus carrying it", () =>
    Effect.gen(function*() {
      const errors = yield* failWith(() =>
        json(400, { title: "Bad Request", type: "errors/invalid_parameters", status: 400, detail: "limit" })
      )
      for (const error of errors) {
        assert.strictEqual(error._tag, "UnexpectedStatus")
        const e = error as PostpressError.UnexpectedStatus
        assert.strictEqual(e.status, 400)
        assert.strictEqual(e.envelope?.type, "errors/invalid_parameters")
        assert.include(e.message, "errors/invalid_parameters")
      }
    }))

  it.effect("an HTML 502 from a proxy is UnexpectedStatus with an excerpt of the page", () =>
    Effect.gen(function*() {
      const page = `<html><head><title>502 Bad Gateway</title></head><body>${"x".repeat(5000)}</body></html>`
      const [error] = yield* failWith(() =>
        new Response(page, { status: 502, headers: { "content-type": "text/html" } })
      )
      assert.strictEqual(error?._tag, "UnexpectedStatus")
      const e = error as PostpressError.UnexpectedStatus
      assert.strictEqual(e.status, 502)
      assert.isUndefined(e.envelope)
      assert.isTrue(e.excerpt.startsWith("<html><head><title>502 Bad Gateway"))
      assert.isBelow(e.excerpt.length, 300)
    }))

  it.effect("an excerpt is the whole body up to 256 characters; a longer one is cut there, with an ellipsis", () =>
    Effect.gen(function*() {
      const excerptOf = (body: string) =>
        Effect.map(
          failOnce((c) => c.messages.retrieve("msg_1"), () => new Response(body, { status: 502 })),
          (error) => (error as PostpressError.UnexpectedStatus).excerpt
        )
      assert.strictEqual(yield* excerptOf("Bad Gateway"), "Bad Gateway")
      assert.strictEqual(yield* excerptOf("x".repeat(256)), "x".repeat(256))
      assert.strictEqual(yield* excerptOf("x".repeat(257)), `${"x".repeat(256)}…`)
    }))

  it.effect("a 300 is UnexpectedStatus, even with a body of the right shape", () =>
    Effect.gen(function*() {
      const error = yield* failOnce((c) => c.messages.retrieve("msg_1"), () => json(300, fixture("message")))
      assert.strictEqual(error._tag, "UnexpectedStatus")
      assert.strictEqual((error as PostpressError.UnexpectedStatus).status, 300)
    }))

  it.effect("a 200 with an HTML page is MalformedResponse", () =>
    Effect.gen(function*() {
      const errors = yield* failWith(() =>
        new Response("<!doctype html><p>login</p>", { status: 200, headers: { "content-type": "text/html" } })
      )
      for (const error of errors) {
        assert.strictEqual(error._tag, "MalformedResponse")
        assert.include((error as PostpressError.MalformedResponse).reason, "not JSON")
      }
    }))

  it.effect("a truncated body is MalformedResponse", () =>
    Effect.gen(function*() {
      const errors = yield* failWith(() =>
        new Response("{\"object\":\"MessageList\",\"items\":[{\"object\":\"Mess", { status: 200 })
      )
      for (const error of errors) {
        assert.strictEqual(error._tag, "MalformedResponse")
        assert.include((error as PostpressError.MalformedResponse).excerpt, "MessageList")
      }
    }))

  it.effect("JSON of the wrong shape is MalformedResponse saying where", () =>
    Effect.gen(function*() {
      const [, , messages] = yield* failWith(() =>
        json(200, { object: "MessageList", items: [{ object: "Message", id: 5 }], cursor: null })
      )
      assert.strictEqual(messages?._tag, "MalformedResponse")
      const e = messages as PostpressError.MalformedResponse
      assert.strictEqual(e.status, 200)
      assert.include(e.reason, "MessageList")
      assert.include(e.reason, "items.0")
    }))

  it.effect("why a body is not the schema: each issue at its path, one of the whole body without, joined by '; '", () =>
    Effect.gen(function*() {
      const reasonOf = (call: (client: any) => Effect.Effect<unknown, PostpressError.PostpressError>, body: unknown) =>
        Effect.map(failOnce(call, () => json(body === "nope" ? 404 : 200, body)), (error) => {
          assert.strictEqual(error._tag, "MalformedResponse")
          return (error as PostpressError.MalformedResponse).reason
        })
      assert.strictEqual(
        yield* reasonOf((c) => c.messages.retrieve("msg_1"), "nope"),
        "the body is not a 404 error envelope: Expected object"
      )
      // a union's members each say why
      assert.strictEqual(
        yield* reasonOf((c) => c.messages.retrieve("msg_1"), {
          ...fixture("message"),
          attachments: [{ type: "img", id: "a", unavailable: false }]
        }),
        "the body is not a Message: at attachments.0.size: Missing key; " +
          "at attachments.0.type: Expected a value other than img, video, audio, file, linkedin_post, video_meeting"
      )
      const attendees: any = fixture("chat-attendee-list")
      assert.strictEqual(
        yield* reasonOf((c) => c.chats.attendees.list("chat_1"), {
          ...attendees,
          items: [{ ...attendees.items[0], specifics: {} }]
        }),
        "the body is not a ChatAttendeeList: at items.0.specifics.provider: Missing key"
      )
      // at most three issues are told, and how many more there are (no body of this API's schemas gives more than
      // two, as decoding stops at the first error: a schema of four keys, all of them reported, shows the cut)
      const issuesOf = (keys: ReadonlyArray<string>) => {
        const decoded = SchemaParser.decodeUnknownResult(
          Schema.Struct(Object.fromEntries(keys.map((key) => [key, Schema.String])))
        )({}, { errors: "all" })
        return Result.isFailure(decoded) ? describeIssue(decoded.failure) : "decoded"
      }
      assert.strictEqual(issuesOf(["a", "b", "c"]), "at a: Missing key; at b: Missing key; at c: Missing key")
      assert.strictEqual(
        issuesOf(["a", "b", "c", "d", "e"]),
        "at a: Missing key; at b: Missing key; at c: Missing key (and 2 more)"
      )
    }))

  it.effect("a MalformedResponse of a body sent without a content type has none", () =>
    Effect.gen(function*() {
      const error = yield* failOnce(
        (c) => c.messages.retrieve("msg_1"),
        () => new Response(new TextEncoder().encode("{"), { status: 200 })
      )
      assert.strictEqual(error._tag, "MalformedResponse")
      assert.isFalse("contentType" in error)
    }))

  it.effect("a transport failure says what failed: the error and the one it wraps, or that there is no more to say", () =>
    Effect.gen(function*() {
      const descriptionOf = (response: (request: any) => Response | HttpClientError.HttpClientError) =>
        Effect.map(failOnce((c) => c.messages.retrieve("msg_1"), response), (error) => {
          assert.strictEqual(error._tag, "TransportError")
          return (error as PostpressError.TransportError).description
        })
      assert.strictEqual(yield* descriptionOf(connectionReset), "Transport error: socket hang up")
      assert.strictEqual(
        yield* descriptionOf((request) =>
          new HttpClientError.HttpClientError({
            reason: new HttpClientError.TransportError({
              request,
              cause: new Error("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:443") })
            })
          })
        ),
        "Transport error: fetch failed: connect ECONNREFUSED 127.0.0.1:443"
      )
      assert.strictEqual(
        yield* descriptionOf((request) =>
          new HttpClientError.HttpClientError({
            reason: new HttpClientError.TransportError({ request, cause: "boom" })
          })
        ),
        "Transport error: no further detail"
      )
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("{\"object\":"))
          controller.error(new Error("terminated"))
        }
      })
      assert.strictEqual(
        yield* descriptionOf(() => new Response(body, { status: 200 })),
        "Decode error reading the 200 response: terminated"
      )
    }))

  it.effect("a connection reset is TransportError with the network cause", () =>
    Effect.gen(function*() {
      const { layer } = stub(({ request }) => connectionReset(request))
      const error = yield* Effect.flip(withClient((c) => c.messages.retrieve("msg_1"))).pipe(Effect.provide(layer))
      assert.strictEqual(error._tag, "TransportError")
      assert.include(error.message, "Transport")
      assert.strictEqual(((error as PostpressError.TransportError).cause as any)?.code, "ECONNRESET")
    }))

  it.effect("a body cut off by the network is TransportError", () =>
    Effect.gen(function*() {
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("{\"object\":"))
          controller.error(new Error("terminated"))
        }
      })
      const { layer } = stub(() => new Response(body, { status: 200 }))
      const error = yield* Effect.flip(withClient((c) => c.chats.messages.list("chat_1"))).pipe(Effect.provide(layer))
      assert.strictEqual(error._tag, "TransportError")
    }))
})

describe("the API key never appears in a rendered error", () => {
  const producers: ReadonlyArray<readonly [string, () => Response | HttpClientError.HttpClientError]> = [
    ["401", () => json(401, { title: "t", type: "errors/invalid_credentials", status: 401 })],
    ["429", () => json(429, { title: "t", type: "x", status: 429 }, { "retry-after": "1" })],
    ["400", () => json(400, { title: "t", type: "x", status: 400 })],
    ["html", () => new Response("<html>", { status: 502 })],
    ["malformed", () => new Response("{", { status: 200 })]
  ]
  const render = (error: PostpressError.PostpressError): ReadonlyArray<string> => [
    String(error),
    error.message,
    error.stack ?? "",
    JSON.stringify(error),
    Formatter.format(error),
    util.inspect(error, { depth: 20, showHidden: true }),
    Cause.pretty(Cause.fail(error))
  ]

  for (const [name, response] of producers) {
    it.effect(name, () =>
      Effect.gen(function*() {
        const errors = yield* failWith(response)
        for (const error of errors) {
          for (const text of render(error)) assert.notInclude(text, API_KEY)
        }
      }))
  }

  it.effect("transport errors", () =>
    Effect.gen(function*() {
      const { layer } = stub(({ request }) => connectionReset(request))
      const error = yield* Effect.flip(withClient((c) => c.messages.retrieve("msg_1"))).pipe(Effect.provide(layer))
      for (const text of render(error)) assert.notInclude(text, API_KEY)
    }))

  it.effect("invalid requests", () =>
    Effect.gen(function*() {
      const { layer } = stub(() => json(200, {}))
      const error = yield* Effect.flip(withClient((c) => c.chats.messages.list("chat", { limit: -1 }))).pipe(
        Effect.provide(layer)
      )
      for (const text of render(error)) assert.notInclude(text, API_KEY)
    }))
})

describe("isPostpressError", () => {
  const envelope = { title: "Not found", type: "errors/resource_not_found", status: 404 } as const
  const every = [
    new PostpressError.Unauthorized({ ...envelope, type: "errors/invalid_credentials", status: 401 }),
    new PostpressError.Forbidden({ ...envelope, type: "errors/account_restricted", status: 403 }),
    new PostpressError.NotFound(envelope),
    new PostpressError.InternalServerError({ ...envelope, type: "errors/unexpected_error", status: 500 }),
    new PostpressError.ServiceUnavailable({ ...envelope, type: "errors/network_down", status: 503 }),
    new PostpressError.GatewayTimeout({ ...envelope, type: "errors/request_timeout", status: 504 }),
    new PostpressError.TooManyRequests({ status: 429 }),
    new PostpressError.UnexpectedStatus({ status: 418, excerpt: "" }),
    new PostpressError.MalformedResponse({ status: 200, reason: "r", excerpt: "" }),
    new PostpressError.TransportError({ description: "d" }),
    new PostpressError.RequestTimeout({ scope: "attempt", timeout: Duration.seconds(1) }),
    new PostpressError.InvalidRequest({ field: "f", message: "m" }),
    new PostpressError.RepeatedCursor({ cursor: "c" })
  ]

  it("recognises every error of the SDK by its brand", () => {
    for (const error of every) {
      assert.isTrue(PostpressError.isPostpressError(error), error._tag)
      assert.strictEqual((error as any)[PostpressError.TypeId], PostpressError.TypeId)
    }
  })

  it("takes no look-alike for one: a foreign Error tagged NotFound, a plain object, another library's error", () => {
    class NotFound extends Error {
      readonly _tag = "NotFound"
      readonly status = 404
    }
    assert.isFalse(PostpressError.isPostpressError(new NotFound("elsewhere")))
    assert.isFalse(PostpressError.isPostpressError(Object.assign(new Error("x"), { _tag: "NotFound" })))
    assert.isFalse(PostpressError.isPostpressError({ _tag: "NotFound", ...envelope }))
    assert.isFalse(PostpressError.isPostpressError(new Error("x")))
    assert.isFalse(PostpressError.isPostpressError(null))
    assert.isFalse(PostpressError.isPostpressError("NotFound"))
  })

  it("withResume copies an error with where its stream resumes, keeping its class, fields, message and brand", () => {
    for (const error of every) {
      const resumed = PostpressError.withResume(error, { cursor: "c_9", pages: 4 })
      assert.isTrue(PostpressError.isPostpressError(resumed))
      assert.strictEqual(resumed.constructor, error.constructor)
      assert.strictEqual(resumed.message, error.message)
      assert.deepStrictEqual(resumed.resume, { cursor: "c_9", pages: 4 })
      assert.isUndefined(error.resume)
      assert.deepStrictEqual({ ...resumed, resume: undefined }, { ...error, resume: undefined })
    }
  })

  it("withResume keeps a TransportError's network cause (an Error's cause is not enumerable)", () => {
    const cause = new Error("socket hang up")
    const resumed = PostpressError.withResume(new PostpressError.TransportError({ description: "reset", cause }), {
      pages: 2
    })
    assert.strictEqual(resumed.cause, cause)
    assert.strictEqual(resumed.description, "reset")
  })
})
