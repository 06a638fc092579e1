/**
 * The simulator's conformance transcript: scenarios of requests that both
 * editions' simulators answer in process, and the digest of their answers.
 * Both editions' suites drive these scenarios through their own
 * `PostpressSimulator.layerHttpClient` and check the same digest, so the two
 * simulators serve byte-identical bodies, statuses and headers for the same
 * seed and requests.
 *
 * No imports of `effect` here: both workspaces load this file.
 */
import * as Crypto from "node:crypto"

/** What a scenario needs of a simulator's dataset (the same names in both editions). */
export interface DatasetView {
  readonly chatCount: number
  readonly accountId: (account: number) => string
  readonly attendeeId: (index: number) => string
  readonly attendeeProviderId: (attendee: number) => string
  readonly selfOf: (account: number) => number
  readonly chatId: (index: number) => string
  readonly chatProviderId: (chat: number) => string
  readonly accountOfChat: (chat: number) => number
  readonly chatType: (chat: number) => 0 | 1 | 2
  readonly members: (chat: number) => ReadonlyArray<number>
  readonly messageCount: (chat: number) => number
  readonly messageId: (chat: number, message: number) => string
  readonly timestampMs: (chat: number, message: number) => number
  readonly chatOrder: ReadonlyArray<number>
}

/** A request of a scenario. */
export interface Step {
  readonly method?: "GET" | "POST" | undefined
  /** The path and query, from the origin: `/api/v1/chats/…`. */
  readonly url: string
  /** The `X-API-KEY`: the simulator's key when absent, none when `null`. */
  readonly apiKey?: string | null | undefined
  /** Milliseconds to move the clock forward before sending. */
  readonly advance?: number | undefined
  /**
   * The body's `detail` is the framework's message on a parameter the contract
   * refuses: each edition's HTTP framework words it its own way, so the
   * transcript keeps its presence, not its text.
   */
  readonly frameworkDetail?: boolean | undefined
}

/** What the simulator answered. */
export interface Outcome {
  /** The status, or `undefined` when the connection was reset. */
  readonly status: number | undefined
  readonly contentType: string | undefined
  readonly retryAfter: string | undefined
  readonly requestId: string | undefined
  /** The body's text; `undefined` when it was cut off (the `TruncatedBody` fault) or there was no response. */
  readonly body: string | undefined
}

/** A fault, as plain data: each edition's test builds its `Fault` from it. */
export type FaultSpec =
  | { readonly _tag: "Error"; readonly status: 401 | 403 | 404 | 500 | 503 | 504; readonly type?: string }
  | { readonly _tag: "TooManyRequests"; readonly retryAfterSeconds: number }
  | { readonly _tag: "ConnectionReset" }
  | { readonly _tag: "TruncatedBody" }
  | { readonly _tag: "BadGateway" }

/** A fault rule, as plain data (see `PostpressSimulator.FaultRule`). */
export interface FaultRuleSpec {
  readonly fault: FaultSpec
  readonly route?:
    | "chats.retrieve"
    | "chats.attendees.list"
    | "chats.messages.list"
    | "chatAttendees.chats.list"
    | "messages.retrieve"
  readonly requests?: ReadonlyArray<number>
  readonly probability?: number
  readonly times?: number
}

/** A scenario: a simulator's options and the requests sent to it, in order. */
export interface Scenario {
  readonly name: string
  readonly options: {
    readonly seed: number
    readonly accounts?: number
    readonly attendeesPerAccount?: number
    readonly chats?: number
    readonly messagesPerChat?: number
    readonly apiKeys?: ReadonlyArray<string>
    /** `arrivals`, with `every` in milliseconds. */
    readonly arrivals?: { readonly chats?: ReadonlyArray<number>; readonly everyMillis: number }
    /** `rateLimit`, with `interval` in milliseconds. */
    readonly rateLimit?: { readonly limit: number; readonly intervalMillis: number }
    readonly faults?: ReadonlyArray<FaultRuleSpec>
    /** `faultMix(rate)` with its default faults, after `faults`. */
    readonly faultMix?: number
  }
  /** The requests: each `yield` sends one and returns what the simulator answered. */
  readonly steps: (dataset: DatasetView) => Generator<Step, void, Outcome>
}

const json = (outcome: Outcome): any => JSON.parse(outcome.body ?? "null")

const iso = (ms: number) => new Date(ms).toISOString()

/** The scenarios, in order. */
export const scenarios: ReadonlyArray<Scenario> = [
  {
    name: "endpoints",
    options: { seed: 42, accounts: 7, attendeesPerAccount: 6, chats: 30, messagesPerChat: 40 },
    *steps(d) {
      const chat0 = d.chatId(0)
      // authentication
      yield { url: `/api/v1/chats/${chat0}`, apiKey: null }
      yield { url: `/api/v1/chats/${chat0}`, apiKey: "" }
      yield { url: `/api/v1/chats/${chat0}`, apiKey: "pp_live_not_this_one" }
      // chats.retrieve, under both prefixes
      for (const chat of [0, 1, 2, 3, 4, 5, 6, 11, 23, 29]) yield { url: `/api/v1/chats/${d.chatId(chat)}` }
      yield { url: `/v1/chats/${d.chatId(1)}` }
      const providerId = encodeURIComponent(d.chatProviderId(2))
      const account = d.accountOfChat(2)
      yield { url: `/api/v1/chats/${providerId}?account_id=${d.accountId(account)}` }
      yield { url: `/api/v1/chats/${providerId}` }
      yield { url: `/api/v1/chats/${providerId}?account_id=${d.accountId((account + 1) % 7)}` }
      yield { url: `/api/v1/chats/${chat0}?account_id=${d.accountId((d.accountOfChat(0) + 1) % 7)}` }
      yield { url: `/api/v1/chats/chat_123` }
      yield { url: `/api/v1/chats/chat_${"Z".repeat(26)}` }
      yield { url: `/api/v1/chats/${d.chatId(d.chatCount)}` }
      // chats.attendees.list
      for (const chat of [0, 1, 5]) yield { url: `/api/v1/chats/${d.chatId(chat)}/attendees` }
      yield { url: `/api/v1/chats/chat_!/attendees` }
      // chats.messages.list: pages to the end
      let cursor: string | null = null
      do {
        const page = json(
          yield {
            url: `/api/v1/chats/${chat0}/messages?limit=13${cursor === null ? "" : `&cursor=${cursor}`}`
          }
        )
        cursor = page?.cursor ?? null
      } while (cursor !== null)
      yield { url: `/api/v1/chats/${d.chatId(3)}/messages` }
      yield { url: `/api/v1/chats/${d.chatId(11)}/messages` }
      // before / after, across a shared timestamp (messages 33 and 34)
      const shared = iso(d.timestampMs(0, 34))
      yield { url: `/api/v1/chats/${chat0}/messages?after=${shared}` }
      yield { url: `/api/v1/chats/${chat0}/messages?before=${shared}&limit=5` }
      const between = json(
        yield {
          url: `/api/v1/chats/${chat0}/messages?after=${iso(d.timestampMs(0, 10))}&before=${
            iso(d.timestampMs(0, 20))
          }&limit=3`
        }
      )
      yield {
        url: `/api/v1/chats/${chat0}/messages?after=${iso(d.timestampMs(0, 10))}&before=${
          iso(d.timestampMs(0, 20))
        }&limit=3&cursor=${between.cursor}`
      }
      // sender_id: an attendee id, a provider id, one never issued, a malformed one
      const [self, other] = d.members(0)
      const bySender = json(
        yield { url: `/api/v1/chats/${chat0}/messages?sender_id=${d.attendeeId(other!)}&limit=4` }
      )
      yield {
        url: `/api/v1/chats/${chat0}/messages?sender_id=${d.attendeeId(other!)}&limit=4&cursor=${bySender.cursor}`
      }
      yield {
        url: `/api/v1/chats/${chat0}/messages?sender_id=${encodeURIComponent(d.attendeeProviderId(self!))}&limit=6`
      }
      yield { url: `/api/v1/chats/${chat0}/messages?sender_id=att_${"0".repeat(26)}` }
      yield { url: `/api/v1/chats/${chat0}/messages?sender_id=att_x&limit=2` }
      yield { url: `/api/v1/chats/${chat0}/messages?sender_id=nobody&limit=2` }
      // cursors that belong to another query, or to nothing
      yield { url: `/api/v1/chats/${chat0}/messages?limit=5&sender_id=x&cursor=${bySender.cursor}` }
      yield { url: `/api/v1/chats/${d.chatId(1)}/messages?cursor=${bySender.cursor}` }
      yield { url: `/api/v1/chats/${chat0}/messages?cursor=not-a-cursor` }
      yield { url: `/api/v1/chats/${chat0}/messages?cursor=eyJwIjo5OTksImYiOiIwIn0` }
      // parameters the contract refuses
      yield { url: `/api/v1/chats/${chat0}/messages?limit=251`, frameworkDetail: true }
      yield { url: `/api/v1/chats/${chat0}/messages?limit=0`, frameworkDetail: true }
      yield { url: `/api/v1/chats/${chat0}/messages?limit=abc`, frameworkDetail: true }
      yield { url: `/api/v1/chats/${chat0}/messages?after=yesterday`, frameworkDetail: true }
      yield { url: `/api/v1/chats/${chat0}/messages?limit=251`, apiKey: null }
      yield { url: `/api/v1/chats/chat_123/messages?limit=251`, frameworkDetail: true }
      // chatAttendees.chats.list
      const selfId = d.attendeeId(d.selfOf(0))
      cursor = null
      do {
        const page = json(
          yield { url: `/api/v1/chat_attendees/${selfId}/chats?limit=2${cursor === null ? "" : `&cursor=${cursor}`}` }
        )
        cursor = page?.cursor ?? null
      } while (cursor !== null)
      const oneToOne = d.chatOrder.filter((chat) => d.chatType(chat) === 0)
      const a = d.members(oneToOne[0]!)[1]!
      const b = d.members(oneToOne[1]!)[1]!
      yield {
        url: `/api/v1/chat_attendees/${d.attendeeId(a)},${encodeURIComponent(d.attendeeProviderId(b))}/chats`
      }
      yield { url: `/api/v1/chat_attendees/${selfId}/chats?account_id=${d.accountId(1)}` }
      yield { url: `/api/v1/chat_attendees/${selfId}/chats?account_id=${d.accountId(1)},${d.accountId(0)}` }
      const newest = d.chatOrder.find((chat) => d.chatType(chat) === 0 && d.accountOfChat(chat) === 0)!
      const lastActivity = iso(d.timestampMs(newest, d.messageCount(newest) - 1))
      yield { url: `/api/v1/chat_attendees/${selfId}/chats?before=${lastActivity}` }
      yield { url: `/api/v1/chat_attendees/${selfId}/chats?after=2025-01-01T00:00:00.000Z&limit=1` }
      yield { url: `/api/v1/chat_attendees/${selfId}/chats?cursor=${bySender.cursor}` }
      yield { url: `/api/v1/chat_attendees/att_bad/chats` }
      yield { url: `/api/v1/chat_attendees/att_${"0".repeat(26)}/chats` }
      yield { url: `/api/v1/chat_attendees/ACoAAnobody/chats` }
      // messages.retrieve
      for (const [chat, message] of [[0, 0], [0, 39], [1, 17], [4, 2], [6, 33]] as const) {
        yield { url: `/api/v1/messages/${d.messageId(chat, message)}` }
      }
      yield { url: `/api/v1/messages/msg_nope` }
      yield { url: `/api/v1/messages/msg_${"0".repeat(26)}` }
      yield { url: `/api/v1/messages/${d.messageId(0, d.messageCount(0))}` }
      yield { url: `/api/v1/messages/${d.messageId(11, 0)}` }
      // no such route
      yield { url: `/nope` }
      yield { url: `/api/v1/nope` }
      yield { url: `/api/v1/chats/${chat0}/nope` }
      yield { method: "POST", url: `/api/v1/chats/${chat0}` }
      yield { url: `/api/v1/nope`, apiKey: null }
      yield { method: "POST", url: `/api/v1/chats/${chat0}`, apiKey: "pp_live_not_this_one" }
      yield { url: `/nope`, apiKey: null }
      yield { url: `/api/v1/chats/${chat0}?account_id=`, frameworkDetail: true }
      yield { url: `/api/v1/chat_attendees/${selfId},/chats`, frameworkDetail: true }
      yield { url: `/api/v1/chats/${chat0}/messages?limit=2&limit=3`, frameworkDetail: true }
    }
  },
  {
    name: "faults and rate limit",
    options: {
      seed: 7,
      chats: 6,
      messagesPerChat: 12,
      rateLimit: { limit: 20, intervalMillis: 1000 },
      faults: [
        { route: "chats.attendees.list", requests: [3], fault: { _tag: "TruncatedBody" } },
        { route: "messages.retrieve", requests: [2, 5], fault: { _tag: "Error", status: 503 } },
        { route: "chats.retrieve", requests: [1], fault: { _tag: "Error", status: 404, type: "errors/gone" } },
        { probability: 0.1, times: 2, fault: { _tag: "TooManyRequests", retryAfterSeconds: 3 } }
      ],
      faultMix: 0.35
    },
    *steps(d) {
      for (let i = 0; i < 60; i++) {
        const chat = i % d.chatCount
        const route = i % 5
        yield {
          url: route === 0
            ? `/api/v1/chats/${d.chatId(chat)}`
            : route === 1
            ? `/api/v1/chats/${d.chatId(chat)}/attendees`
            : route === 2
            ? `/api/v1/chats/${d.chatId(chat)}/messages?limit=3`
            : route === 3
            ? `/api/v1/chat_attendees/${d.attendeeId(d.selfOf(0))}/chats?limit=2`
            : `/api/v1/messages/${d.messageId(chat, i % 12)}`,
          advance: i === 40 ? 1000 : undefined
        }
      }
    }
  },
  {
    name: "arrivals",
    options: { seed: 3, chats: 3, messagesPerChat: 5, arrivals: { chats: [0, 2], everyMillis: 1000 } },
    *steps(d) {
      yield { url: `/api/v1/chats/${d.chatId(0)}/messages?limit=2` }
      yield { url: `/api/v1/chats/${d.chatId(0)}`, advance: 2500 }
      yield { url: `/api/v1/chats/${d.chatId(0)}/messages?limit=3` }
      yield { url: `/api/v1/chats/${d.chatId(1)}/messages?limit=1` }
      yield { url: `/api/v1/chats/${d.chatId(2)}/messages?limit=1`, advance: 10_000 }
      yield { url: `/api/v1/chat_attendees/${d.attendeeId(d.selfOf(0))}/chats` }
    }
  }
]

/**
 * The cursor codec's base64url, as effect 3's `Encoding.encodeBase64Url` and
 * `Encoding.decodeBase64UrlString` answer (`null`: refused), edge cases
 * included. Effect 4's `Base64Url` refuses some inputs effect 3 accepted
 * (`AB=`), so the shared codec keeps effect 3's rules, and both editions'
 * suites check it against these.
 */
export const base64UrlVectors: {
  readonly encode: ReadonlyArray<readonly [text: string, base64Url: string]>
  readonly decode: ReadonlyArray<readonly [base64Url: string, text: string | null]>
} = {
  encode: [
    ["", ""],
    ["a", "YQ"],
    ["ab", "YWI"],
    ["abc", "YWJj"],
    ["abcd", "YWJjZA"],
    ["{\"p\":41,\"f\":\"1x2y3z\"}", "eyJwIjo0MSwiZiI6IjF4MnkzeiJ9"],
    ["\u00e9\ud83d\ude00", "w6nwn5iA"],
    ["\ud800", "77-9"],
    ["\u0000\u00ff~", "AMO_fg"],
    ["???>>>", "Pz8_Pj4-"]
  ],
  decode: [
    ["", ""],
    ["A", null],
    ["AB", "\u0000"],
    ["ABC", "\u0000\u0010"],
    ["ABCD", "\u0000\u0010\ufffd"],
    ["AB=", "\u0000"],
    ["AB==", "\u0000"],
    ["ABC=", "\u0000\u0010"],
    ["ABCD=", null],
    ["A===", null],
    ["AB=C", null],
    ["=", null],
    ["==", null],
    ["YWJj\r\nZA", "abcd"],
    ["ab+/", null],
    ["Pz8_Pj4-", "???>>>"],
    ["ab!c", null],
    ["YWJj ZA", null],
    ["gA", "\ufffd"],
    ["77u_YQ", "a"],
    ["w6nwn5iA", "\u00e9\ud83d\ude00"],
    ["ABCDE", null],
    ["ABCDEF=", "\u0000\u0010\ufffd\u0010"],
    ["ABCDEF==", "\u0000\u0010\ufffd\u0010"],
    ["eyJwIjo0MSwiZiI6IjF4MnkzeiJ9", "{\"p\":41,\"f\":\"1x2y3z\"}"],
    ["eyJwIjo0MSwiZiI6IjF4MnkzeiJ9=", null],
    ["eyJwIjo0MSwiZiI6IjF4MnkzeiJ9\n", "{\"p\":41,\"f\":\"1x2y3z\"}"],
    ["\u00e9", null]
  ]
}

/** One line per request and one per answer, then the body: what the digest is taken of. */
export const transcriptEntry = (scenario: string, step: Step, outcome: Outcome): string => {
  let body = outcome.body
  if (step.frameworkDetail === true && body !== undefined) {
    const parsed = JSON.parse(body)
    if (typeof parsed?.detail === "string") body = JSON.stringify({ ...parsed, detail: "<framework>" })
  }
  return [
    `${scenario} | ${step.method ?? "GET"} ${step.url} | key ${
      step.apiKey === null ? "none" : step.apiKey === undefined ? "default" : JSON.stringify(step.apiKey)
    } | +${step.advance ?? 0}ms`,
    `${outcome.status ?? "reset"} | ${outcome.contentType ?? "-"} | retry-after ${outcome.retryAfter ?? "-"} | ${
      outcome.requestId ?? "-"
    }`,
    body ?? "<no body>",
    ""
  ].join("\n")
}

/** The SHA-256 of a transcript, in hex. */
export const digest = (transcript: string): string => Crypto.createHash("sha256").update(transcript).digest("hex")

/** The digest of the transcript both editions' simulators produce. */
export const goldenDigest = "8e7026f4bded6aab5712ffb0adbf719d16bc085cdf1d2b29b1d253fd8f2f31c5"
