/**
 * The postpress wire contract, declared once as an `HttpApi`: every endpoint's
 * method, path, path and query parameters, success body and error envelopes,
 * and the `X-API-KEY` authentication.
 *
 * `PostpressClient` builds its requests and decodes its responses from these
 * declarations, and the simulator serves them with `HttpApiBuilder`; neither
 * keeps a copy of any schema. The paths are relative to the base URL
 * (`https://api.postpress.ai/api/v1` by default).
 *
 * @since 0.1.0
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import * as Schema from "effect/Schema"
import { ChatList, ChatWithLastMessage } from "./Chat.js"
import { ChatAttendeeList } from "./ChatAttendee.js"
import { NonEmptyString } from "./internal/schema.js"
import { Message, MessageList } from "./Message.js"
import { documentedStatuses, UnauthorizedEnvelope } from "./PostpressError.js"

/**
 * The type of an open enumeration's schema (`Chat.AccountType`,
 * `Message.MessageType`, …): the documented values, or any other value of
 * the base type (`string & {}` / `number & {}`), so that a value the API adds
 * later decodes instead of failing a page. Its documented values are in
 * `literals`; at run time it is `Schema.String` or `Schema.Number` with an
 * identifier, a description and the literals as examples.
 *
 * @since 0.3.0
 * @category models
 */
export interface OpenEnum<A, I, Literals> extends Schema.Schema<A, I> {
  /** The documented values. */
  readonly literals: Literals
}

// -----------------------------------------------------------------------------
// parameters
// -----------------------------------------------------------------------------

/** A UTF-16 code unit that is half of a surrogate pair, alone: no UTF-8 (and no URL) can carry it. */
const loneSurrogate = /\p{Cs}/u

/**
 * A parameter's text: at least one character, and whole Unicode characters
 * only. A lone UTF-16 surrogate cannot be sent (percent-encoding throws on it,
 * and a body or query would carry U+FFFD instead, asking about another value),
 * so it is refused before anything is sent.
 *
 * @since 0.2.0
 * @category parameters
 */
export const ParamString = NonEmptyString.pipe(
  Schema.filter((text) => !loneSurrogate.test(text), {
    message: () => "whole Unicode characters (a lone UTF-16 surrogate cannot be sent)"
  })
).annotations({ identifier: "ParamString" })

/**
 * An id as a path parameter: a {@link ParamString} other than `.` and `..`,
 * which URL normalisation would turn into a different path. Every other
 * character is percent-encoded, so the id reaches the server inside its one
 * path segment, as given.
 *
 * @since 0.1.0
 * @category parameters
 */
export const Id = ParamString.pipe(
  Schema.filter((id) => id !== "." && id !== "..", { message: () => "an id other than \".\" or \"..\"" })
).annotations({ identifier: "Id" })

/**
 * An id of a comma-separated list: an {@link Id} without a comma (which would
 * split it in two).
 *
 * @since 0.2.0
 * @category parameters
 */
export const ListedId = Id.pipe(
  Schema.filter((id) => !id.includes(","), { message: () => "an id without a comma (commas separate the ids)" })
).annotations({ identifier: "ListedId" })

/**
 * A comma-separated list of ids on the wire; a non-empty array of
 * {@link ListedId}s once decoded.
 *
 * @since 0.1.0
 * @category parameters
 */
export const IdList = Schema.compose(Schema.split(","), Schema.NonEmptyArray(ListedId), { strict: false })
  .annotations({ identifier: "IdList" })

/**
 * A UTC instant on the wire as `YYYY-MM-DDTHH:MM:SS.sssZ`; a `DateTime.Utc`
 * once decoded.
 *
 * @since 0.1.0
 * @category parameters
 */
export const UtcTimestamp = Schema.compose(
  Schema.String.pipe(
    Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, {
      message: () => "an ISO 8601 UTC datetime YYYY-MM-DDTHH:MM:SS.sssZ"
    })
  ),
  Schema.DateTimeUtc
).annotations({ identifier: "UtcTimestamp" })

/**
 * A page size: an integer from 1 to 250 (the API's default is 100).
 *
 * @since 0.1.0
 * @category parameters
 */
export const Limit = Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 250))
  .annotations({ identifier: "Limit" })

/**
 * A pagination cursor: the `cursor` of the previous page.
 *
 * @since 0.1.0
 * @category parameters
 */
export const Cursor = ParamString.annotations({ identifier: "Cursor" })

/**
 * The paging and time window every list takes: the `cursor` of the previous
 * page, items strictly `before` / `after` an instant (messages by when they
 * were sent, chats by when they were created), and the page size.
 *
 * @since 0.2.0
 * @category parameters
 */
export const PageParams = {
  /** The `cursor` of the previous page. */
  cursor: Schema.optional(Cursor),
  /** Only items strictly before this instant. */
  before: Schema.optional(UtcTimestamp),
  /** Only items strictly after this instant. */
  after: Schema.optional(UtcTimestamp),
  /** Page size, an integer from 1 to 250; the API's default is 100. */
  limit: Schema.optional(Limit)
}

/**
 * The query of `GET /chats/{chat_id}`.
 *
 * @since 0.1.0
 * @category parameters
 */
export const RetrieveChatParams = Schema.Struct({
  /** Mandatory when `chat_id` is a provider id: the account that resolves it. */
  account_id: Schema.optional(ParamString)
})

/**
 * The query of `GET /chats/{chat_id}/messages`.
 *
 * @since 0.1.0
 * @category parameters
 */
export const ListMessagesParams = Schema.Struct({
  ...PageParams,
  /** Only messages from this sender. */
  sender_id: Schema.optional(ParamString)
})

/**
 * The query of `GET /chat_attendees/{attendee_id}/chats`.
 *
 * @since 0.1.0
 * @category parameters
 */
export const ListAttendeeChatsParams = Schema.Struct({
  ...PageParams,
  /** Only chats of these linked accounts. */
  account_id: Schema.optional(IdList)
})

// -----------------------------------------------------------------------------
// authentication
// -----------------------------------------------------------------------------

/**
 * The API key, sent in the `X-API-KEY` header.
 *
 * @since 0.1.0
 * @category authentication
 */
export const apiKeySecurity = HttpApiSecurity.apiKey({ key: "X-API-KEY", in: "header" })

/**
 * The authentication every endpoint requires; it fails with a 401 envelope.
 *
 * @since 0.1.0
 * @category authentication
 */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("@postpress/core/Authentication", {
  failure: UnauthorizedEnvelope,
  security: { apiKey: apiKeySecurity }
}) {}

// -----------------------------------------------------------------------------
// endpoints
// -----------------------------------------------------------------------------

/**
 * `GET /chats/{chat_id}`: a chat with its last message.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const retrieveChat = HttpApiEndpoint.get("retrieve", "/chats/:chat_id")
  .setPath(Schema.Struct({ chat_id: Id }))
  .setUrlParams(RetrieveChatParams)
  .addSuccess(ChatWithLastMessage)

/**
 * `GET /chats/{chat_id}/attendees`: every attendee of a chat.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const listChatAttendees = HttpApiEndpoint.get("listAttendees", "/chats/:chat_id/attendees")
  .setPath(Schema.Struct({ chat_id: Id }))
  .addSuccess(ChatAttendeeList)

/**
 * `GET /chats/{chat_id}/messages`: one page of a chat's messages.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const listChatMessages = HttpApiEndpoint.get("listMessages", "/chats/:chat_id/messages")
  .setPath(Schema.Struct({ chat_id: Id }))
  .setUrlParams(ListMessagesParams)
  .addSuccess(MessageList)

/**
 * `GET /chat_attendees/{attendee_id}/chats`: one page of the chats of one or
 * more attendees (comma-separated ids in the path).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const listAttendeeChats = HttpApiEndpoint.get("listChats", "/chat_attendees/:attendee_id/chats")
  .setPath(Schema.Struct({ attendee_id: IdList }))
  .setUrlParams(ListAttendeeChatsParams)
  .addSuccess(ChatList)

/**
 * `GET /messages/{message_id}`: one message.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const retrieveMessage = HttpApiEndpoint.get("retrieve", "/messages/:message_id")
  .setPath(Schema.Struct({ message_id: Id }))
  .addSuccess(Message)

/**
 * The endpoints under `/chats`.
 *
 * @since 0.1.0
 * @category groups
 */
export class ChatsGroup extends HttpApiGroup.make("chats")
  .add(retrieveChat)
  .add(listChatAttendees)
  .add(listChatMessages)
{}

/**
 * The endpoints under `/chat_attendees`.
 *
 * @since 0.1.0
 * @category groups
 */
export class ChatAttendeesGroup extends HttpApiGroup.make("chatAttendees").add(listAttendeeChats) {}

/**
 * The endpoints under `/messages`.
 *
 * @since 0.1.0
 * @category groups
 */
export class MessagesGroup extends HttpApiGroup.make("messages").add(retrieveMessage) {}

/**
 * Every documented error response: the envelope of each documented status
 * (`PostpressError.documentedStatuses`), served and read with its status.
 *
 * @since 0.2.0
 * @category errors
 */
export const ErrorResponse = Schema.Union(
  ...documentedStatuses.map(({ envelope, status }) =>
    (envelope as Schema.Schema<DocumentedEnvelope["Type"], DocumentedEnvelope["Encoded"]>).annotations(
      HttpApiSchema.annotations({ status })
    )
  )
)

type DocumentedEnvelope = (typeof documentedStatuses)[number]["envelope"]

/**
 * The whole API: three groups, five endpoints, the documented error envelope
 * of each documented status, and API-key authentication.
 *
 * @since 0.1.0
 * @category api
 */
export class PostpressApi extends HttpApi.make("postpress")
  .add(ChatsGroup)
  .add(ChatAttendeesGroup)
  .add(MessagesGroup)
  .addError(ErrorResponse)
  .middleware(Authentication)
{}

/**
 * Every endpoint by its client method name (`client.chats.retrieve` →
 * `"chats.retrieve"`): the client names its spans after these, and the
 * simulator its routes.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const endpoints = {
  "chats.retrieve": retrieveChat,
  "chats.attendees.list": listChatAttendees,
  "chats.messages.list": listChatMessages,
  "chatAttendees.chats.list": listAttendeeChats,
  "messages.retrieve": retrieveMessage
} as const

/**
 * The name of an endpoint, as in {@link endpoints}.
 *
 * @since 0.1.0
 * @category endpoints
 */
export type EndpointName = keyof typeof endpoints
