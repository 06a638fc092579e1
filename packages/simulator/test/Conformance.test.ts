import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as fc from "effect/FastCheck"
import * as TestClock from "effect/TestClock"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import {
  base64UrlVectors,
  digest,
  type FaultSpec,
  goldenDigest,
  type Outcome,
  type Scenario,
  scenarios,
  transcriptEntry
} from "../../../conformance/simulator/index.js"
import { PostpressSimulator } from "../src/index.js"
import { decodeBase64Url, encodeBase64Url } from "../src/internal/cursor.js"

const Fault = PostpressSimulator.Fault

const fault = (spec: FaultSpec): PostpressSimulator.Fault => {
  switch (spec._tag) {
    case "Error":
      return Fault.Error({ status: spec.status, type: spec.type })
    case "TooManyRequests":
      return Fault.TooManyRequests({ retryAfterSeconds: spec.retryAfterSeconds })
    case "ConnectionReset":
      return Fault.ConnectionReset()
    case "TruncatedBody":
      return Fault.TruncatedBody()
    case "BadGateway":
      return Fault.BadGateway()
  }
}

const options = ({ options: o }: Scenario): PostpressSimulator.Options => ({
  seed: o.seed,
  accounts: o.accounts,
  attendeesPerAccount: o.attendeesPerAccount,
  chats: o.chats,
  messagesPerChat: o.messagesPerChat,
  apiKeys: o.apiKeys,
  arrivals: o.arrivals === undefined ? undefined : { chats: o.arrivals.chats, every: o.arrivals.everyMillis },
  rateLimit: o.rateLimit === undefined
    ? undefined
    : { limit: o.rateLimit.limit, interval: o.rateLimit.intervalMillis },
  faults: [
    ...(o.faults ?? []).map((rule) => ({ ...rule, fault: fault(rule.fault) })),
    ...(o.faultMix === undefined ? [] : PostpressSimulator.faultMix(o.faultMix))
  ]
})

/** The transcript of a scenario on this edition's in-process simulator. */
const run = (scenario: Scenario) =>
  Effect.gen(function*() {
    const simulator = yield* PostpressSimulator.PostpressSimulator
    const http = yield* HttpClient.HttpClient
    const origin = new URL(PostpressSimulator.inProcessBaseUrl).origin
    const steps = scenario.steps(simulator.dataset)
    let out = ""
    let next = steps.next()
    while (next.done !== true) {
      const step = next.value
      if (step.advance !== undefined) yield* TestClock.adjust(step.advance)
      const apiKey = step.apiKey === undefined ? simulator.apiKey : step.apiKey
      const request = HttpClientRequest.make(step.method ?? "GET")(`${origin}${step.url}`).pipe(
        apiKey === null ? (request) => request : HttpClientRequest.setHeader("x-api-key", apiKey)
      )
      const response = yield* Effect.either(http.execute(request))
      const outcome: Outcome = Either.isLeft(response)
        ? { status: undefined, contentType: undefined, retryAfter: undefined, requestId: undefined, body: undefined }
        : {
          status: response.right.status,
          contentType: response.right.headers["content-type"],
          retryAfter: response.right.headers["retry-after"],
          requestId: response.right.headers["x-request-id"],
          body: Either.getOrUndefined(yield* Effect.either(response.right.text))
        }
      out += transcriptEntry(scenario.name, step, outcome)
      next = steps.next(outcome)
    }
    return out
  }).pipe(Effect.provide(PostpressSimulator.layerHttpClient(options(scenario))))

describe("the conformance transcript", () => {
  it.effect("both editions' simulators answer the same requests with the same bytes", () =>
    Effect.gen(function*() {
      const transcript = (yield* Effect.forEach(scenarios, run)).join("")
      const actual = digest(transcript)
      if (actual !== goldenDigest) {
        const file = Path.join(Os.tmpdir(), "postpress-simulator-transcript.effect3.txt")
        Fs.writeFileSync(file, transcript)
        assert.fail(`the transcript's digest is ${actual}, not ${goldenDigest}: see ${file}`)
      }
    }))
})

describe("the edition-neutral cursor codec", () => {
  it("encodes as effect 3's Encoding.encodeBase64Url", () => {
    for (const [text, base64Url] of base64UrlVectors.encode) {
      assert.strictEqual(Encoding.encodeBase64Url(text), base64Url)
      assert.strictEqual(encodeBase64Url(text), base64Url)
    }
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.fullUnicodeString(), fc.string({ unit: "binary" })), (text) => {
        assert.strictEqual(encodeBase64Url(text), Encoding.encodeBase64Url(text))
      }),
      { numRuns: 2_000 }
    )
  })

  it("decodes, and refuses, as effect 3's Encoding.decodeBase64UrlString", () => {
    for (const [base64Url, text] of base64UrlVectors.decode) {
      assert.strictEqual(Either.getOrNull(Encoding.decodeBase64UrlString(base64Url)), text, JSON.stringify(base64Url))
      assert.strictEqual(decodeBase64Url(base64Url) ?? null, text, JSON.stringify(base64Url))
    }
    const char = fc.constantFrom(..."AZaz09-_+/=\r\n!é".split(""), "\u{1F600}")
    const text = fc.oneof(
      fc.array(char, { maxLength: 24 }).map((chars) => chars.join("")),
      fc.fullUnicodeString().map((text) => Encoding.encodeBase64Url(text)),
      fc.uint8Array().map((bytes) => Encoding.encodeBase64Url(bytes))
    )
    fc.assert(
      fc.property(text, (input) => {
        assert.strictEqual(decodeBase64Url(input), Either.getOrUndefined(Encoding.decodeBase64UrlString(input)))
      }),
      { numRuns: 5_000 }
    )
  })
})
