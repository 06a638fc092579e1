/**
 * The simulator's dataset: accounts, attendees, chats and messages computed
 * from a seed and their indices. Nothing per message is ever stored: a page
 * of a million-message chat is computed from indexes, and message
 * timestamps are monotonic in the index so `before`/`after` are binary
 * searches.
 *
 * Every generator returns the wire (encoded) type of the contract's schema,
 * so the compiler checks the simulator's output against the same declaration
 * the client decodes with.
 *
 * Edition-neutral: no `effect` import (durations are milliseconds), and only
 * type imports of names both editions' `@postpress/core` declare, so both
 * editions' simulators generate the same dataset from this one source.
 */
import type * as Attachment from "@postpress/core/Attachment"
import type * as Chat from "@postpress/core/Chat"
import type * as ChatAttendee from "@postpress/core/ChatAttendee"
import type * as Message from "@postpress/core/Message"
import { BASE64URL, below, DIGITS, HEX, makeIdCodec, pick, token, uniform } from "./random.js"

export type ChatWire = typeof Chat.Chat.Encoded
export type ChatWithLastMessageWire = typeof Chat.ChatWithLastMessage.Encoded
export type MessageWire = typeof Message.Message.Encoded
export type AttendeeWire = typeof ChatAttendee.ChatAttendee.Encoded
type AttachmentWire = typeof Attachment.Attachment.Encoded
export type AccountType = "LINKEDIN" | "WHATSAPP" | "INSTAGRAM" | "TELEGRAM" | "SLACK" | "MESSENGER" | "TWITTER"

/**
 * The sizes and seed of a dataset. `Interval` is how `arrivals.every` is
 * given: milliseconds here, an effect duration in the simulators' options.
 */
export interface DatasetOptions<Interval = number> {
  /** The seed: the same seed always gives the same dataset. Default 1. */
  readonly seed?: number | undefined
  /** Connected accounts, one provider each (LinkedIn, WhatsApp, Instagram, Telegram, Slack, Messenger, Twitter, then again). Default 3. */
  readonly accounts?: number | undefined
  /** Attendees known to each account, its own (`is_self: 1`) included. Default 12, at least 2. */
  readonly attendeesPerAccount?: number | undefined
  /** Chats, spread over the accounts. Default 24. */
  readonly chats?: number | undefined
  /**
   * Messages in each chat, up to 2^30; every twelfth chat (index 11, 23, …) is
   * empty, as chats with no message yet exist. Default 60.
   */
  readonly messagesPerChat?: number | undefined
  /**
   * Chats that keep receiving messages: in each chat listed (by index; default
   * chat 0), one more message becomes visible every `every`, measured on
   * effect's `Clock` from when the simulator started. They continue the chat's
   * timeline, shared timestamps included.
   */
  readonly arrivals?:
    | { readonly chats?: ReadonlyArray<number> | undefined; readonly every: Interval }
    | undefined
}

const PROVIDERS: ReadonlyArray<AccountType> = [
  "LINKEDIN",
  "WHATSAPP",
  "INSTAGRAM",
  "TELEGRAM",
  "SLACK",
  "MESSENGER",
  "TWITTER"
]

const FIRST_NAMES = [
  "Jordan",
  "Amara",
  "Lucas",
  "Mei",
  "Sofia",
  "Noah",
  "Ines",
  "Kwame",
  "Elena",
  "Ravi",
  "Hana",
  "Mateo",
  "Zoe",
  "Omar",
  "Freya",
  "Yuki"
]
const LAST_NAMES = [
  "Walke",
  "Okafor",
  "Martin",
  "Chen",
  "Rossi",
  "Schmidt",
  "Dubois",
  "Mensah",
  "Novak",
  "Iyer",
  "Tanaka",
  "Garcia",
  "Larsen",
  "Haddad",
  "Kowalski",
  "Silva"
]
const OCCUPATIONS = ["Engineer at Acme", "Head of Sales at Globex", "Recruiter at Initech", "Founder at Hooli"]
const LOCATIONS = ["San Francisco, CA", "Paris, France", "Lagos, Nigeria", "Berlin, Germany", "Tokyo, Japan"]
const HEADLINES = ["Building developer tools", "Scaling B2B sales", "Hiring great engineers", "Coffee and compilers"]
const GROUP_NAMES = ["Launch team", "Q3 planning", "Family", "Book club", "Customer success", "Weekend hike"]
const CUSTOM_FOLDERS = ["Clients", "Follow-up", "Recruiting 2026"]
const TEXTS = [
  "Sounds good - let's chat tomorrow.",
  "Thanks for the intro!",
  "Can you send me the deck?",
  "Are you free on Thursday at 3pm?",
  "Here is the contract, let me know what you think.",
  "I'll loop in our CTO.",
  "Great meeting you at the conference 🎉",
  "Just following up on my last message.",
  "Perfect, see you then 👍",
  "Could we move the call to next week?",
  "The numbers look great this quarter.",
  "Congrats on the new role!",
  "Do you have 10 minutes to talk about the integration?",
  "Sending the invoice now.",
  "Happy to help, what's the best email to reach you?",
  "On my way, 5 minutes late sorry",
  "Love this idea. Let's do it.",
  "We shipped it! 🚀",
  "Can you review the PR when you get a chance?",
  "Noted, thanks."
]
const EMOJIS = ["👍", "❤️", "😂", "🎉", "🙏", "🔥", "😮"]

// salts: one per kind of decision, so changing one never shifts another
const enum K {
  ChatType = 1,
  ChatStart,
  ChatGap,
  Other,
  GroupOffset,
  GroupSize,
  ChatFlags,
  ChatName,
  Sender,
  Text,
  MessageKind,
  Attachments,
  AttachmentVariant,
  AttachmentField,
  Reactions,
  Quote,
  Reply,
  Thread,
  SeenBy,
  AttendeeField,
  ProviderId,
  Linkedin
}

const EPOCH = Date.UTC(2025, 5, 1)
const YEAR_MS = 365 * 24 * 3600 * 1000
const iso = (ms: number) => new Date(ms).toISOString()

/** The dataset of a seed: sizes, lookups, and every entity by index. */
/**
 * A simulator's dataset: sizes, ids by index, and every entity in its wire
 * form, computed from its index (nothing per message is stored). Indices:
 * accounts `0…accountCount-1`, attendees `0…attendeeCount-1`, chats
 * `0…chatCount-1`, and a chat's messages `0…messageCount(chat)-1`, oldest first.
 */
export interface Dataset {
  /** The seed it was made from: the same seed always gives the same dataset. */
  readonly seed: number
  /** Makes the arrivals due after `elapsed` milliseconds visible (the simulator calls it on its `Clock`). */
  readonly advanceTo: (elapsed: number) => void
  readonly accountCount: number
  readonly attendeeCount: number
  readonly chatCount: number
  readonly accountId: (account: number) => string
  /** The provider of an account (LinkedIn, WhatsApp, Instagram, Telegram, Slack, Messenger, Twitter, in turn). */
  readonly providerOf: (account: number) => AccountType
  readonly attendee: (index: number) => AttendeeWire
  readonly attendeeId: (index: number) => string
  readonly attendeeProviderId: (attendee: number) => string
  readonly accountOfAttendee: (attendee: number) => number
  /** The attendee that is the account itself (`is_self: 1`). */
  readonly selfOf: (account: number) => number
  readonly isSelf: (attendee: number) => boolean
  readonly chat: (index: number) => ChatWire
  readonly chatId: (index: number) => string
  readonly chatProviderId: (chat: number) => string
  readonly accountOfChat: (chat: number) => number
  /** 0: one-to-one, 1: group, 2: broadcast. */
  readonly chatType: (chat: number) => 0 | 1 | 2
  /** The attendees of a chat, the account's own first. */
  readonly members: (chat: number) => ReadonlyArray<number>
  /** The attendee who sent a message. */
  readonly senderOf: (chat: number, message: number) => number
  /** The messages of a chat visible now (arrivals add to it). */
  readonly messageCount: (chat: number) => number
  readonly message: (chat: number, index: number) => MessageWire
  readonly messageId: (chat: number, message: number) => string
  readonly timestampMs: (chat: number, message: number) => number
  /** The index of the first message after `ms` (or at it, unless `strict`). */
  readonly firstIndexAfter: (chat: number, ms: number, strict: boolean) => number
  /** Chat indices by last activity, newest first (empty chats last). */
  readonly chatOrder: ReadonlyArray<number>
  /** When a chat's last message was sent; `undefined` for an empty chat. */
  readonly lastActivityMs: (chat: number) => number | undefined
  /** A chat's index by id: `undefined` when the id is malformed, `null` when well-formed but never issued. */
  readonly lookupChat: (id: string) => number | null | undefined
  readonly lookupChatByProviderId: (providerId: string) => number | undefined
  /** A message's chat and index by id (`undefined`: malformed, `null`: never issued). */
  readonly lookupMessage: (id: string) => readonly [number, number] | null | undefined
  /** An attendee's index by id (`undefined`: malformed, `null`: never issued). */
  readonly lookupAttendee: (id: string) => number | null | undefined
}

/** Makes the dataset of a seed and sizes. */
export const makeDataset = (options: DatasetOptions<number> = {}): Dataset => {
  const seed = options.seed ?? 1
  const accountCount = Math.max(1, options.accounts ?? 3)
  const perAccount = Math.max(2, options.attendeesPerAccount ?? 12)
  const chatCount = Math.max(0, options.chats ?? 24)
  const messagesPerChat = Math.min(2 ** 30, Math.max(0, options.messagesPerChat ?? 60))
  if (chatCount >= 2 ** 20) throw new RangeError("at most 2^20 chats")

  const accountIds = makeIdCodec("acc", seed, 1)
  const attendeeIds = makeIdCodec("att", seed, 2)
  const chatIds = makeIdCodec("chat", seed, 3)
  const messageIds = makeIdCodec("msg", seed, 4)

  // --- accounts and attendees -------------------------------------------------

  const providerOf = (account: number): AccountType => PROVIDERS[account % PROVIDERS.length]!
  const accountId = (account: number) => accountIds.encode(account)
  const attendeeCount = accountCount * perAccount
  const accountOfAttendee = (attendee: number) => Math.floor(attendee / perAccount)
  const isSelf = (attendee: number) => attendee % perAccount === 0
  const selfOf = (account: number) => account * perAccount

  const attendeeName = (attendee: number) =>
    `${pick(FIRST_NAMES, seed, K.AttendeeField, attendee, 1)} ${pick(LAST_NAMES, seed, K.AttendeeField, attendee, 2)}`

  const attendeeProviderId = (attendee: number): string =>
    attendeeProviderIds[attendee] ??= computeAttendeeProviderId(attendee)
  const attendeeProviderIds: Array<string | undefined> = []

  const computeAttendeeProviderId = (attendee: number): string => {
    const n = (salt: number, length: number, alphabet = DIGITS) =>
      token(alphabet, length, seed, K.ProviderId, attendee, salt)
    switch (providerOf(accountOfAttendee(attendee))) {
      case "LINKEDIN":
        return `ACoAA${n(1, 34, BASE64URL)}`
      case "WHATSAPP":
        return `33${n(2, 9)}@s.whatsapp.net`
      case "INSTAGRAM":
        return `1784${n(3, 13)}`
      case "TELEGRAM":
        return `${1 + below(9, seed, K.ProviderId, attendee, 4)}${n(5, 9)}`
      case "SLACK":
        return `U0${n(6, 9, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}`
      case "MESSENGER":
        return `1000${n(7, 12)}`
      case "TWITTER":
        return `1${n(8, 18)}`
    }
  }

  const handleOf = (attendee: number) => attendeeName(attendee).toLowerCase().replace(" ", ".") + (attendee % 97)

  const attendee = (index: number): AttendeeWire => {
    const account = accountOfAttendee(index)
    const provider = providerOf(account)
    const self = isSelf(index)
    const r = (salt: number) => uniform(seed, K.AttendeeField, index, salt)
    const providerId = attendeeProviderId(index)
    const base: AttendeeWire = {
      object: "ChatAttendee",
      id: attendeeIds.encode(index),
      account_id: accountId(account),
      provider_id: providerId,
      name: attendeeName(index),
      is_self: self ? 1 : 0,
      ...(r(10) < 0.9 ? { hidden: r(11) < 0.03 ? 1 : 0 } : {}),
      ...(r(12) < 0.8 ? { picture_url: `https://media.postpress.test/avatars/${providerId}.jpg` } : {})
    }
    switch (provider) {
      case "LINKEDIN": {
        const slug = handleOf(index).replace(".", "-")
        return {
          ...base,
          profile_url: `https://www.linkedin.com/in/${slug}`,
          specifics: {
            provider: "LINKEDIN",
            member_urn: `urn:li:fsd_profile:${providerId}`,
            ...(r(20) < 0.8 ? { occupation: pick(OCCUPATIONS, seed, K.AttendeeField, index, 21) } : {}),
            network_distance: self ?
              "SELF" :
              pick(["DISTANCE_1", "DISTANCE_1", "DISTANCE_2", "DISTANCE_3", "OUT_OF_NETWORK"], seed, K.Linkedin, index),
            ...(self ? {} : { pending_invitation: r(22) < 0.1 }),
            ...(r(23) < 0.7 ? { location: pick(LOCATIONS, seed, K.AttendeeField, index, 24) } : {}),
            ...(r(25) < 0.7 ? { headline: pick(HEADLINES, seed, K.AttendeeField, index, 26) } : {}),
            ...(r(27) < 0.3 ?
              {
                contact_info: {
                  emails: [`${handleOf(index)}@example.com`],
                  ...(r(28) < 0.5 ? { phone_numbers: [`+1415${token(DIGITS, 7, seed, K.AttendeeField, index)}`] } : {}),
                  ...(r(29) < 0.4 ? { websites: [`https://${handleOf(index)}.dev`] } : {}),
                  ...(r(30) < 0.3 ? { social_handles: [{ type: "twitter", name: `@${handleOf(index)}` }] } : {})
                }
              } :
              {})
          }
        }
      }
      case "INSTAGRAM":
        return {
          ...base,
          profile_url: `https://www.instagram.com/${handleOf(index)}`,
          specifics: {
            provider: "INSTAGRAM",
            public_identifier: handleOf(index),
            relationship_status: self ? {} : {
              following: r(40) < 0.6,
              followed_by: r(41) < 0.6,
              ...(r(42) < 0.5 ? { has_received_invitation: r(43) < 0.2, has_sent_invitation: r(44) < 0.2 } : {})
            }
          }
        }
      default:
        return base
    }
  }

  const attendeeByProviderId = new Map<string, number>()
  for (let index = 0; index < attendeeCount; index++) attendeeByProviderId.set(attendeeProviderId(index), index)

  // --- chats ------------------------------------------------------------------

  const accountOfChat = (chat: number) => chat % accountCount
  const chatType = (chat: number): 0 | 1 | 2 => {
    if (chat === 0) return 0
    const r = uniform(seed, K.ChatType, chat)
    return r < 0.7 ? 0 : r < 0.95 ? 1 : 2
  }
  const baseCount = (chat: number) => (chat % 12 === 11 ? 0 : messagesPerChat)
  const growing = new Set(options.arrivals === undefined ? [] : options.arrivals.chats ?? [0])
  const arrivalEvery = options.arrivals === undefined ? Infinity : options.arrivals.every
  let arrived = 0
  /** Messages visible now: the chat's own, plus those that arrived since the start. */
  const messageCount = (chat: number) => Math.min(2 ** 30, baseCount(chat) + (growing.has(chat) ? arrived : 0))
  /** Moves the dataset to `elapsed` ms after the start: arrivals so far become visible. */
  const advanceTo = (elapsed: number) => {
    arrived = Math.max(arrived, Math.floor(elapsed / arrivalEvery))
  }

  /** The chat's members as global attendee indices, self first. */
  const members = (chat: number): ReadonlyArray<number> => (chatMembers[chat] ??= computeMembers(chat))
  const chatMembers: Array<ReadonlyArray<number> | undefined> = []

  const computeMembers = (chat: number): ReadonlyArray<number> => {
    const account = accountOfChat(chat)
    const self = selfOf(account)
    const others = perAccount - 1
    switch (chatType(chat)) {
      case 0:
        return [self, self + 1 + below(others, seed, K.Other, chat)]
      case 1: {
        const size = Math.min(others, 2 + below(7, seed, K.GroupSize, chat))
        const offset = below(others, seed, K.GroupOffset, chat)
        return [self, ...Array.from({ length: size }, (_, q) => self + 1 + ((offset + q) % others))]
      }
      case 2:
        return [self, ...Array.from({ length: Math.min(others, 20) }, (_, q) => self + 1 + q)]
    }
  }

  const chatStart = (chat: number) => EPOCH + Math.floor(uniform(seed, K.ChatStart, chat) * YEAR_MS)
  const gapMs = (chat: number) => (chatGaps[chat] ??= computeGapMs(chat))
  const chatGaps: Array<number | undefined> = []
  const computeGapMs = (chat: number) => {
    const base = (20 + below(600, seed, K.ChatGap, chat)) * 1000 + below(1000, seed, K.ChatGap, chat, 1)
    const count = Math.max(1, baseCount(chat))
    return Math.max(1, Math.min(base, Math.floor((5 * YEAR_MS) / count)))
  }
  /** Every 17th message shares the timestamp of the one before it. */
  const timestampMs = (chat: number, message: number) =>
    chatStart(chat) + Math.floor((message - Math.floor(message / 17)) * gapMs(chat))

  const chatFlags = (chat: number) => {
    const r = (salt: number) => uniform(seed, K.ChatFlags, chat, salt)
    return { r, provider: providerOf(accountOfChat(chat)) }
  }

  const chatProviderId = (chat: number): string => (chatProviderIds[chat] ??= computeChatProviderId(chat))
  const chatProviderIds: Array<string | undefined> = []

  const computeChatProviderId = (chat: number): string => {
    const type = chatType(chat)
    const t = (salt: number, length: number, alphabet = DIGITS) =>
      token(alphabet, length, seed, K.ProviderId, chat, salt)
    const other = members(chat)[1]!
    switch (providerOf(accountOfChat(chat))) {
      case "LINKEDIN":
        return `2-${t(1, 40, BASE64URL)}==`
      case "WHATSAPP":
        return type === 0 ? attendeeProviderId(other) : `120363${t(2, 12)}@g.us`
      case "INSTAGRAM":
        return `340282366841710${t(3, 24)}`
      case "TELEGRAM":
        return type === 0 ? attendeeProviderId(other) : `-100${t(4, 10)}`
      case "SLACK":
        return `${type === 0 ? "D0" : "C0"}${t(5, 9, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")}`
      case "MESSENGER":
        return `t_${t(6, 16)}`
      case "TWITTER":
        return `${attendeeProviderId(other)}-${attendeeProviderId(members(chat)[0]!)}`
    }
  }

  const chatByProviderId = new Map<string, number>()
  for (let chat = 0; chat < chatCount; chat++) chatByProviderId.set(chatProviderId(chat), chat)

  const contentType = (chat: number): "inmail" | "sponsored" | "linkedin_offer" | undefined => {
    const { provider, r } = chatFlags(chat)
    if (provider !== "LINKEDIN" || chatType(chat) !== 0) return undefined
    const x = r(1)
    return x < 0.1 ? "inmail" : x < 0.13 ? "sponsored" : x < 0.15 ? "linkedin_offer" : undefined
  }
  const isOrganizationMailbox = (chat: number) => chatFlags(chat).provider === "LINKEDIN" && chatFlags(chat).r(2) < 0.1

  const unreadCount = (chat: number) =>
    Math.min(messageCount(chat), chatFlags(chat).r(3) < 0.6 ? 0 : 1 + below(5, seed, K.ChatFlags, chat, 4))

  const chat = (index: number): ChatWire => {
    const { provider, r } = chatFlags(index)
    const type = chatType(index)
    const [, other] = members(index)
    const count = messageCount(index)
    const content = contentType(index)
    const mutedRoll = r(6)
    const readOnlyRoll = r(7)
    const folder: Array<string> = ["INBOX"]
    if (provider === "LINKEDIN") {
      folder.push(
        isOrganizationMailbox(index) ?
          "INBOX_LINKEDIN_ORGANIZATION" :
          pick(
            [
              "INBOX_LINKEDIN_CLASSIC",
              "INBOX_LINKEDIN_CLASSIC",
              "INBOX_LINKEDIN_RECRUITER",
              "INBOX_LINKEDIN_SALES_NAVIGATOR"
            ],
            seed,
            K.ChatFlags,
            index,
            8
          )
      )
    }
    if (r(9) < 0.1) folder.push(pick(CUSTOM_FOLDERS, seed, K.ChatFlags, index, 10))
    return {
      object: "Chat",
      id: chatIds.encode(index),
      account_id: accountId(accountOfChat(index)),
      account_type: provider,
      provider_id: chatProviderId(index),
      ...(type === 0 ? { attendee_provider_id: attendeeProviderId(other!) } : {}),
      name: type === 0 ?
        attendeeName(other!) :
        type === 1 ?
        (uniform(seed, K.ChatName, index) < 0.2 ? null : pick(GROUP_NAMES, seed, K.ChatName, index, 1)) :
        `Broadcast list ${index}`,
      type,
      timestamp: count === 0 ? null : iso(timestampMs(index, count - 1)),
      unread_count: unreadCount(index),
      archived: r(5) < 0.08 ? 1 : 0,
      muted_until: mutedRoll < 0.85 ?
        null :
        mutedRoll < 0.9 ?
        -1 :
        iso(EPOCH + YEAR_MS + below(30, seed, K.ChatFlags, index, 11) * 86_400_000),
      read_only: readOnlyRoll < 0.92 ? 0 : readOnlyRoll < 0.98 ? 1 : 2,
      ...(type === 2 && provider === "WHATSAPP" ?
        { disabledFeatures: ["reactions", "reply"] } :
        r(12) < 0.04 ?
        { disabledFeatures: ["reactions"] } :
        {}),
      ...(content === "inmail" ? { subject: "Opportunity at Initech" } : {}),
      ...(isOrganizationMailbox(index) ?
        {
          organization_id: token(DIGITS, 8, seed, K.ChatFlags, index, 13),
          mailbox_id: token(DIGITS, 10, seed, K.ChatFlags, index, 14)
        } :
        {}),
      ...(content === undefined ? {} : { content_type: content }),
      folder,
      pinned: r(15) < 0.05 ? 1 : 0
    }
  }

  // --- messages ---------------------------------------------------------------

  const messageId = (chat: number, message: number) => messageIds.encode(chat * 2 ** 30 + message)
  const decodeMessageId = (id: string): readonly [chat: number, message: number] | undefined => {
    const n = messageIds.decode(id)
    if (n === undefined) return undefined
    const chat = Math.floor(n / 2 ** 30)
    const message = n % 2 ** 30
    return chat < chatCount && message < messageCount(chat) ? [chat, message] : undefined
  }

  const sender = (chat: number, message: number): number => {
    const chatMembers = members(chat)
    if (chatType(chat) === 2) return chatMembers[0]!
    if (chatType(chat) === 0) return uniform(seed, K.Sender, chat, message) < 0.45 ? chatMembers[0]! : chatMembers[1]!
    return pick(chatMembers, seed, K.Sender, chat, message)
  }

  const messageProviderId = (chat: number, message: number): string => {
    const t = (length: number, alphabet: string) => token(alphabet, length, seed, K.ProviderId, chat, message + 1000)
    switch (providerOf(accountOfChat(chat))) {
      case "LINKEDIN":
        return `urn:li:msg:2-${t(32, BASE64URL)}`
      case "WHATSAPP":
        return `3EB0${t(16, HEX).toUpperCase()}`
      case "INSTAGRAM":
        return `aWdfZAG${t(40, BASE64URL)}`
      case "TELEGRAM":
        return String(message + 1)
      case "SLACK":
        return `${Math.floor(timestampMs(chat, message) / 1000)}.${t(6, DIGITS)}`
      case "MESSENGER":
        return `m_${t(40, BASE64URL)}`
      case "TWITTER":
        return `1${t(18, DIGITS)}`
    }
  }

  type Kind = "event" | "deleted" | "message"
  const kind = (chat: number, message: number): Kind => {
    const r = uniform(seed, K.MessageKind, chat, message)
    return r < 0.03 ? "event" : r < 0.04 ? "deleted" : "message"
  }

  const attachment = (chat: number, message: number, n: number): AttachmentWire => {
    const provider = providerOf(accountOfChat(chat))
    const variants = provider === "LINKEDIN" ?
      (["img", "video", "audio", "file", "linkedin_post", "video_meeting"] as const) :
      (["img", "video", "audio", "file"] as const)
    const variant = pick(variants, seed, K.AttachmentVariant, chat, message, n)
    const r = (salt: number) => uniform(seed, K.AttachmentField, chat, message * 4 + n, salt)
    const id = token(BASE64URL, 24, seed, K.AttachmentField, chat, message * 4 + n)
    const unavailable = r(1) < 0.05
    const media = (extension: string, mimetype: string) => ({
      id,
      file_size: 1000 + Math.floor(r(2) * 5_000_000),
      unavailable,
      mimetype,
      ...(unavailable ? {} : {
        url: `https://media.postpress.test/${id}.${extension}`,
        url_expires_at: Math.floor(timestampMs(chat, message) / 1000) + 86_400
      })
    })
    const size = {
      width: 320 + below(8, seed, K.AttachmentField, chat, message, 3) * 160,
      height: 240 + below(8, seed, K.AttachmentField, chat, message, 4) * 120
    }
    switch (variant) {
      case "img":
        return { ...media("jpg", "image/jpeg"), type: "img", size, sticker: r(5) < 0.05 }
      case "video":
        return { ...media("mp4", "video/mp4"), type: "video", size, gif: r(6) < 0.1 }
      case "audio":
        return {
          ...media("ogg", "audio/ogg"),
          type: "audio",
          ...(r(7) < 0.9 ? { duration: 1 + below(300, seed, K.AttachmentField, chat, message, 8) } : {}),
          voice_note: r(9) < 0.6
        }
      case "file":
        return {
          ...media("pdf", "application/pdf"),
          type: "file",
          file_name: pick(
            ["Q3-report.pdf", "contract.pdf", "deck.pdf", "invoice-2026-05.pdf"],
            seed,
            K.AttachmentField,
            chat,
            message
          )
        }
      case "linkedin_post":
        return {
          id,
          type: "linkedin_post",
          unavailable: false,
          url: `https://www.linkedin.com/feed/update/urn:li:activity:${
            token(DIGITS, 19, seed, K.AttachmentField, chat, message)
          }`
        }
      case "video_meeting": {
        const startsAt = Math.floor(timestampMs(chat, message) / 1000) + 86_400
        return {
          id,
          type: "video_meeting",
          unavailable: false,
          url: `https://meet.postpress.test/${id}`,
          starts_at: r(10) < 0.8 ? startsAt : null,
          expires_at: r(11) < 0.7 ? startsAt + 7 * 86_400 : null,
          time_range: r(12) < 0.8 ? pick([900, 1800, 3600], seed, K.AttachmentField, chat, message, 13) : null
        }
      }
    }
  }

  const attachments = (chat: number, message: number): Array<AttachmentWire> => {
    if (kind(chat, message) !== "message") return []
    const r = uniform(seed, K.Attachments, chat, message)
    const count = r < 0.08 ? 1 : r < 0.1 ? 2 : 0
    return Array.from({ length: count }, (_, n) => attachment(chat, message, n))
  }

  const text = (chat: number, message: number): string | null => {
    const k = kind(chat, message)
    if (k === "deleted") return null
    if (k === "event") {
      return uniform(seed, K.Text, chat, message) < 0.5
        ? null
        : `${attendeeName(sender(chat, message))} joined`
    }
    const hasAttachments = attachments(chat, message).length > 0
    if (hasAttachments && uniform(seed, K.Text, chat, message, 1) < 0.5) return null
    return pick(TEXTS, seed, K.Text, chat, message)
  }

  const earlier = (salt: K, chat: number, message: number) =>
    message - 1 - below(Math.min(message, 20), seed, salt, chat, message, 1)

  const message = (chat: number, index: number): MessageWire => {
    const provider = providerOf(accountOfChat(chat))
    const from = sender(chat, index)
    const chatMembers = members(chat)
    const k = kind(chat, index)
    const r = (salt: number) => uniform(seed, K.MessageKind, chat, index, salt)
    const id = messageId(chat, index)
    const count = messageCount(chat)
    const seen = index < count - unreadCount(chat) || isSelf(from) ? 1 : 0
    const seenBy: Record<string, string | boolean> = {}
    for (const member of chatMembers.slice(0, 4)) {
      if (member === from) continue
      seenBy[attendeeIds.encode(member)] = seen === 0 ?
        false :
        uniform(seed, K.SeenBy, chat, index, member) < 0.7 ?
        iso(timestampMs(chat, index) + 60_000) :
        true
    }
    const quoteRoll = r(1)
    const quoted = k === "message" && index > 0 && quoteRoll < 0.04 ? earlier(K.Quote, chat, index) : undefined
    const replyTo = k === "message" && index > 0 && quoted === undefined && r(2) < 0.05 ?
      earlier(K.Reply, chat, index) :
      undefined
    const content = contentType(chat)
    const base: MessageWire = {
      object: "Message",
      id,
      ...(provider === "INSTAGRAM" ? { message_id: id } : {}),
      provider_id: messageProviderId(chat, index),
      account_id: accountId(accountOfChat(chat)),
      chat_id: chatIds.encode(chat),
      chat_provider_id: chatProviderId(chat),
      sender_id: attendeeProviderId(from),
      sender_attendee_id: attendeeIds.encode(from),
      timestamp: iso(timestampMs(chat, index)),
      text: text(chat, index),
      is_sender: isSelf(from) ? 1 : 0,
      attachments: attachments(chat, index),
      ...(quoted === undefined ? {} : {
        quoted: {
          ...(r(3) < 0.7 ? { message_id: messageId(chat, quoted) } : {}),
          provider_id: messageProviderId(chat, quoted),
          sender_id: attendeeProviderId(sender(chat, quoted)),
          text: text(chat, quoted),
          attachments: attachments(chat, quoted)
        }
      }),
      ...(k === "message" && r(4) < 0.02 ? { is_forwarded: true } : {}),
      reactions: k === "message" && r(5) < 0.12 && chatType(chat) !== 2 ?
        chatMembers.slice(0, 1 + below(3, seed, K.Reactions, chat, index)).map((member, n) => ({
          value: pick(EMOJIS, seed, K.Reactions, chat, index, n),
          sender_id: attendeeProviderId(member),
          is_sender: isSelf(member)
        })) :
        [],
      seen,
      seen_by: seenBy,
      hidden: r(6) < 0.005 ? 1 : 0,
      deleted: k === "deleted" ? 1 : 0,
      edited: k === "message" && r(7) < 0.04 ? 1 : 0,
      is_event: k === "event" ? 1 : 0,
      delivered: r(8) < 0.98 ? 1 : 0,
      behavior: r(9) < 0.4 ? null : 0,
      ...(k === "event" ? { event_type: below(14, seed, K.MessageKind, chat, index, 10) } : {}),
      original: JSON.stringify({ id: messageProviderId(chat, index), provider, ts: timestampMs(chat, index) }),
      ...(replyTo === undefined ? {} : {
        reply_to: {
          id: messageId(chat, replyTo),
          provider_id: messageProviderId(chat, replyTo),
          timestamp: iso(timestampMs(chat, replyTo)),
          sender_attendee_id: attendeeIds.encode(sender(chat, replyTo)),
          sender_id: attendeeProviderId(sender(chat, replyTo)),
          text: text(chat, replyTo)
        }
      })
    }
    if (provider === "SLACK" && k === "message") {
      const thread = uniform(seed, K.Thread, chat, index)
      if (thread < 0.05) {
        const repliers = chatMembers.slice(0, 1 + below(3, seed, K.Thread, chat, index, 1))
        return {
          ...base,
          replies: 1 + below(9, seed, K.Thread, chat, index, 2),
          reply_by: repliers.map((m) => attendeeIds.encode(m))
        }
      }
      if (thread < 0.1 && index > 0) return { ...base, parent: messageId(chat, earlier(K.Thread, chat, index)) }
    }
    if (provider === "LINKEDIN") {
      return {
        ...base,
        message_type: content === "inmail" ?
          (index === 0 ? "INMAIL" : "INMAIL_REPLY") :
          k === "event" ?
          "INVITATION" :
          "MESSAGE",
        ...(content === "inmail" && index === 0 ? { subject: "Opportunity at Initech" } : {}),
        attendee_type: isOrganizationMailbox(chat) ? "ORGANIZATION" : "MEMBER",
        attendee_distance: isSelf(from) ? -1 : pick([1, 1, 2, 3], seed, K.Linkedin, chat, index),
        sender_urn: `urn:li:fsd_profile:${attendeeProviderId(from)}`
      }
    }
    return base
  }

  // --- lookups and pages ------------------------------------------------------

  /** The first message index whose timestamp is after `ms` (strictly, or not). */
  const firstIndexAfter = (chat: number, ms: number, strict: boolean): number => {
    let lo = 0
    let hi = messageCount(chat)
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      const t = timestampMs(chat, mid)
      if (strict ? t > ms : t >= ms) hi = mid
      else lo = mid + 1
    }
    return lo
  }

  /** Chats in listing order: newest activity first, empty chats last. */
  const chatOrder: ReadonlyArray<number> = Array.from({ length: chatCount }, (_, i) => i).sort((a, b) => {
    const ta = messageCount(a) === 0 ? -Infinity : timestampMs(a, messageCount(a) - 1)
    const tb = messageCount(b) === 0 ? -Infinity : timestampMs(b, messageCount(b) - 1)
    return tb - ta || a - b
  })

  return {
    seed,
    advanceTo,
    accountCount,
    attendeeCount,
    chatCount,
    accountId,
    providerOf,
    attendee,
    attendeeId: (index: number) => attendeeIds.encode(index),
    attendeeProviderId,
    accountOfAttendee,
    selfOf,
    isSelf,
    chat,
    chatId: (index: number) => chatIds.encode(index),
    chatProviderId,
    accountOfChat,
    chatType,
    members,
    senderOf: sender,
    messageCount,
    message,
    messageId,
    timestampMs,
    firstIndexAfter,
    chatOrder,
    lastActivityMs: (chat: number) => messageCount(chat) === 0 ? undefined : timestampMs(chat, messageCount(chat) - 1),
    /** `undefined` when malformed, `null` when well-formed but never issued. */
    lookupChat: (id: string): number | null | undefined => {
      if (!chatIds.isWellFormed(id)) return undefined
      const n = chatIds.decode(id)
      return n !== undefined && n < chatCount ? n : null
    },
    lookupChatByProviderId: (providerId: string) => chatByProviderId.get(providerId),
    lookupMessage: (id: string): readonly [number, number] | null | undefined =>
      messageIds.isWellFormed(id) ? decodeMessageId(id) ?? null : undefined,
    lookupAttendee: (id: string): number | null | undefined => {
      if (attendeeIds.isWellFormed(id)) {
        const n = attendeeIds.decode(id)
        return n !== undefined && n < attendeeCount ? n : null
      }
      if (id.startsWith("att_")) return undefined
      return attendeeByProviderId.get(id) ?? null
    }
  }
}
