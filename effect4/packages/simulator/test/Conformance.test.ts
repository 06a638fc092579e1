import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Result from "effect/Result"
import * as TestClock from "effect/testing/TestClock"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import {
  base64UrlVectors,
  digest,
  type FaultSpec,
  goldenDigest,
  type Outcome,
  type Scenario,
  scenarios,
  transcriptEntry
} from "../../../../conformance/simulator/index.js"
import { PostpressSimulator } from "../src/index.js"
// copies of the Effect 3 edition's sources (checked below)
import * as Cursor from "../src/internal/shared/cursor.js"
import * as Responses from "../src/internal/shared/responses.js"

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
      const response = yield* Effect.result(http.execute(request))
      const outcome: Outcome = Result.isFailure(response)
        ? { status: undefined, contentType: undefined, retryAfter: undefined, requestId: undefined, body: undefined }
        : {
          status: response.success.status,
          contentType: response.success.headers["content-type"],
          retryAfter: response.success.headers["retry-after"],
          requestId: response.success.headers["x-request-id"],
          body: Result.getOrUndefined(yield* Effect.result(response.success.text))
        }
      out += transcriptEntry(scenario.name, step, outcome)
      next = steps.next(outcome)
    }
    return out
  }).pipe(Effect.provide(PostpressSimulator.layerHttpClient(options(scenario))))

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../../..")

describe("the conformance transcript", () => {
  it.effect("both editions' simulators answer the same requests with the same bytes", () =>
    Effect.gen(function*() {
      const transcript = (yield* Effect.forEach(scenarios, run)).join("")
      const actual = digest(transcript)
      if (actual !== goldenDigest) {
        const file = Path.join(Os.tmpdir(), "postpress-simulator-transcript.effect4.txt")
        Fs.writeFileSync(file, transcript)
        assert.fail(
          `the transcript's digest is ${actual}, not ${goldenDigest}: compare ${file} with the Effect 3 edition's (its Conformance test writes postpress-simulator-transcript.effect3.txt there when it fails)`
        )
      }
    }))
})

describe("the shared modules", () => {
  it("are copies of the Effect 3 edition's sources (node effect4/scripts/sync-shared.mjs)", () => {
    const check = ChildProcess.spawnSync(process.execPath, [
      Path.join(root, "effect4/scripts/sync-shared.mjs"),
      "--check"
    ], {
      encoding: "utf8"
    })
    assert.strictEqual(check.status, 0, check.stderr)
  })

  it.effect("each endpoint answers with their bodies, byte for byte", () =>
    Effect.gen(function*() {
      const simulator = yield* PostpressSimulator.PostpressSimulator
      const http = yield* HttpClient.HttpClient
      const { dataset } = simulator
      const get = (path: string) =>
        http.get(`${PostpressSimulator.inProcessBaseUrl}${path}`, { headers: { "x-api-key": simulator.apiKey } }).pipe(
          Effect.flatMap((response) => response.text)
        )
      for (let chat = 0; chat < dataset.chatCount; chat++) {
        const chatId = dataset.chatId(chat)
        assert.strictEqual(
          yield* get(`/chats/${chatId}`),
          JSON.stringify(Responses.retrieveChat(dataset, { chatId }).body)
        )
        assert.strictEqual(
          yield* get(`/chats/${chatId}/attendees`),
          JSON.stringify(Responses.listChatAttendees(dataset, { chatId }).body)
        )
        const page = Responses.listChatMessages(dataset, { chatId, limit: 7 })
        assert.strictEqual(yield* get(`/chats/${chatId}/messages?limit=7`), JSON.stringify(page.body))
        if (page.status === 200 && page.body.cursor !== null) {
          assert.strictEqual(
            Cursor.decode(page.body.cursor, `m:${chat}:undefined:undefined:undefined`),
            dataset.messageCount(chat) - 8
          )
          assert.strictEqual(
            yield* get(`/chats/${chatId}/messages?limit=7&cursor=${page.body.cursor}`),
            JSON.stringify(Responses.listChatMessages(dataset, { chatId, limit: 7, cursor: page.body.cursor }).body)
          )
        }
      }
      const attendeeIds = [dataset.attendeeId(0), dataset.attendeeId(1)]
      assert.strictEqual(
        yield* get(`/chat_attendees/${attendeeIds.join(",")}/chats?limit=3`),
        JSON.stringify(Responses.listAttendeeChats(dataset, { attendeeIds, limit: 3 }).body)
      )
      const messageId = dataset.messageId(2, 5)
      assert.strictEqual(
        yield* get(`/messages/${messageId}`),
        JSON.stringify(Responses.retrieveMessage(dataset, { messageId }).body)
      )
      assert.strictEqual(
        yield* get(`/messages/msg_x`),
        JSON.stringify(Responses.retrieveMessage(dataset, { messageId: "msg_x" }).body)
      )
    }).pipe(Effect.provide(PostpressSimulator.layerHttpClient({ seed: 11, chats: 14, messagesPerChat: 30 }))))
})

describe("the edition-neutral cursor codec", () => {
  // the vectors are effect 3's own answers (the Effect 3 edition's suite checks them against its Encoding)
  it("encodes as effect 3's Encoding.encodeBase64Url", () => {
    for (const [text, base64Url] of base64UrlVectors.encode) assert.strictEqual(Cursor.encodeBase64Url(text), base64Url)
  })

  it("decodes, and refuses, as effect 3's Encoding.decodeBase64UrlString", () => {
    for (const [base64Url, text] of base64UrlVectors.decode) {
      assert.strictEqual(Cursor.decodeBase64Url(base64Url) ?? null, text, JSON.stringify(base64Url))
    }
  })
})
