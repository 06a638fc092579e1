/**
 * Chats as the API returns them: {@link Chat} in lists, {@link ChatWithLastMessage}
 * when retrieved one at a time, and the paginated {@link ChatList}.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Flag, namedStruct, NonEmptyString, openNumberEnum, openStringEnum } from "./internal/schema.js"
import { Message } from "./Message.js"

/**
 * The provider behind a chat. Like every enumeration of this SDK it is open:
 * a value the API adds later decodes as the raw string (typed
 * `string & {}`), so a `switch` over the documented values keeps a `default`
 * branch for it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccountType = openStringEnum("AccountType", [
  "WHATSAPP",
  "LINKEDIN",
  "SLACK",
  "TWITTER",
  "MESSENGER",
  "INSTAGRAM",
  "TELEGRAM"
])

/**
 * A chat's provider: one of the documented values, or a later one as a
 * plain string.
 *
 * @since 0.1.0
 * @category models
 */
export type AccountType = typeof AccountType.Type

/**
 * 0 = 1:1, 1 = group, 2 = broadcast (open to later values).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ChatType = openNumberEnum("ChatType", [0, 1, 2])

/**
 * A chat's kind: 0 (1:1), 1 (group), 2 (broadcast), or a later value.
 *
 * @since 0.1.0
 * @category models
 */
export type ChatType = typeof ChatType.Type

/**
 * 0 = writable, 1 = read-only, 2 = locked (open to later values).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReadOnly = openNumberEnum("ReadOnly", [0, 1, 2])

/**
 * Whether a chat is writable: 0 (writable), 1 (read-only), 2 (locked), or a
 * later value.
 *
 * @since 0.1.0
 * @category models
 */
export type ReadOnly = typeof ReadOnly.Type

/**
 * A feature the provider disabled for a chat (open to later values).
 *
 * @since 0.1.0
 * @category schemas
 */
export const DisabledFeature = openStringEnum("DisabledFeature", ["reactions", "reply"])

/**
 * A feature the provider disabled for a chat: one of the documented values,
 * or a later one as a plain string.
 *
 * @since 0.1.0
 * @category models
 */
export type DisabledFeature = typeof DisabledFeature.Type

/**
 * LinkedIn's content classifier (open to later values).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContentType = openStringEnum("ContentType", ["inmail", "sponsored", "linkedin_offer"])

/**
 * LinkedIn's content classifier: one of the documented values, or a later one
 * as a plain string.
 *
 * @since 0.1.0
 * @category models
 */
export type ContentType = typeof ContentType.Type

/**
 * A folder a chat belongs to: a provider-known folder, or any custom folder
 * name.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Folder = openStringEnum("Folder", [
  "INBOX",
  "INBOX_LINKEDIN_CLASSIC",
  "INBOX_LINKEDIN_RECRUITER",
  "INBOX_LINKEDIN_SALES_NAVIGATOR",
  "INBOX_LINKEDIN_ORGANIZATION"
])

/**
 * A folder a chat belongs to: a provider-known folder, or any custom folder
 * name.
 *
 * @since 0.1.0
 * @category models
 */
export type Folder = typeof Folder.Type

const chatFields = {
  object: Schema.Literal("Chat"),
  /** The postpress chat id (`chat_…`): what `client.chats.retrieve` and the messages calls take. */
  id: NonEmptyString,
  /** The postpress id of the connected account that owns the chat (`acc_…`). */
  account_id: NonEmptyString,
  account_type: AccountType,
  /**
   * The provider-native chat id; `client.chats.retrieve` takes it too, with
   * the `account_id` that should resolve it.
   */
  provider_id: Schema.String,
  /** The provider-native id of the other attendee (a `ChatAttendee`'s `provider_id`), for 1:1 chats. */
  attendee_provider_id: Schema.optional(Schema.String),
  /** The chat or contact name. */
  name: Schema.NullOr(Schema.String),
  type: ChatType,
  /** The last activity's time. */
  timestamp: Schema.NullOr(Schema.String),
  unread_count: Schema.Number,
  archived: Flag,
  /** `-1` = muted indefinitely, an ISO datetime = muted until then, `null` = not muted. */
  muted_until: Schema.NullOr(Schema.Union(Schema.Number, Schema.String)),
  read_only: ReadOnly,
  disabledFeatures: Schema.optional(Schema.Array(DisabledFeature)),
  subject: Schema.optional(Schema.String),
  organization_id: Schema.optional(Schema.String),
  mailbox_id: Schema.optional(Schema.String),
  content_type: Schema.optional(ContentType),
  folder: Schema.optional(Schema.Array(Folder)),
  pinned: Flag
}

/**
 * A chat, as listed by `client.chatAttendees.chats.list`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Chat: Schema.Schema<Chat, ChatEncoded> = namedStruct("Chat", chatFields)

/**
 * A chat, as decoded by the `Chat` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface Chat extends Schema.Struct.Type<typeof chatFields> {}

/**
 * `Chat` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface ChatEncoded extends Schema.Struct.Encoded<typeof chatFields> {}

const chatWithLastMessageFields = { ...chatFields, lastMessage: Schema.NullOr(Message) }

/**
 * A chat with its most recent message (`null` for an empty chat), as returned
 * by `client.chats.retrieve`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ChatWithLastMessage: Schema.Schema<ChatWithLastMessage, ChatWithLastMessageEncoded> = namedStruct(
  "ChatWithLastMessage",
  chatWithLastMessageFields
)

/**
 * A chat with its most recent message, as decoded by the `ChatWithLastMessage` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChatWithLastMessage extends Schema.Struct.Type<typeof chatWithLastMessageFields> {}

/**
 * `ChatWithLastMessage` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface ChatWithLastMessageEncoded extends Schema.Struct.Encoded<typeof chatWithLastMessageFields> {}

const chatListFields = {
  object: Schema.Literal("ChatList"),
  items: Schema.Array(Chat),
  cursor: Schema.NullOr(Schema.String)
}

/**
 * One page of chats. `cursor` fetches the next page and is `null` on the last
 * one.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ChatList: Schema.Schema<ChatList, ChatListEncoded> = namedStruct("ChatList", chatListFields)

/**
 * One page of chats, as decoded by the `ChatList` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChatList extends Schema.Struct.Type<typeof chatListFields> {}

/**
 * `ChatList` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface ChatListEncoded extends Schema.Struct.Encoded<typeof chatListFields> {}
