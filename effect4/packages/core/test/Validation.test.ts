/**
 * Bad input gets a typed error and nothing is sent: every id and parameter is
 * checked before a request leaves. Property tests over full-Unicode ids (lone
 * surrogates, "/", "?", "#", "%", ".", "..", NUL, whitespace, very long ids):
 * each call either sends exactly one request that carries the id as given
 * (in its one path segment, or its query value), or fails with
 * `InvalidRequest` and sends nothing — never a defect, a synchronous throw or
 * a hang.
 */
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/testing/TestClock"
import fc from "fast-check"
import { fixture } from "../../../../conformance/fixtures/index.js"
import type { PostpressClient } from "../src/index.js"
import { PostpressError } from "../src/index.js"
import { json, type Received, stub, withClient } from "./utils.js"

/** Runs per endpoint and per parameter (100 when StrykerJS runs the suite once per mutant: vitest.mutation.config.ts). */
const RUNS = process.env.POSTPRESS_MUTATION === undefined ? 10_000 : 100

/** What the stub answers, by route: the reference's examples, one page each. */
const answer = ({ url }: Received) => {
  const path = url.pathname.replace(/^\/api\/v1/, "")
  if (/^\/chats\/[^/]+\/attendees$/.test(path)) return json(200, fixture("chat-attendee-list"))
  if (/^\/chats\/[^/]+\/messages$/.test(path)) return json(200, { ...fixture("message-list"), cursor: null })
  if (/^\/chats\/[^/]+$/.test(path)) return json(200, fixture("chat-with-last-message"))
  if (/^\/chat_attendees\/[^/]+\/chats$/.test(path)) return json(200, { ...fixture("chat-list"), cursor: null })
  if (/^\/messages\/[^/]+$/.test(path)) return json(200, fixture("message"))
  return json(404, { title: "Not found", type: "errors/resource_not_found", status: 404 })
}

const { layer, received } = stub(answer)
const runtime = ManagedRuntime.make(layer)
const client = runtime.runSync(withClient(Effect.succeed))

// -----------------------------------------------------------------------------
// the oracle: what a sendable value is, written independently of the SDK
// -----------------------------------------------------------------------------

const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed()
const sendableText = (text: string) => text.length > 0 && isWellFormed(text)
const sendableId = (id: string) => sendableText(id) && id !== "." && id !== ".."
const sendableListedId = (id: string) => sendableId(id) && !id.includes(",")

// -----------------------------------------------------------------------------
// generators
// -----------------------------------------------------------------------------

const special = fc.constantFrom(
  "/",
  "?",
  "#",
  "%",
  ".",
  "..",
  "\u0000",
  " ",
  "\t",
  "\n",
  ",",
  "%2E",
  "%2F",
  "%00",
  "\\",
  "+",
  "&",
  "=",
  ";",
  "\u00e9",
  "\u{1F600}",
  "\u200b"
)
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit))
const piece = fc.oneof(fc.string({ unit: "binary", maxLength: 4 }), special, loneSurrogate)
/** Ids of every kind: assembled from hostile pieces, the edge cases themselves, and very long ones. */
const anyId = fc.oneof(
  { weight: 8, arbitrary: fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join("")) },
  { weight: 1, arbitrary: fc.constantFrom("", ".", "..", "...", "./", "a/../b", "%", "\u0000", " ", "chat_1") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 500, maxLength: 3000 }) }
)

// -----------------------------------------------------------------------------
// the property
// -----------------------------------------------------------------------------

type Outcome = { readonly _tag: "Sent"; readonly url: URL } | { readonly _tag: "Refused"; readonly field: string }

/**
 * Calls `call()`, which must neither throw nor die nor hang, and says what
 * happened: one request sent (its URL), or refused with `InvalidRequest`
 * before anything was sent.
 */
const outcomeOf = async (call: () => Effect.Effect<unknown, unknown>): Promise<Outcome> => {
  received.length = 0
  let effect: Effect.Effect<unknown, unknown>
  try {
    effect = call()
  } catch (error) {
    throw new Error(`a synchronous throw: ${String(error)}`)
  }
  const exit = await runtime.runPromiseExit(
    effect.pipe(Effect.timeoutOrElse({ duration: "5 seconds", orElse: () => Effect.fail("hang" as const) }))
  )
  if (Exit.isSuccess(exit)) {
    assert.strictEqual(received.length, 1, "a call that succeeds sends one request")
    return { _tag: "Sent", url: received[0]!.url }
  }
  const failure = Cause.findErrorOption(exit.cause)
  if (Option.isNone(failure)) throw new Error(`not a typed failure: ${Cause.pretty(exit.cause)}`)
  const error = failure.value
  if (error === "hang") throw new Error("the call did not end within 5 s")
  assert.isTrue(PostpressError.isPostpressError(error), `not a postpress error: ${String(error)}`)
  assert.strictEqual((error as PostpressError.PostpressError)._tag, "InvalidRequest", String(error))
  assert.strictEqual(received.length, 0, "a refused call sends nothing")
  return { _tag: "Refused", field: (error as PostpressError.InvalidRequest).field }
}

/** The path's segments after the base URL's, decoded. */
const segmentsOf = (url: URL) => url.pathname.replace(/^\/api\/v1\//, "").split("/").map(decodeURIComponent)

const pathCases: ReadonlyArray<{
  readonly name: string
  readonly call: (client: PostpressClient.Service, id: string) => Effect.Effect<unknown, unknown>
  readonly segments: (id: string) => ReadonlyArray<string>
  readonly field: string
}> = [
  { name: "chats.retrieve", call: (c, id) => c.chats.retrieve(id), segments: (id) => ["chats", id], field: "chat_id" },
  {
    name: "chats.attendees.list",
    call: (c, id) => c.chats.attendees.list(id),
    segments: (id) => ["chats", id, "attendees"],
    field: "chat_id"
  },
  {
    name: "chats.messages.list",
    call: (c, id) => c.chats.messages.list(id),
    segments: (id) => ["chats", id, "messages"],
    field: "chat_id"
  },
  {
    name: "messages.retrieve",
    call: (c, id) => c.messages.retrieve(id),
    segments: (id) => ["messages", id],
    field: "message_id"
  },
  {
    name: "chats.messages.stream",
    call: (c, id) => Stream.runDrain(c.chats.messages.stream(id)),
    segments: (id) => ["chats", id, "messages"],
    field: "chat_id"
  },
  {
    name: "chats.messages.pages (prefetch 0)",
    call: (c, id) => Stream.runDrain(c.chats.messages.pages(id, { prefetch: 0 })),
    segments: (id) => ["chats", id, "messages"],
    field: "chat_id"
  }
]

describe("ids reach the server in their one path segment, or are refused before anything is sent", () => {
  for (const { call, field, name, segments } of pathCases) {
    it(`${name}: ${RUNS.toLocaleString("en-US")} ids`, async () => {
      await fc.assert(
        fc.asyncProperty(anyId, async (id) => {
          const outcome = await outcomeOf(() => call(client, id))
          if (sendableId(id)) {
            assert.strictEqual(outcome._tag, "Sent", JSON.stringify(id))
            if (outcome._tag === "Sent") assert.deepStrictEqual(segmentsOf(outcome.url), segments(id))
          } else {
            assert.deepStrictEqual(outcome, { _tag: "Refused", field }, JSON.stringify(id))
          }
        }),
        { numRuns: RUNS }
      )
    }, 120_000)
  }

  it(`chatAttendees.chats.list and .stream: ${RUNS.toLocaleString("en-US")} lists of attendee ids`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyId, { minLength: 1, maxLength: 4 }), fc.boolean(), async (ids, asStream) => {
        const outcome = await outcomeOf(() =>
          asStream ? Stream.runDrain(client.chatAttendees.chats.stream(ids)) : client.chatAttendees.chats.list(ids)
        )
        if (ids.every(sendableListedId)) {
          assert.strictEqual(outcome._tag, "Sent", JSON.stringify(ids))
          if (outcome._tag === "Sent") {
            assert.deepStrictEqual(segmentsOf(outcome.url), ["chat_attendees", ids.join(","), "chats"])
          }
        } else {
          assert.deepStrictEqual(outcome, { _tag: "Refused", field: "attendee_id" }, JSON.stringify(ids))
        }
      }),
      { numRuns: RUNS }
    )
  }, 120_000)

  it(`chatAttendees.chats.list: ${RUNS.toLocaleString("en-US")} comma-separated strings`, async () => {
    await fc.assert(
      fc.asyncProperty(anyId, async (text) => {
        const outcome = await outcomeOf(() => client.chatAttendees.chats.list(text))
        if (text.split(",").every(sendableListedId)) {
          assert.strictEqual(outcome._tag, "Sent", JSON.stringify(text))
          if (outcome._tag === "Sent") {
            assert.deepStrictEqual(segmentsOf(outcome.url), ["chat_attendees", text, "chats"])
          }
        } else {
          assert.deepStrictEqual(outcome, { _tag: "Refused", field: "attendee_id" }, JSON.stringify(text))
        }
      }),
      { numRuns: RUNS }
    )
  }, 120_000)
})

const queryCases: ReadonlyArray<{
  readonly name: string
  readonly call: (client: PostpressClient.Service, value: string) => Effect.Effect<unknown, unknown>
}> = [
  { name: "account_id", call: (c, value) => c.chats.retrieve("chat_1", { account_id: value }) },
  { name: "sender_id", call: (c, value) => c.chats.messages.list("chat_1", { sender_id: value }) },
  { name: "cursor", call: (c, value) => c.chats.messages.list("chat_1", { cursor: value }) }
]

describe("query values are sent as given, or refused", () => {
  for (const { call, name } of queryCases) {
    it(`${name}: ${RUNS.toLocaleString("en-US")} values`, async () => {
      await fc.assert(
        fc.asyncProperty(anyId, async (value) => {
          const outcome = await outcomeOf(() => call(client, value))
          if (sendableText(value)) {
            assert.strictEqual(outcome._tag, "Sent", JSON.stringify(value))
            if (outcome._tag === "Sent") assert.strictEqual(outcome.url.searchParams.get(name), value)
          } else {
            assert.deepStrictEqual(outcome, { _tag: "Refused", field: name }, JSON.stringify(value))
          }
        }),
        { numRuns: RUNS }
      )
    }, 120_000)
  }

  it(`account_id lists: ${RUNS.toLocaleString("en-US")} arrays`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyId, { minLength: 1, maxLength: 4 }), async (ids) => {
        const outcome = await outcomeOf(() => client.chatAttendees.chats.list("att_1", { account_id: ids }))
        if (ids.every(sendableListedId)) {
          assert.strictEqual(outcome._tag, "Sent", JSON.stringify(ids))
          if (outcome._tag === "Sent") assert.strictEqual(outcome.url.searchParams.get("account_id"), ids.join(","))
        } else {
          assert.deepStrictEqual(outcome, { _tag: "Refused", field: "account_id" }, JSON.stringify(ids))
        }
      }),
      { numRuns: RUNS }
    )
  }, 120_000)
})

// -----------------------------------------------------------------------------
// instants, limits, stream and watch options
// -----------------------------------------------------------------------------

const refused = async (field: string, call: () => Effect.Effect<unknown, unknown>) =>
  assert.deepStrictEqual(await outcomeOf(call), { _tag: "Refused", field })

const sent = async (call: () => Effect.Effect<unknown, unknown>) => {
  const outcome = await outcomeOf(call)
  assert.strictEqual(outcome._tag, "Sent")
  return outcome._tag === "Sent" ? outcome.url : new URL("about:blank")
}

describe("instants", () => {
  const impossible: ReadonlyArray<unknown> = [
    "2026-02-30T00:00:00.000Z", // 30 February
    "2026-02-29T00:00:00Z", // not a leap year
    "2026-13-01T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-05-01T24:00:00Z",
    "2026-05-01T23:60:00Z",
    "2026-05-01T23:59:60Z",
    "2026-05-01T09:30:00+24:00",
    "1", // read by Date as the year 2001
    "2026",
    "2026-05-01", // a date, not an instant
    "2026-05-01T09:30:00", // no offset: whose 09:30?
    "2026-05-01 09:30:00Z",
    "May 1, 2026",
    "",
    " 2026-05-01T09:30:00Z",
    0,
    1_746_000_000_000, // a number (was sent as 1970 + that many ms)
    Number.NaN,
    new Date(Number.NaN),
    null,
    {},
    true
  ]
  for (const field of ["before", "after"] as const) {
    it(`${field}: impossible dates, bare numbers and strings without an offset are refused`, async () => {
      for (const value of impossible) {
        await refused(field, () => client.chats.messages.list("chat_1", { [field]: value as never }))
        await refused(field, () => client.chatAttendees.chats.list("att_1", { [field]: value as never }))
      }
    })
  }

  it("a Date, a DateTime-like ISO string with Z or an offset are sent in UTC milliseconds", async () => {
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [new Date("2026-05-01T09:30:00.250Z"), "2026-05-01T09:30:00.250Z"],
      ["2026-05-01T09:30:00Z", "2026-05-01T09:30:00.000Z"],
      ["2026-05-01T09:30Z", "2026-05-01T09:30:00.000Z"],
      ["2026-05-01T09:30:00.5Z", "2026-05-01T09:30:00.500Z"],
      ["2026-05-01T11:30:00.000+02:00", "2026-05-01T09:30:00.000Z"],
      ["2026-05-01T00:30:00-01:30", "2026-05-01T02:00:00.000Z"],
      ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"]
    ]
    for (const [value, wire] of cases) {
      const url = await sent(() => client.chats.messages.list("chat_1", { after: value as never }))
      assert.strictEqual(url.searchParams.get("after"), wire, String(value))
    }
  })

  it.effect("watch's since is as strict, and fails the stream before any request", () =>
    Effect.gen(function*() {
      for (const since of ["2026-02-30T00:00:00.000Z", "1", 5, Number.NaN]) {
        received.length = 0
        const error = yield* Stream.runDrain(client.chats.messages.watch("chat_1", {
          interval: "1 second",
          since: since as never
        })).pipe(Effect.flip)
        assert.strictEqual(error._tag, "InvalidRequest")
        assert.strictEqual(error._tag === "InvalidRequest" && error.field, "since")
        assert.strictEqual(received.length, 0)
      }
    }))
})

describe("limits", () => {
  it("limit is an integer from 1 to 250; anything else is refused", async () => {
    for (const limit of [0, 251, -1, 1.5, Number.NaN, Infinity, -Infinity, "10", null]) {
      await refused("limit", () => client.chats.messages.list("chat_1", { limit: limit as never }))
      await refused("limit", () => client.chatAttendees.chats.list("att_1", { limit: limit as never }))
    }
    for (const limit of [1, 100, 250]) {
      const url = await sent(() => client.chats.messages.list("chat_1", { limit }))
      assert.strictEqual(url.searchParams.get("limit"), String(limit))
    }
  })
})

describe("stream and watch options", () => {
  it("prefetch is an integer from 0 to 32; anything else fails the stream typed, with nothing sent", async () => {
    for (const prefetch of [Number.NaN, Infinity, -1, 1.5, 33, "2", null]) {
      await refused(
        "prefetch",
        () => Stream.runDrain(client.chats.messages.stream("chat_1", { prefetch: prefetch as never }))
      )
      await refused(
        "prefetch",
        () => Stream.runDrain(client.chatAttendees.chats.pages("att_1", { prefetch: prefetch as never }))
      )
    }
    for (const prefetch of [0, 1, 32]) {
      await sent(() => Stream.runDrain(client.chats.messages.stream("chat_1", { prefetch })))
    }
  })

  it("a stream refused for its input says where to resume: where it would have started", async () => {
    const exit = await runtime.runPromiseExit(
      Stream.runDrain(client.chats.messages.stream("chat_1", { cursor: "c_7", prefetch: -1 }))
    )
    const error = Exit.isFailure(exit) ? Option.getOrThrow(Cause.findErrorOption(exit.cause)) : undefined
    assert.deepStrictEqual(error?.resume, { cursor: "c_7", pages: 0 })
  })

  it.effect("watch's interval must be a finite duration of at least 100 ms: never a defect or a tight loop", () =>
    Effect.gen(function*() {
      for (const interval of [-5, Number.NaN, 0, "nope", "0 seconds", "10 millis", Infinity, "Infinity", null]) {
        received.length = 0
        const fiber = yield* Stream.runDrain(client.chats.messages.watch("chat_1", { interval: interval as never }))
          .pipe(Effect.flip, Effect.forkChild)
        yield* TestClock.adjust(Duration.seconds(1))
        const error = yield* Fiber.join(fiber)
        assert.strictEqual(error._tag, "InvalidRequest", String(interval))
        assert.strictEqual(error._tag === "InvalidRequest" && error.field, "interval")
        assert.strictEqual(received.length, 0)
      }
    }))
})

// -----------------------------------------------------------------------------
// what a refusal says
// -----------------------------------------------------------------------------

/** The `InvalidRequest` a call fails with, having sent nothing. */
const refusal = async (call: () => Effect.Effect<unknown, unknown>) => {
  received.length = 0
  const exit = await runtime.runPromiseExit(call())
  const error = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.findErrorOption(exit.cause)) : undefined
  assert.isTrue(PostpressError.isPostpressError(error), `not a postpress error: ${String(error)}`)
  assert.strictEqual((error as PostpressError.PostpressError)._tag, "InvalidRequest", String(error))
  assert.strictEqual(received.length, 0, "a refused call sends nothing")
  const { field, message } = error as PostpressError.InvalidRequest
  return { field, message }
}

describe("refusals name the field and say what was expected and what was given", () => {
  const instant = (got: string) =>
    `after: expected a valid Date, a DateTime or an ISO 8601 datetime with an offset such as ` +
    `"2026-05-01T09:30:00.000Z", got ${got}`

  it("an instant's refusal shows the value given, briefly", async () => {
    const forty = "x".repeat(40)
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [new Date(Number.NaN), "an invalid Date"],
      ["2026-02-30T00:00:00Z", `"2026-02-30T00:00:00Z"`],
      ["", `""`],
      [forty, `"${forty}"`],
      [`${forty}y`, `"${forty}…"`],
      ["a\"b", `"a\\"b"`],
      [0, "0"],
      [1.5, "1.5"],
      [Number.NaN, "NaN"],
      [true, "true"],
      [false, "false"],
      [5n, "5"],
      [null, "null"],
      [{}, "object"],
      [[], "object"],
      [Symbol("s"), "symbol"],
      [() => "2026-05-01T09:30:00Z", "function"]
    ]
    for (const [value, got] of cases) {
      assert.deepStrictEqual(
        await refusal(() => client.chats.messages.list("chat_1", { after: value as never })),
        { field: "after", message: instant(got) },
        String(got)
      )
    }
  })

  it("an id list that is neither a string nor an array is refused as such, not as an empty list", async () => {
    for (const ids of [5, null, {}, true]) {
      assert.deepStrictEqual(
        await refusal(() => client.chatAttendees.chats.list("att_1", { account_id: ids as never })),
        { field: "account_id", message: "account_id: expected an id, ids separated by commas, or an array of ids" }
      )
      assert.deepStrictEqual(
        await refusal(() => client.chatAttendees.chats.list(ids as never)),
        { field: "attendee_id", message: "attendee_id: expected an id, ids separated by commas, or an array of ids" }
      )
    }
    assert.deepStrictEqual(
      await refusal(() => client.chatAttendees.chats.list([])),
      { field: "attendee_id", message: "attendee_id: expected at least one id" }
    )
  })

  it("options that are not an object are refused as a whole", async () => {
    for (const [options, got] of [[5, "5"], ["after", `"after"`], [null, "null"], [true, "true"]] as const) {
      assert.deepStrictEqual(
        await refusal(() => client.chats.messages.list("chat_1", options as never)),
        { field: "options", message: `options: expected an object, got ${got}` }
      )
      assert.deepStrictEqual(
        await refusal(() => client.chatAttendees.chats.list("att_1", options as never)),
        { field: "options", message: `options: expected an object, got ${got}` }
      )
    }
  })

  it("prefetch's refusal says the range and shows the value given", async () => {
    for (const [prefetch, got] of [[33, "33"], ["2", `"2"`], [null, "null"]] as const) {
      assert.deepStrictEqual(
        await refusal(() => Stream.runDrain(client.chats.messages.stream("chat_1", { prefetch: prefetch as never }))),
        { field: "prefetch", message: `prefetch: expected an integer from 0 to 32, got ${got}` }
      )
    }
  })

  it.effect("interval's refusal says the least interval and shows the value given", () =>
    Effect.gen(function*() {
      for (const [interval, got] of [["10 millis", `"10 millis"`], [-5, "-5"], [null, "null"]] as const) {
        const error = yield* Stream.runDrain(client.chats.messages.watch("chat_1", { interval: interval as never }))
          .pipe(Effect.flip)
        assert.strictEqual(error._tag, "InvalidRequest")
        assert.deepStrictEqual(
          error._tag === "InvalidRequest" && { field: error.field, message: error.message },
          {
            field: "interval",
            message: `interval: expected a finite duration of at least 100ms (such as "30 seconds"), got ${got}`
          }
        )
      }
    }))
})

describe("instants, at their edges", () => {
  it("an offset is up to 23:59, either way", async () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ["2026-05-01T09:30:00+23:00", "2026-04-30T10:30:00.000Z"],
      ["2026-05-01T09:30:00-00:59", "2026-05-01T10:29:00.000Z"],
      ["2026-05-01T09:30:00+23:59", "2026-04-30T09:31:00.000Z"]
    ]
    for (const [value, wire] of cases) {
      const url = await sent(() => client.chats.messages.list("chat_1", { after: value }))
      assert.strictEqual(url.searchParams.get("after"), wire, value)
    }
    for (const value of ["2026-05-01T09:30:00+00:60", "2026-05-01T09:30:00-05:99"]) {
      await refused("after", () => client.chats.messages.list("chat_1", { after: value }))
    }
  })

  it("a year before 100 is refused, not read as one of the 1900s", async () => {
    for (const value of ["0050-01-01T00:00:00Z", "0099-12-31T23:59:59Z", "0000-01-01T00:00:00Z"]) {
      await refused("after", () => client.chats.messages.list("chat_1", { after: value }))
    }
  })

  it("only a string is read as an ISO datetime: an array or an object that prints as one is refused", async () => {
    for (const value of [["2026-05-01T09:30:00Z"], { toString: () => "2026-05-01T09:30:00Z" }]) {
      await refused("after", () => client.chats.messages.list("chat_1", { after: value as never }))
    }
  })

  it("an option given as undefined is as if not given", async () => {
    const url = await sent(() =>
      client.chatAttendees.chats.list("att_1", { after: undefined, before: undefined, account_id: undefined })
    )
    assert.deepStrictEqual([...url.searchParams.keys()], [])
  })
})
