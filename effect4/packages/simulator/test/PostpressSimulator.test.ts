import { assert, describe, it } from "@effect/vitest"
import type { PostpressError } from "@postpress/core"
import { Chat, ChatAttendee, Message, PostpressClient, PostpressConfig } from "@postpress/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/testing/TestClock"
import { onSimulator, raw } from "../../core/test/utils.js"
import { PostpressSimulator } from "../src/index.js"

const Fault = PostpressSimulator.Fault

/** A client with another key, against the same in-process simulator. */
const clientWithKey = (apiKey: string, options: PostpressSimulator.Options = {}) =>
  PostpressClient.layer.pipe(
    Layer.provide(
      PostpressConfig.layer({ ...raw, apiKey: Redacted.make(apiKey), baseUrl: PostpressSimulator.inProcessBaseUrl })
    ),
    Layer.provide(PostpressSimulator.layerHttpClient(options))
  )

const collectMessages = (
  client: PostpressClient.Service,
  chatId: string,
  options: PostpressClient.ListMessagesOptions
) =>
  Effect.gen(function*() {
    const items: Array<Message.Message> = []
    let cursor: string | undefined
    let pages = 0
    do {
      const page = yield* client.chats.messages.list(chatId, { ...options, cursor })
      for (const item of page.items) items.push(item)
      cursor = page.cursor ?? undefined
      pages++
    } while (cursor !== undefined)
    return { items, pages }
  })

describe("generated data", () => {
  const seeds = [1, 7, 2026]
  for (const seed of seeds) {
    it(`seed ${seed}: every chat, attendee and message decodes with the client's schemas and encodes back`, () => {
      const { dataset } = Effect.runSync(
        Effect.scoped(PostpressSimulator.make({ seed, accounts: 7, chats: 40, messagesPerChat: 150 }))
      )
      for (let chat = 0; chat < dataset.chatCount; chat++) {
        const count = dataset.messageCount(chat)
        const wire = { ...dataset.chat(chat), lastMessage: count === 0 ? null : dataset.message(chat, count - 1) }
        assert.deepStrictEqual(
          Schema.encodeSync(Chat.ChatWithLastMessage)(Schema.decodeUnknownSync(Chat.ChatWithLastMessage)(wire)),
          wire
        )
        for (let message = 0; message < count; message++) {
          const m = dataset.message(chat, message)
          assert.deepStrictEqual(Schema.encodeSync(Message.Message)(Schema.decodeUnknownSync(Message.Message)(m)), m)
        }
      }
      for (let attendee = 0; attendee < dataset.attendeeCount; attendee++) {
        Schema.decodeUnknownSync(ChatAttendee.ChatAttendee)(dataset.attendee(attendee))
      }
    })
  }

  it("covers everything the reference allows, in proportion", () => {
    const { dataset } = Effect.runSync(
      Effect.scoped(PostpressSimulator.make({ seed: 3, accounts: 7, chats: 280, messagesPerChat: 100 }))
    )
    const seen = new Set<string>()
    let messages = 0
    let withAttachments = 0
    for (let chat = 0; chat < dataset.chatCount; chat++) {
      const c = dataset.chat(chat)
      seen.add(`account_type:${c.account_type}`).add(`chat_type:${c.type}`).add(`read_only:${c.read_only}`)
      if (c.muted_until === -1) seen.add("muted:forever")
      if (typeof c.muted_until === "string") seen.add("muted:until")
      if (c.name === null) seen.add("chat:name-null")
      if (c.timestamp === null) seen.add("chat:empty")
      for (const folder of c.folder ?? []) seen.add(folder.startsWith("INBOX") ? `folder:${folder}` : "folder:custom")
      if (c.content_type !== undefined) seen.add(`content_type:${c.content_type}`)
      for (let index = 0; index < dataset.messageCount(chat); index++) {
        const m = dataset.message(chat, index)
        messages++
        if (m.attachments.length > 0) withAttachments++
        for (const attachment of m.attachments) seen.add(`attachment:${attachment.type}`)
        if (m.text === null) seen.add("text:null")
        if (m.quoted) seen.add("quoted")
        if (m.reply_to) seen.add("reply_to")
        if (m.reactions.length > 0) seen.add("reactions")
        if (m.is_event === 1) seen.add("event")
        if (m.deleted === 1) seen.add("deleted")
        if (m.edited === 1) seen.add("edited")
        if (m.hidden === 1) seen.add("hidden")
        if (m.replies !== undefined) seen.add("thread")
        if (m.parent !== undefined) seen.add("parent")
        if (m.message_type !== undefined) seen.add(`message_type:${m.message_type}`)
        if (m.is_forwarded) seen.add("forwarded")
        if (m.message_id !== undefined) seen.add("message_id")
      }
    }
    for (let attendee = 0; attendee < dataset.attendeeCount; attendee++) {
      const a = dataset.attendee(attendee)
      seen.add(`specifics:${a.specifics?.provider ?? "none"}`)
      if (a.specifics?.provider === "LINKEDIN" && "contact_info" in a.specifics) seen.add("contact_info")
    }
    const expected = [
      ..."WHATSAPP LINKEDIN SLACK TWITTER MESSENGER INSTAGRAM TELEGRAM".split(" ").map((t) => `account_type:${t}`),
      "chat_type:0",
      "chat_type:1",
      "chat_type:2",
      "read_only:1",
      "muted:forever",
      "muted:until",
      "chat:empty",
      "chat:name-null",
      "folder:INBOX",
      "folder:INBOX_LINKEDIN_CLASSIC",
      "folder:custom",
      "content_type:inmail",
      ...["img", "video", "audio", "file", "linkedin_post", "video_meeting"].map((t) => `attachment:${t}`),
      "text:null",
      "quoted",
      "reply_to",
      "reactions",
      "event",
      "deleted",
      "edited",
      "hidden",
      "thread",
      "parent",
      "message_type:MESSAGE",
      "message_type:INMAIL",
      "forwarded",
      "message_id",
      "specifics:LINKEDIN",
      "specifics:INSTAGRAM",
      "specifics:none",
      "contact_info"
    ]
    for (const item of expected) assert.isTrue(seen.has(item), `the dataset has no ${item}`)
    // realistic proportions: most messages are plain text
    assert.isAbove(withAttachments / messages, 0.05)
    assert.isBelow(withAttachments / messages, 0.2)
  })

  it("is deterministic per seed, and differs between seeds", () => {
    const sample = (seed: number) =>
      Effect.runSync(
        Effect.scoped(Effect.map(PostpressSimulator.make({ seed, chats: 12, messagesPerChat: 30 }), ({ dataset }) =>
          JSON.stringify([dataset.chat(3), dataset.message(2, 17), dataset.attendee(5), dataset.chatOrder])))
      )
    assert.strictEqual(sample(11), sample(11))
    assert.notStrictEqual(sample(11), sample(12))
  })

  it.effect("responses are identical for the same seed", () =>
    Effect.gen(function*() {
      const run = onSimulator({ seed: 5, chats: 6, messagesPerChat: 40 }, (client, simulator) =>
        Effect.gen(function*() {
          const chat = yield* client.chats.retrieve(simulator.dataset.chatId(1))
          const page = yield* client.chats.messages.list(chat.id, { limit: 10 })
          const chats = yield* client.chatAttendees.chats.list(simulator.dataset.attendeeId(0))
          return JSON.stringify([
            Schema.encodeSync(Chat.ChatWithLastMessage)(chat),
            Schema.encodeSync(Message.MessageList)(page),
            Schema.encodeSync(Chat.ChatList)(chats)
          ])
        }))
      assert.strictEqual(yield* run, yield* run)
    }))

  it.effect("a chat of 2^30 messages is served from indexes, never materialised", () =>
    onSimulator({ chats: 1, messagesPerChat: 2 ** 30 }, (client, simulator) =>
      Effect.gen(function*() {
        const chatId = simulator.dataset.chatId(0)
        const chat = yield* client.chats.retrieve(chatId)
        assert.strictEqual(chat.lastMessage?.id, simulator.dataset.messageId(0, 2 ** 30 - 1))
        const first = yield* client.chats.messages.list(chatId, { limit: 250 })
        assert.strictEqual(first.items.length, 250)
        const middle = simulator.dataset.message(0, 2 ** 29)
        const around = yield* client.chats.messages.list(chatId, { before: middle.timestamp, limit: 2 })
        assert.isTrue(around.items.every((m) => m.timestamp < middle.timestamp))
        const oldest = yield* client.chats.messages.list(chatId, {
          before: simulator.dataset.message(0, 3).timestamp,
          limit: 250
        })
        assert.deepStrictEqual(oldest.items.map((m) => m.id), [2, 1, 0].map((i) => simulator.dataset.messageId(0, i)))
        assert.isNull(oldest.cursor)
      })))
})

describe("authentication", () => {
  it.effect("no key is 401 errors/missing_credentials, a wrong key errors/invalid_credentials", () =>
    Effect.gen(function*() {
      const missing = yield* Effect.flip(
        Effect.flatMap(PostpressClient.PostpressClient, (c) => c.messages.retrieve("msg_x")).pipe(
          Effect.provide(clientWithKey(""))
        )
      )
      assert.strictEqual(missing._tag === "Unauthorized" && missing.type, "errors/missing_credentials")
      const wrong = yield* Effect.flip(
        Effect.flatMap(PostpressClient.PostpressClient, (c) => c.messages.retrieve("msg_x")).pipe(
          Effect.provide(clientWithKey("pp_live_not_this_one"))
        )
      )
      assert.strictEqual(wrong._tag === "Unauthorized" && wrong.type, "errors/invalid_credentials")
    }))

  it.effect("other keys can be accepted", () =>
    Effect.gen(function*() {
      const message = yield* PostpressClient.PostpressClient.pipe(
        Effect.flatMap((c) => c.chats.attendees.list("chat_x")),
        Effect.flip,
        Effect.provide(clientWithKey("pp_live_mine", { apiKeys: ["pp_live_mine"] }))
      )
      assert.strictEqual(message._tag, "NotFound")
    }))
})

describe("404", () => {
  it.effect("a well-formed id that matches nothing is resource_not_found; a malformed one invalid_resource_identifier", () =>
    onSimulator({}, (client, simulator) =>
      Effect.gen(function*() {
        const type = (effect: Effect.Effect<unknown, PostpressError.PostpressError>) =>
          Effect.map(Effect.flip(effect), (e) => (e._tag === "NotFound" ? e.type : e._tag))
        const unknownMessage = "msg_" + "0".repeat(26)
        assert.strictEqual(yield* type(client.messages.retrieve(unknownMessage)), "errors/resource_not_found")
        assert.strictEqual(yield* type(client.messages.retrieve("msg_nope")), "errors/invalid_resource_identifier")
        assert.strictEqual(yield* type(client.chats.retrieve("chat_" + "Z".repeat(26))), "errors/resource_not_found")
        assert.strictEqual(yield* type(client.chats.attendees.list("chat_123")), "errors/invalid_resource_identifier")
        assert.strictEqual(yield* type(client.chats.messages.list("chat_!")), "errors/invalid_resource_identifier")
        assert.strictEqual(
          yield* type(client.chatAttendees.chats.list("att_bad")),
          "errors/invalid_resource_identifier"
        )
        assert.strictEqual(yield* type(client.chatAttendees.chats.list("ACoAAnobody")), "errors/resource_not_found")
        // an id of a message beyond the chat's end was never issued
        assert.strictEqual(
          yield* type(client.messages.retrieve(simulator.dataset.messageId(0, simulator.dataset.messageCount(0)))),
          "errors/resource_not_found"
        )
      })))

  it.effect("a provider chat id resolves only with its account_id", () =>
    onSimulator({}, (client, simulator) =>
      Effect.gen(function*() {
        const providerId = simulator.dataset.chatProviderId(2)
        const accountId = simulator.dataset.accountId(simulator.dataset.accountOfChat(2))
        const chat = yield* client.chats.retrieve(providerId, { account_id: accountId })
        assert.strictEqual(chat.id, simulator.dataset.chatId(2))
        const without = yield* Effect.flip(client.chats.retrieve(providerId))
        assert.strictEqual(without._tag === "NotFound" && without.type, "errors/invalid_resource_identifier")
        const otherAccount = simulator.dataset.accountId((simulator.dataset.accountOfChat(2) + 1) % 3)
        const wrong = yield* Effect.flip(client.chats.retrieve(providerId, { account_id: otherAccount }))
        assert.strictEqual(wrong._tag === "NotFound" && wrong.type, "errors/resource_not_found")
      })))
})

describe("messages list", () => {
  it.effect("cursors to exhaustion: every message once, newest first, the last cursor null", () =>
    onSimulator({ chats: 2, messagesPerChat: 123 }, (client, simulator) =>
      Effect.gen(function*() {
        const chatId = simulator.dataset.chatId(0)
        const { items, pages } = yield* collectMessages(client, chatId, { limit: 10 })
        assert.strictEqual(pages, 13)
        assert.strictEqual(items.length, 123)
        assert.strictEqual(new Set(items.map((m) => m.id)).size, 123)
        assert.deepStrictEqual(
          items.map((m) => m.id),
          Array.from({ length: 123 }, (_, i) => simulator.dataset.messageId(0, 122 - i))
        )
        for (let i = 1; i < items.length; i++) assert.isTrue(items[i - 1]!.timestamp >= items[i]!.timestamp)
      })))

  it.effect("the default page is 100, the largest 250; 251 is refused by the server too", () =>
    onSimulator({ chats: 1, messagesPerChat: 300 }, (client, simulator) =>
      Effect.gen(function*() {
        const chatId = simulator.dataset.chatId(0)
        assert.strictEqual((yield* client.chats.messages.list(chatId)).items.length, 100)
        assert.strictEqual((yield* client.chats.messages.list(chatId, { limit: 250 })).items.length, 250)
        const http = yield* HttpClient.HttpClient.pipe(Effect.provide(PostpressSimulator.layerHttpClient()))
        const response = yield* http.get(`${PostpressSimulator.inProcessBaseUrl}/chats/${chatId}/messages?limit=251`, {
          headers: { "x-api-key": simulator.apiKey }
        })
        assert.strictEqual(response.status, 400)
        assert.strictEqual(((yield* response.json) as any).type, "errors/invalid_parameters")
      })))

  it.effect("before and after are strictly exclusive, also across shared timestamps", () =>
    onSimulator({ chats: 1, messagesPerChat: 120 }, (client, simulator) =>
      Effect.gen(function*() {
        const chatId = simulator.dataset.chatId(0)
        // messages 33 and 34 share a timestamp (every 17th shares the previous one's)
        const shared = simulator.dataset.message(0, 34).timestamp
        assert.strictEqual(simulator.dataset.message(0, 33).timestamp, shared)
        const after = (yield* collectMessages(client, chatId, { after: shared })).items
        assert.strictEqual(after.length, 120 - 35)
        assert.isTrue(after.every((m) => m.timestamp > shared))
        const before = (yield* collectMessages(client, chatId, { before: shared })).items
        assert.strictEqual(before.length, 33)
        assert.isTrue(before.every((m) => m.timestamp < shared))
        const lo = simulator.dataset.message(0, 10).timestamp
        const hi = simulator.dataset.message(0, 20).timestamp
        const between = (yield* collectMessages(client, chatId, { after: lo, before: hi, limit: 3 })).items
        assert.deepStrictEqual(
          between.map((m) => m.id),
          [19, 18, 17, 16, 15, 14, 13, 12, 11].map((i) => simulator.dataset.messageId(0, i))
        )
      })))

  it.effect("sender_id filters by attendee id or provider id", () =>
    onSimulator({ chats: 1, messagesPerChat: 200 }, (client, simulator) =>
      Effect.gen(function*() {
        const chatId = simulator.dataset.chatId(0)
        const [self, other] = simulator.dataset.members(0)
        const expected = Array.from({ length: 200 }, (_, i) => i).filter((i) =>
          simulator.dataset.senderOf(0, i) === other
        )
        const byId =
          (yield* collectMessages(client, chatId, { sender_id: simulator.dataset.attendeeId(other!), limit: 25 })).items
        assert.deepStrictEqual(byId.map((m) => m.id), expected.reverse().map((i) => simulator.dataset.messageId(0, i)))
        const byProviderId = (yield* collectMessages(client, chatId, {
          sender_id: simulator.dataset.attendeeProviderId(self!)
        })).items
        assert.isTrue(byProviderId.length > 0 && byProviderId.every((m) => m.is_sender === 1))
      })))

  it.effect("a cursor from another query is refused", () =>
    onSimulator({ chats: 2, messagesPerChat: 50 }, (client, simulator) =>
      Effect.gen(function*() {
        const page = yield* client.chats.messages.list(simulator.dataset.chatId(0), { limit: 5 })
        const error = yield* Effect.flip(
          client.chats.messages.list(simulator.dataset.chatId(0), { limit: 5, sender_id: "x", cursor: page.cursor! })
        )
        assert.strictEqual(error._tag === "UnexpectedStatus" && error.status, 400)
      })))
})

describe("attendees and their chats", () => {
  it.effect("a chat's attendees: self first, cursor always null", () =>
    onSimulator({}, (client, simulator) =>
      Effect.gen(function*() {
        const list = yield* client.chats.attendees.list(simulator.dataset.chatId(0))
        assert.isNull(list.cursor)
        assert.strictEqual(list.items[0]?.is_self, 1)
        assert.deepStrictEqual(
          list.items.map((a) => a.id),
          simulator.dataset.members(0).map(simulator.dataset.attendeeId)
        )
      })))

  it.effect("an attendee's 1:1 chats, newest first, paginated; several ids; account filter", () =>
    onSimulator({ chats: 60, messagesPerChat: 5 }, (client, simulator) =>
      Effect.gen(function*() {
        const { dataset } = simulator
        const self = dataset.attendeeId(dataset.selfOf(0))
        const expected = dataset.chatOrder.filter((c) => dataset.accountOfChat(c) === 0 && dataset.chatType(c) === 0)
        const items: Array<Chat.Chat> = []
        let cursor: string | undefined
        do {
          const page = yield* client.chatAttendees.chats.list(self, { limit: 3, cursor })
          for (const item of page.items) items.push(item)
          cursor = page.cursor ?? undefined
        } while (cursor !== undefined)
        assert.deepStrictEqual(items.map((c) => c.id), expected.map(dataset.chatId))

        const other = dataset.members(expected[0]!)[1]!
        const both = yield* client.chatAttendees.chats.list([
          dataset.attendeeId(other),
          dataset.attendeeProviderId(dataset.members(expected[1]!)[1]!)
        ])
        assert.isTrue(both.items.some((c) => c.id === dataset.chatId(expected[0]!)))
        assert.isTrue(both.items.some((c) => c.id === dataset.chatId(expected[1]!)))

        const none = yield* client.chatAttendees.chats.list(self, { account_id: dataset.accountId(1) })
        assert.strictEqual(none.items.length, 0)
        const after = yield* client.chatAttendees.chats.list(self, { after: items[2]!.timestamp! })
        assert.deepStrictEqual(after.items.map((c) => c.id), items.slice(0, 2).map((c) => c.id))
      })))
})

describe("faults", () => {
  it.effect("scripted: the 3rd request to the messages list fails with 503, the others succeed", () =>
    onSimulator(
      {
        faults: [{
          route: "chats.messages.list",
          requests: [3],
          fault: Fault.Error({ status: 503, type: "errors/network_down" })
        }]
      },
      (client, simulator) =>
        Effect.gen(function*() {
          const chatId = simulator.dataset.chatId(0)
          yield* client.chats.retrieve(chatId)
          const results = yield* Effect.forEach([1, 2, 3, 4], () => Effect.result(client.chats.messages.list(chatId)))
          assert.deepStrictEqual(results.map(Result.isSuccess), [true, true, false, true])
          const error = Result.getFailure(results[2]!)
          assert.strictEqual(
            error._tag === "Some" && error.value._tag === "ServiceUnavailable" && error.value.type,
            "errors/network_down"
          )
          assert.deepStrictEqual((yield* simulator.requests).map((r) => r.fault), [
            undefined,
            undefined,
            undefined,
            "Error",
            undefined
          ])
        })
    ))

  it.effect("every fault reaches the client as its tagged error", () =>
    onSimulator({}, (client, simulator) =>
      Effect.gen(function*() {
        const chatId = simulator.dataset.chatId(0)
        const outcome = (fault: PostpressSimulator.Fault) =>
          Effect.gen(function*() {
            yield* simulator.setFaults([{ fault, times: 1 }])
            return yield* Effect.flip(client.chats.messages.list(chatId))
          })
        for (const status of [401, 403, 404, 500, 503, 504] as const) {
          const error = yield* outcome(Fault.Error({ status }))
          assert.strictEqual((error as PostpressError.ApiError).status, status)
        }
        const limited = yield* outcome(Fault.TooManyRequests({ retryAfterSeconds: 7 }))
        assert.deepStrictEqual(limited._tag === "TooManyRequests" && limited.retryAfter, Duration.seconds(7))
        assert.strictEqual((yield* outcome(Fault.ConnectionReset()))._tag, "TransportError")
        assert.strictEqual((yield* outcome(Fault.TruncatedBody()))._tag, "TransportError")
        const gateway = yield* outcome(Fault.BadGateway())
        assert.strictEqual(gateway._tag === "UnexpectedStatus" && gateway.status, 502)
        assert.include((gateway as PostpressError.UnexpectedStatus).excerpt, "502 Bad Gateway")
        // `times: 1` is spent: the next request succeeds
        assert.strictEqual((yield* client.chats.messages.list(chatId)).object, "MessageList")
      })))

  it.effect("latency delays the response on the clock", () =>
    onSimulator(
      { faults: [{ fault: Fault.Latency({ duration: "2 seconds" }) }] },
      (client, simulator) =>
        Effect.gen(function*() {
          const fiber = yield* Effect.forkChild(client.messages.retrieve(simulator.dataset.messageId(0, 0)))
          yield* TestClock.adjust("1999 millis")
          assert.isUndefined(fiber.pollUnsafe())
          yield* TestClock.adjust("1 millis")
          const message = yield* Fiber.join(fiber)
          assert.strictEqual(message.id, simulator.dataset.messageId(0, 0))
        })
    ))

  it.effect("seeded probabilities are reproducible", () =>
    Effect.gen(function*() {
      const run = onSimulator(
        { seed: 9, faults: [{ probability: 0.3, fault: Fault.Error({ status: 500, type: "errors/provider_error" }) }] },
        (client, simulator) =>
          Effect.forEach(Array.from({ length: 40 }), () =>
            Effect.map(Effect.result(client.messages.retrieve(simulator.dataset.messageId(0, 0))), Result.isFailure))
      )
      const first = yield* run
      assert.deepStrictEqual(yield* run, first)
      const failures = first.filter(Boolean).length
      assert.isAbove(failures, 4)
      assert.isBelow(failures, 24)
    }))
})

describe("rate limit", () => {
  it.effect("a token bucket per key answers 429 with Retry-After, and refills over time", () =>
    onSimulator({ rateLimit: { limit: 2, interval: "1 second" } }, (client, simulator) =>
      Effect.gen(function*() {
        const id = simulator.dataset.messageId(0, 0)
        yield* client.messages.retrieve(id)
        yield* client.messages.retrieve(id)
        const limited = yield* Effect.flip(client.messages.retrieve(id))
        assert.strictEqual(limited._tag, "TooManyRequests")
        assert.deepStrictEqual((limited as PostpressError.TooManyRequests).retryAfter, Duration.seconds(1))
        yield* TestClock.adjust("500 millis")
        yield* client.messages.retrieve(id)
        assert.strictEqual((yield* Effect.flip(client.messages.retrieve(id)))._tag, "TooManyRequests")
      })))
})

describe("request log", () => {
  it.effect("records what the client sent", () =>
    onSimulator({}, (client, simulator) =>
      Effect.gen(function*() {
        yield* client.chats.messages.list(simulator.dataset.chatId(0), { limit: 5, sender_id: "att_x" })
        const [request] = yield* simulator.requests
        assert.strictEqual(request?.route, "chats.messages.list")
        assert.strictEqual(request?.method, "GET")
        assert.strictEqual(request?.path, `/chats/${simulator.dataset.chatId(0)}/messages`)
        assert.deepStrictEqual(request?.query, { limit: "5", sender_id: "att_x" })
        assert.strictEqual(request?.apiKey, simulator.apiKey)
        yield* simulator.clearRequests
        assert.strictEqual((yield* simulator.requests).length, 0)
      })))
})
