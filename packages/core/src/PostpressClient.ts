/**
 * The postpress client: every endpoint as an `Effect` that succeeds with the
 * decoded response and fails with a {@link PostpressError.PostpressError}.
 *
 * Method names mirror the URL paths and parameters keep their wire names.
 * Inputs are checked before anything is sent: a bad one fails with
 * `InvalidRequest` naming the field.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PostpressClient } from "@postpress/core"
 *
 * const program = Effect.gen(function*() {
 *   const client = yield* PostpressClient.PostpressClient
 *   const chat = yield* client.chats.retrieve("chat_123")
 *   const page = yield* client.chats.messages.list(chat.id, { limit: 50, after: new Date("2026-05-01") })
 *   return page.items.map((message) => message.text)
 * })
 * ```
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type { ChatList, ChatWithLastMessage } from "./Chat.js"
import type { ChatAttendeeList } from "./ChatAttendee.js"
import * as Internal from "./internal/client.js"
import * as Params from "./internal/params.js"
import type { Message, MessageList } from "./Message.js"
import type * as PostpressApi from "./PostpressApi.js"
import * as PostpressConfig from "./PostpressConfig.js"
import type { PostpressError } from "./PostpressError.js"

/**
 * An instant: a `Date`, an effect `DateTime`, or an ISO 8601 string. It is
 * sent as `YYYY-MM-DDTHH:MM:SS.sssZ` in UTC.
 *
 * @since 0.1.0
 */
export type DateTimeInput = Params.DateTimeInput

/**
 * Options of `chats.retrieve`.
 *
 * @since 0.1.0
 */
export interface RetrieveChatOptions {
  /** Mandatory when the chat id is a provider id: the postpress account that resolves it. */
  readonly account_id?: string | undefined
}

/**
 * Filters and paging of `chats.messages.list`.
 *
 * @since 0.1.0
 */
export interface ListMessagesOptions {
  /** The `cursor` of the previous page. */
  readonly cursor?: string | undefined
  /** Only messages strictly before this instant. */
  readonly before?: DateTimeInput | undefined
  /** Only messages strictly after this instant. */
  readonly after?: DateTimeInput | undefined
  /** Page size, an integer from 1 to 250; the API's default is 100. */
  readonly limit?: number | undefined
  /** Only messages from this sender. */
  readonly sender_id?: string | undefined
}

/**
 * Filters and paging of `chatAttendees.chats.list`.
 *
 * @since 0.1.0
 */
export interface ListAttendeeChatsOptions {
  /** The `cursor` of the previous page. */
  readonly cursor?: string | undefined
  /** Only chats created strictly before this instant. */
  readonly before?: DateTimeInput | undefined
  /** Only chats created strictly after this instant. */
  readonly after?: DateTimeInput | undefined
  /** Page size, an integer from 1 to 250; the API's default is 100. */
  readonly limit?: number | undefined
  /** Only chats of these linked accounts: one id, a comma-separated list, or an array. */
  readonly account_id?: string | ReadonlyArray<string> | undefined
}

/**
 * The client's surface.
 *
 * @since 0.1.0
 */
export interface Service {
  readonly chats: {
    /** `GET /chats/{chat_id}`: a chat with its last message (`null` for an empty chat). */
    readonly retrieve: (
      chatId: string,
      options?: RetrieveChatOptions
    ) => Effect.Effect<ChatWithLastMessage, PostpressError>
    readonly attendees: {
      /** `GET /chats/{chat_id}/attendees`: every attendee of a chat. */
      readonly list: (chatId: string) => Effect.Effect<ChatAttendeeList, PostpressError>
    }
    readonly messages: {
      /** `GET /chats/{chat_id}/messages`: one page of a chat's messages. */
      readonly list: (chatId: string, options?: ListMessagesOptions) => Effect.Effect<MessageList, PostpressError>
    }
  }
  readonly chatAttendees: {
    readonly chats: {
      /**
       * `GET /chat_attendees/{attendee_id}/chats`: one page of the chats of an
       * attendee (postpress id or provider id), or of several.
       */
      readonly list: (
        attendeeId: string | ReadonlyArray<string>,
        options?: ListAttendeeChatsOptions
      ) => Effect.Effect<ChatList, PostpressError>
    }
  }
  readonly messages: {
    /** `GET /messages/{message_id}`: one message. */
    readonly retrieve: (messageId: string) => Effect.Effect<Message, PostpressError>
  }
}

/**
 * The client service.
 *
 * @since 0.1.0
 */
export class PostpressClient extends Context.Tag("@postpress/core/PostpressClient")<PostpressClient, Service>() {}

/**
 * Builds a client from a configuration and an `HttpClient`.
 *
 * @since 0.1.0
 */
export const make: Effect.Effect<Service, never, PostpressConfig.PostpressConfig | HttpClient.HttpClient> = Effect.gen(
  function*() {
    const config = yield* PostpressConfig.PostpressConfig
    const httpClient = yield* HttpClient.HttpClient
    const endpoint = Internal.makeCaller(httpClient, config)

    const retrieveChat = endpoint("chats.retrieve")
    const listAttendees = endpoint("chats.attendees.list")
    const listMessages = endpoint("chats.messages.list")
    const listChats = endpoint("chatAttendees.chats.list")
    const retrieveMessage = endpoint("messages.retrieve")

    return {
      chats: {
        retrieve: (chatId, options) =>
          Either.match(Params.normalize(options), {
            onLeft: Effect.fail,
            onRight: (params) =>
              retrieveChat({ chat_id: chatId }, params as typeof PostpressApi.RetrieveChatParams.Type)
          }),
        attendees: {
          list: (chatId) => listAttendees({ chat_id: chatId })
        },
        messages: {
          list: (chatId, options) =>
            Either.match(Params.normalize(options), {
              onLeft: Effect.fail,
              onRight: (params) =>
                listMessages({ chat_id: chatId }, params as typeof PostpressApi.ListMessagesParams.Type)
            })
        }
      },
      chatAttendees: {
        chats: {
          list: (attendeeId, options) =>
            Either.match(
              Either.all([Params.toIdList("attendee_id", attendeeId), Params.normalize(options, ["account_id"])]),
              {
                onLeft: Effect.fail,
                onRight: ([ids, params]) =>
                  listChats({ attendee_id: ids }, params as typeof PostpressApi.ListAttendeeChatsParams.Type)
              }
            )
        }
      },
      messages: {
        retrieve: (messageId) => retrieveMessage({ message_id: messageId })
      }
    }
  }
)

/**
 * Provides the client; it needs a `PostpressConfig` and an `HttpClient`.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<PostpressClient, never, PostpressConfig.PostpressConfig | HttpClient.HttpClient> = Layer
  .effect(PostpressClient, make)

/**
 * Provides the client configured through `Config` (by default
 * `POSTPRESS_API_KEY` and `POSTPRESS_BASE_URL`); it needs an `HttpClient`.
 *
 * @since 0.1.0
 */
export const layerConfig = (
  options?: Parameters<typeof PostpressConfig.layerConfig>[0]
): Layer.Layer<PostpressClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.provide(layer, PostpressConfig.layerConfig(options))
