import { assert, describe, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as fs from "node:fs"
import * as path from "node:path"
import { extractExampleResponse } from "../../../../conformance/fixtures/extract.js"
import { fixture, fixtureText, referenceDir, referencePages } from "../../../../conformance/fixtures/index.js"
import * as Attachment from "../src/Attachment.js"
import * as Chat from "../src/Chat.js"
import * as ChatAttendee from "../src/ChatAttendee.js"
import * as Message from "../src/Message.js"

const cases = [
  ["chat-attendee-list", ChatAttendee.ChatAttendeeList],
  ["chat-list", Chat.ChatList],
  ["chat-with-last-message", Chat.ChatWithLastMessage],
  ["message-list", Message.MessageList],
  ["message", Message.Message]
] as const

describe("reference examples", () => {
  for (const [name, schema] of cases) {
    it(`${name} decodes, and encodes back to the same JSON`, () => {
      const wire = fixture(name)
      const decoded = Schema.decodeUnknownSync(schema)(wire)
      assert.isTrue(Schema.is(schema)(decoded))
      assert.deepStrictEqual(Schema.encodeSync(schema)(decoded), wire)
    })
  }

  // skipped where the checkout has no shared/reference beside it; always listed, so both editions' test map agree
  it("fixtures are verbatim copies of the reference examples", (context) => {
    if (referenceDir === undefined) return context.skip()
    for (const [name, page] of Object.entries(referencePages)) {
      const text = fs.readFileSync(path.join(referenceDir!, page), "utf8")
      assert.strictEqual(fixtureText(name as keyof typeof referencePages).trimEnd(), extractExampleResponse(text))
    }
  })

  it("decodes the documented fields with their types", () => {
    const chat = Schema.decodeUnknownSync(Chat.ChatWithLastMessage)(fixture("chat-with-last-message"))
    assert.strictEqual(chat.account_type, "LINKEDIN")
    assert.strictEqual(chat.muted_until, null)
    assert.deepStrictEqual(chat.folder, ["INBOX", "INBOX_LINKEDIN_CLASSIC"])
    assert.isTrue(Schema.is(Chat.Chat)(chat))
    assert.isTrue(Schema.is(Message.Message)(chat.lastMessage))
    assert.deepStrictEqual(chat.lastMessage?.seen_by, { att_01HXYZ4QK3WJ8FN3M6QH7TZ8GR: true })

    const attendees = Schema.decodeUnknownSync(ChatAttendee.ChatAttendeeList)(fixture("chat-attendee-list"))
    const specifics = attendees.items[0]!.specifics
    assert.isTrue(Schema.is(ChatAttendee.LinkedInSpecifics)(specifics))
    assert.strictEqual(specifics?.provider === "LINKEDIN" && specifics.network_distance, "DISTANCE_2")
  })
})

const message = (overrides: Record<string, unknown>) => ({ ...fixture("message"), ...overrides })

const roundTrips = <A, I>(schema: Schema.Codec<A, I>, wire: unknown): A => {
  const decoded = Schema.decodeUnknownSync(schema)(wire)
  assert.deepStrictEqual(Schema.encodeSync(schema)(decoded), wire)
  return decoded
}

describe("every attachment variant", () => {
  const base = { id: "att_1", unavailable: false, mimetype: "image/png", url: "https://x/y", url_expires_at: 1 }
  const variants = [
    { ...base, type: "img", size: { width: 10, height: 20 }, sticker: false, file_size: 123 },
    { ...base, type: "video", size: { width: 10, height: 20 }, gif: true },
    { ...base, type: "audio", duration: 12, voice_note: true },
    { id: "a", type: "audio", unavailable: true, voice_note: false },
    { ...base, type: "file", file_name: "report.pdf" },
    { ...base, type: "linkedin_post" },
    { ...base, type: "video_meeting", starts_at: 1700000000, expires_at: null, time_range: 3600 }
  ]

  it("decodes each documented variant to its class and encodes it back", () => {
    const decoded = roundTrips(Message.Message, message({ attachments: variants }))
    assert.deepStrictEqual(decoded.attachments.map((a) => a.type), variants.map((v) => v.type))
    assert.isTrue(Schema.is(Attachment.ImgAttachment)(decoded.attachments[0]))
    assert.isTrue(Schema.is(Attachment.VideoMeetingAttachment)(decoded.attachments[6]))
  })

  it("keeps quoted messages, reactions, replies and every optional field", () => {
    const wire = message({
      message_id: "msg_alias",
      text: null,
      quoted: {
        message_id: "msg_0",
        provider_id: "p0",
        sender_id: "s0",
        text: null,
        attachments: variants.slice(0, 2)
      },
      is_forwarded: true,
      reactions: [{ value: "👍", sender_id: "s1", is_sender: true }],
      seen_by: { att_1: "2026-05-17T09:42:11.000Z", att_2: false },
      behavior: null,
      event_type: 3,
      replies: 2,
      reply_by: ["att_2"],
      parent: "msg_parent",
      subject: null,
      message_type: "INMAIL",
      attendee_type: "ORGANIZATION",
      attendee_distance: -1,
      sender_urn: "urn:li:member:1",
      reply_to: {
        id: "msg_0",
        provider_id: "p0",
        timestamp: "2026-05-17T09:40:00.000Z",
        sender_attendee_id: "att_2",
        sender_id: "s0",
        text: null
      }
    })
    const decoded = roundTrips(Message.Message, wire)
    assert.isTrue(Schema.is(Message.QuotedMessage)(decoded.quoted))
    assert.strictEqual(decoded.reply_to?.text, null)
  })
})

describe("forward compatibility", () => {
  it("an unknown attachment type decodes as UnknownAttachment with every field kept", () => {
    const hologram = { id: "h1", type: "hologram", unavailable: false, depth: 3, nested: { a: [1, 2] } }
    const decoded = roundTrips(Message.Message, message({ attachments: [hologram] }))
    const attachment = decoded.attachments[0]!
    switch (attachment.type) {
      case "img":
      case "video":
      case "audio":
      case "file":
      case "linkedin_post":
      case "video_meeting":
        assert.fail("a hologram is not a documented variant")
        break
      case "unknown":
        assert.strictEqual(attachment.raw.type, "hologram")
        assert.deepStrictEqual(attachment.raw["nested"], { a: [1, 2] })
    }
  })

  it("a documented attachment type with a wrong shape still fails", () => {
    const broken = { id: "i1", type: "img", unavailable: false, sticker: false }
    assert.isTrue(Result.isFailure(Schema.decodeUnknownResult(Message.Message)(message({ attachments: [broken] }))))
  })

  it("a documented attachment type with a wrong shape says why it is not taken as an unknown one", () => {
    const broken = { id: "i1", type: "img", unavailable: false, sticker: false }
    const result = Schema.decodeUnknownResult(Message.Message)(message({ attachments: [broken] }))
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) {
      assert.include(String(result.failure), "a value other than img, video, audio, file, linkedin_post, video_meeting")
    }
  })

  it("unknown enumeration values decode as the raw value", () => {
    const chat = roundTrips(Chat.Chat, {
      ...fixture("chat-list").items[0],
      account_type: "DISCORD",
      type: 7,
      read_only: 5,
      folder: ["INBOX", "My custom folder"],
      content_type: "newsletter",
      disabledFeatures: ["reply", "voice"],
      muted_until: -1
    })
    assert.strictEqual(chat.account_type, "DISCORD")
    assert.deepStrictEqual(chat.folder, ["INBOX", "My custom folder"])
    assert.isTrue(chat.account_type === "DISCORD", "an undocumented value compares as a string")

    const msg = roundTrips(
      Message.Message,
      message({ message_type: "POLL", attendee_type: "BOT", attendee_distance: 9, event_type: 42 })
    )
    assert.strictEqual(msg.message_type, "POLL")
    assert.strictEqual(msg.event_type, 42)
  })

  it("an unknown specifics provider and network distance decode", () => {
    const list = fixture("chat-attendee-list")
    const whatsapp = { provider: "WHATSAPP", phone: "+33..." }
    const wire = {
      ...list,
      items: [
        { ...list.items[0], specifics: { ...list.items[0].specifics, network_distance: "DISTANCE_4" } },
        { ...list.items[0], id: "att_2", specifics: whatsapp },
        {
          ...list.items[0],
          id: "att_3",
          specifics: { provider: "INSTAGRAM", public_identifier: "jw", relationship_status: { following: true } }
        }
      ]
    }
    const decoded = roundTrips(ChatAttendee.ChatAttendeeList, wire)
    const [linkedin, unknown, instagram] = decoded.items.map((item) => item.specifics)
    assert.strictEqual(linkedin?.provider === "LINKEDIN" && linkedin.network_distance, "DISTANCE_4")
    assert.deepStrictEqual(unknown, { provider: "unknown", raw: whatsapp })
    assert.isTrue(Schema.is(ChatAttendee.InstagramSpecifics)(instagram))
  })

  it("required fields, nullability and literal flags are enforced", () => {
    const bad = [
      message({ text: undefined }),
      message({ id: "" }),
      message({ seen: 2 }),
      message({ is_sender: true }),
      message({ seen_by: { a: 1 } })
    ]
    for (const wire of bad) {
      assert.isTrue(Result.isFailure(Schema.decodeUnknownResult(Message.Message)(wire)), JSON.stringify(wire))
    }
    assert.isTrue(
      Result.isFailure(
        Schema.decodeUnknownResult(ChatAttendee.ChatAttendeeList)({ ...fixture("chat-attendee-list"), cursor: "x" })
      )
    )
  })
})
