/**
 * Messages as the API returns them: the full {@link Message} and the paginated
 * {@link MessageList}.
 *
 * Field names are the wire names. 0/1 flags are the literals `0 | 1`;
 * timestamps are the ISO 8601 strings the API sends. Enumerations stay open:
 * see {@link MessageType} for the convention.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Attachment } from "./Attachment.js"
import { Flag, namedStruct, NonEmptyString, openNumberEnum, openStringEnum } from "./internal/schema.js"

/**
 * The kind of a LinkedIn message. Values the API adds later decode as the raw
 * string (typed `string & {}`), so a `switch` over the documented values keeps
 * a `default` branch for them.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MessageType = openStringEnum("MessageType", [
  "MESSAGE",
  "INVITATION",
  "INMAIL",
  "INMAIL_DECLINE",
  "INMAIL_REPLY",
  "INMAIL_ACCEPT"
])

/**
 * The kind of a LinkedIn message: one of the documented values, or a later
 * one as a plain string.
 *
 * @since 0.1.0
 * @category models
 */
export type MessageType = typeof MessageType.Type

/**
 * Who the sender is, for LinkedIn messages (open: see {@link MessageType}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AttendeeType = openStringEnum("AttendeeType", ["MEMBER", "ORGANIZATION", "OTHER"])

/**
 * Who the sender of a LinkedIn message is: one of the documented values, or
 * a later one as a plain string.
 *
 * @since 0.1.0
 * @category models
 */
export type AttendeeType = typeof AttendeeType.Type

/**
 * LinkedIn-style connection distance: 1 to 4, or -1 (open: see
 * {@link MessageType}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AttendeeDistance = openNumberEnum("AttendeeDistance", [1, 2, 3, 4, -1])

/**
 * LinkedIn-style connection distance: 1 to 4, -1, or a later value.
 *
 * @since 0.1.0
 * @category models
 */
export type AttendeeDistance = typeof AttendeeDistance.Type

/**
 * The provider's event code, 0 to 13, when `is_event` is 1 (open: see
 * {@link MessageType}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const EventType = openNumberEnum("EventType", [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])

/**
 * The provider's event code of an event message: 0 to 13, or a later value.
 *
 * @since 0.1.0
 * @category models
 */
export type EventType = typeof EventType.Type

const reactionFields = {
  /** The reaction's Unicode emoji. */
  value: Schema.String,
  /** The provider-native id of who reacted (as a `ChatAttendee`'s `provider_id`), not a postpress id. */
  sender_id: Schema.String,
  /** `true` if the connected account reacted. */
  is_sender: Schema.Boolean
}

/**
 * A reaction left on a message.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Reaction: Schema.Schema<Reaction, ReactionEncoded> = namedStruct("Reaction", reactionFields)

/**
 * A reaction left on a message, as decoded by the `Reaction` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reaction extends Schema.Struct.Type<typeof reactionFields> {}

/**
 * `Reaction` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface ReactionEncoded extends Schema.Struct.Encoded<typeof reactionFields> {}

const quotedMessageFields = {
  /** The postpress id of the quoted message, when postpress knows it. */
  message_id: Schema.optional(NonEmptyString),
  /** The provider-native id of the quoted message. */
  provider_id: Schema.String,
  /** The provider-native id of its sender (as a `ChatAttendee`'s `provider_id`), not a postpress id. */
  sender_id: Schema.String,
  text: Schema.NullOr(Schema.String),
  attachments: Schema.Array(Attachment)
}

/**
 * The message another message quotes.
 *
 * @since 0.1.0
 * @category schemas
 */
export const QuotedMessage: Schema.Schema<QuotedMessage, QuotedMessageEncoded> = namedStruct(
  "QuotedMessage",
  quotedMessageFields
)

/**
 * The message another message quotes, as decoded by the `QuotedMessage` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface QuotedMessage extends Schema.Struct.Type<typeof quotedMessageFields> {}

/**
 * `QuotedMessage` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface QuotedMessageEncoded extends Schema.Struct.Encoded<typeof quotedMessageFields> {}

const replyToFields = {
  /** The postpress id of the message replied to. */
  id: NonEmptyString,
  /** Its provider-native id. */
  provider_id: Schema.String,
  timestamp: Schema.String,
  /** The postpress id of its sender (`att_…`), as a `ChatAttendee`'s `id`. */
  sender_attendee_id: NonEmptyString,
  /** The provider-native id of its sender, as a `ChatAttendee`'s `provider_id`. */
  sender_id: Schema.String,
  text: Schema.NullOr(Schema.String)
}

/**
 * The message another message replies to.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReplyTo: Schema.Schema<ReplyTo, ReplyToEncoded> = namedStruct("ReplyTo", replyToFields)

/**
 * The message another message replies to, as decoded by the `ReplyTo` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReplyTo extends Schema.Struct.Type<typeof replyToFields> {}

/**
 * `ReplyTo` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface ReplyToEncoded extends Schema.Struct.Encoded<typeof replyToFields> {}

const messageFields = {
  object: Schema.Literal("Message"),
  /** The postpress message id. */
  id: NonEmptyString,
  /** Alias of `id` returned by some providers. */
  message_id: Schema.optional(NonEmptyString),
  /** The provider-native message id. */
  provider_id: Schema.String,
  /** The postpress id of the connected account the message was read through (`acc_…`). */
  account_id: NonEmptyString,
  /** The postpress id of its chat (`chat_…`): what `client.chats.retrieve` takes. */
  chat_id: NonEmptyString,
  /** The provider-native id of its chat (a `Chat`'s `provider_id`). */
  chat_provider_id: Schema.String,
  /**
   * The provider-native id of the sender (for LinkedIn, `ACoAA…`): a
   * `ChatAttendee`'s `provider_id`, not a postpress id. For the sender's
   * postpress id, see `sender_attendee_id`. The `sender_id` filter of
   * `chats.messages.list` takes either.
   */
  sender_id: Schema.String,
  /**
   * The postpress id of the sender (`att_…`): a `ChatAttendee`'s `id`, found
   * in `client.chats.attendees.list(chat_id)`, and what
   * `client.chatAttendees.chats.list` takes.
   */
  sender_attendee_id: NonEmptyString,
  /** When it was sent, an ISO 8601 datetime in UTC. */
  timestamp: Schema.String,
  /** `null` when the message has no text body. */
  text: Schema.NullOr(Schema.String),
  /** 1 if the connected account sent the message. */
  is_sender: Flag,
  attachments: Schema.Array(Attachment),
  quoted: Schema.optional(QuotedMessage),
  is_forwarded: Schema.optional(Schema.Boolean),
  reactions: Schema.Array(Reaction),
  seen: Flag,
  /** Attendee postpress id (`att_…`) → the time it was seen (a string) or a plain `true`/`false`. */
  seen_by: Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Boolean) }),
  hidden: Flag,
  deleted: Flag,
  edited: Flag,
  is_event: Flag,
  delivered: Flag,
  /** Provider-specific behaviour code. */
  behavior: Schema.NullOr(Schema.Number),
  event_type: Schema.optional(EventType),
  /** The raw payload as the provider returned it. */
  original: Schema.String,
  replies: Schema.optional(Schema.Number),
  reply_by: Schema.optional(Schema.Array(Schema.String)),
  parent: Schema.optional(NonEmptyString),
  subject: Schema.optional(Schema.NullOr(Schema.String)),
  message_type: Schema.optional(MessageType),
  attendee_type: Schema.optional(AttendeeType),
  attendee_distance: Schema.optional(AttendeeDistance),
  sender_urn: Schema.optional(Schema.String),
  reply_to: Schema.optional(ReplyTo)
}

/**
 * A message of a chat.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Message: Schema.Schema<Message, MessageEncoded> = namedStruct("Message", messageFields)

/**
 * A message of a chat, as decoded by the `Message` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface Message extends Schema.Struct.Type<typeof messageFields> {}

/**
 * `Message` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface MessageEncoded extends Schema.Struct.Encoded<typeof messageFields> {}

const messageListFields = {
  object: Schema.Literal("MessageList"),
  items: Schema.Array(Message),
  cursor: Schema.NullOr(Schema.String)
}

/**
 * One page of a chat's messages. `cursor` fetches the next page and is `null`
 * on the last one.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MessageList: Schema.Schema<MessageList, MessageListEncoded> = namedStruct("MessageList", messageListFields)

/**
 * One page of a chat's messages, as decoded by the `MessageList` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface MessageList extends Schema.Struct.Type<typeof messageListFields> {}

/**
 * `MessageList` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface MessageListEncoded extends Schema.Struct.Encoded<typeof messageListFields> {}
