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
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as RateLimiter from "effect/RateLimiter"
import type * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { Chat, ChatList, ChatWithLastMessage } from "./Chat.js"
import type { ChatAttendeeList } from "./ChatAttendee.js"
import * as Lookup from "./internal/http/lookup.js"
import * as Params from "./internal/http/params.js"
import * as RequestPolicy from "./internal/http/policy.js"
import * as Request from "./internal/http/request.js"
import type { Received } from "./internal/http/response.js"
import * as Pagination from "./internal/stream/pagination.js"
import * as Watch from "./internal/stream/watch.js"
import type { Message, MessageList } from "./Message.js"
import * as PostpressApi from "./PostpressApi.js"
import * as PostpressConfig from "./PostpressConfig.js"
import { type PostpressError, type StreamError, type WatchError, withResume } from "./PostpressError.js"
import * as PostpressRateLimiter from "./PostpressRateLimiter.js"
import * as PostpressRetry from "./PostpressRetry.js"

/**
 * An instant: a `Date`, an effect `DateTime`, or an ISO 8601 string. It is
 * sent as `YYYY-MM-DDTHH:MM:SS.sssZ` in UTC.
 *
 * @since 0.1.0
 * @category options
 */
export type DateTimeInput = Date | DateTime.DateTime | string

/**
 * What a caller gives for a query parameter whose type in the contract is
 * `A`: an instant in any form ({@link DateTimeInput}) for a timestamp, one id,
 * ids separated by commas or an array of ids for an id list, else `A` itself.
 *
 * @since 0.2.0
 * @category options
 */
export type ParamInput<A> = A extends DateTime.Utc ? DateTimeInput
  : A extends ReadonlyArray<string> ? string | ReadonlyArray<string>
  : A

/**
 * The options of a call, derived from its endpoint's query schema in
 * `PostpressApi`: each parameter, optional, as a caller gives it
 * ({@link ParamInput}). A parameter added to the contract is an option at once.
 *
 * @since 0.2.0
 * @category options
 */
export type OptionsOf<S extends Schema.Schema.Any> = {
  readonly [K in keyof Schema.Schema.Type<S>]?: ParamInput<Schema.Schema.Type<S>[K]> | undefined
}

/**
 * Options of `chats.retrieve`: `account_id`, mandatory when the chat id is a
 * provider id (the postpress account that resolves it).
 *
 * @since 0.1.0
 * @category options
 */
export interface RetrieveChatOptions extends OptionsOf<typeof PostpressApi.RetrieveChatParams> {}

/**
 * Filters and paging of `chats.messages.list`: `cursor`, `before`, `after`,
 * `limit` (`PostpressApi.PageParams`) and `sender_id`.
 *
 * @since 0.1.0
 * @category options
 */
export interface ListMessagesOptions extends OptionsOf<typeof PostpressApi.ListMessagesParams> {}

/**
 * Filters and paging of `chatAttendees.chats.list`: `cursor`, `before`,
 * `after`, `limit` (`PostpressApi.PageParams`) and `account_id` (one id, ids
 * separated by commas, or an array).
 *
 * @since 0.1.0
 * @category options
 */
export interface ListAttendeeChatsOptions extends OptionsOf<typeof PostpressApi.ListAttendeeChatsParams> {}

/**
 * How a paginated stream runs.
 *
 * @since 0.1.0
 * @category options
 */
export interface StreamOptions {
  /**
   * Pages fetched ahead of the consumer while it works on the current one:
   * an integer from 0 to 32 (default 1; 0 fetches a page only when the
   * previous one is consumed). Memory stays bounded by about `prefetch + 2`
   * pages. Any other value fails the stream with `InvalidRequest`.
   */
  readonly prefetch?: number | undefined
}

/**
 * How `chats.messages.watch` polls.
 *
 * @since 0.1.0
 * @category options
 */
export interface WatchOptions {
  /** The time between polls: a finite duration of at least 100 milliseconds. */
  readonly interval: Duration.DurationInput
  /** Emit the messages after this instant first; without it, only messages that arrive from now on. */
  readonly since?: DateTimeInput | undefined
  /** Only messages from this sender. */
  readonly sender_id?: string | undefined
  /** The page size of each poll (default 100). */
  readonly limit?: number | undefined
}

/**
 * The client's surface.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly chats: {
    /**
     * `GET /chats/{chat_id}`: a chat with its last message (`null` for an
     * empty chat). A lookup: concurrent calls with the same arguments share
     * one request, and {@link withCache} caches it.
     */
    readonly retrieve: (
      chatId: string,
      options?: RetrieveChatOptions
    ) => Effect.Effect<ChatWithLastMessage, PostpressError>
    readonly attendees: {
      /**
       * `GET /chats/{chat_id}/attendees`: every attendee of a chat. A lookup:
       * concurrent calls for the same chat share one request, and
       * {@link withCache} caches it.
       */
      readonly list: (chatId: string) => Effect.Effect<ChatAttendeeList, PostpressError>
    }
    readonly messages: {
      /** `GET /chats/{chat_id}/messages`: one page of a chat's messages, newest first. */
      readonly list: (chatId: string, options?: ListMessagesOptions) => Effect.Effect<MessageList, PostpressError>
      /**
       * Every page from `options.cursor` on, fetched lazily. Each page's
       * `cursor` resumes right after it: save it to checkpoint.
       */
      readonly pages: (
        chatId: string,
        options?: ListMessagesOptions & StreamOptions
      ) => Stream.Stream<MessageList, StreamError>
      /**
       * Every message, newest first, paginated lazily: nothing is sent until the
       * stream is pulled, and `Stream.take(n)` fetches only the pages it needs.
       *
       * @example
       * ```ts
       * import { Effect, Stream } from "effect"
       * import { PostpressClient } from "@postpress/core"
       *
       * // the first 10 messages with attachments: only the pages needed to find them are fetched
       * const withAttachments = (chatId: string) =>
       *   Effect.flatMap(PostpressClient.PostpressClient, (client) =>
       *     client.chats.messages.stream(chatId, { limit: 250 }).pipe(
       *       Stream.filter((message) => message.attachments.length > 0),
       *       Stream.take(10),
       *       Stream.runCollect
       *     ))
       * ```
       */
      readonly stream: (
        chatId: string,
        options?: ListMessagesOptions & StreamOptions
      ) => Stream.Stream<Message, StreamError>
      /**
       * New messages as they arrive, oldest first, polling every `interval`
       * with `after`: none lost or emitted twice across polls, even when they
       * share a timestamp. Endless; interrupt it to stop.
       */
      readonly watch: (chatId: string, options: WatchOptions) => Stream.Stream<Message, WatchError>
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
      /** Every page from `options.cursor` on, fetched lazily; each page's `cursor` resumes right after it. */
      readonly pages: (
        attendeeId: string | ReadonlyArray<string>,
        options?: ListAttendeeChatsOptions & StreamOptions
      ) => Stream.Stream<ChatList, StreamError>
      /** Every chat of the attendee(s), newest activity first, paginated lazily. */
      readonly stream: (
        attendeeId: string | ReadonlyArray<string>,
        options?: ListAttendeeChatsOptions & StreamOptions
      ) => Stream.Stream<Chat, StreamError>
    }
  }
  readonly messages: {
    /**
     * `GET /messages/{message_id}`: one message. A lookup: concurrent calls
     * for the same id share one request, and {@link withCache} caches it.
     */
    readonly retrieve: (messageId: string) => Effect.Effect<Message, PostpressError>
  }
}

/**
 * What a stream's consumer waits, once woken by a prefetched page, before it
 * works on that page: by default nothing. A transport that writes a request
 * only some event-loop turns after the response before it (undici, on a
 * kept-alive socket) provides the wait, so that the next page's request goes
 * out before the consumer's decoding holds it back; `@postpress/node`'s layers
 * do. The client reads it once, when it is built.
 *
 * A transport timing knob, not an application setting: `@postpress/node`'s
 * layers set it for their undici transport, and an application has no reason
 * to provide it.
 *
 * @since 0.2.0
 * @category services
 */
export class PageHandoff extends Context.Reference<PageHandoff>()("@postpress/core/PostpressClient/PageHandoff", {
  defaultValue: (): Effect.Effect<void> => Effect.void
}) {}

/**
 * A cache of lookups (`chats.retrieve`, `chats.attendees.list`,
 * `messages.retrieve`), made by {@link makeCache}: successes only, each kept
 * for the cache's time to live, at most its capacity of them. Only
 * {@link makeCache} makes one (the client refuses any other object).
 *
 * @since 0.3.0
 * @category models
 */
export interface Cache {
  /** The most lookups kept; beyond it, the least recently used leaves. */
  readonly capacity: number
  /** How long a result is served from memory, counted from its response. */
  readonly timeToLive: Duration.Duration
  /** How many lookups it holds now (an expired one until it is next looked up or pushed out). */
  readonly size: number
}

/**
 * The size and freshness of a lookup cache.
 *
 * @since 0.3.0
 * @category options
 */
export interface CacheOptions {
  /** The most lookups kept; beyond it, the least recently used leaves. */
  readonly capacity: number
  /** How long a result is served from memory, counted from its response. */
  readonly timeToLive: Duration.DurationInput
}

/**
 * Makes an empty lookup cache, to provide as {@link LookupCache}: one cache
 * for several regions of a program, or for a `Stream`. {@link withCache} makes
 * one for a single effect.
 *
 * @since 0.3.0
 * @category constructors
 */
export const makeCache = (options: CacheOptions): Effect.Effect<Cache> => Effect.sync(() => new Lookup.Cache(options))

/**
 * The cache a region's lookups are served from, if any: none by default, so
 * they use the client's own cache (the `cache` option of `PostpressConfig`)
 * or, when it has none, ask the API (concurrent equal lookups still share one
 * request).
 * {@link withCache} provides one for an effect; to give one to a `Stream`, or
 * several regions one between them, provide `Option.some(cache)` of a
 * {@link makeCache} cache yourself.
 *
 * @example
 * ```ts
 * import { Effect, Option, Stream } from "effect"
 * import { PostpressClient } from "@postpress/core"
 *
 * // each message with its chat's name: the chats are looked up once each, for the whole stream
 * const named = (chatIds: ReadonlyArray<string>) =>
 *   Stream.unwrap(Effect.map(PostpressClient.PostpressClient, (client) =>
 *     Stream.fromIterable(chatIds).pipe(
 *       Stream.flatMap((chatId) => client.chats.messages.stream(chatId)),
 *       Stream.mapEffect((message) =>
 *         Effect.map(client.chats.retrieve(message.chat_id), (chat) => ({ chat: chat.name, text: message.text })))
 *     ))).pipe(
 *       Stream.provideServiceEffect(
 *         PostpressClient.LookupCache,
 *         Effect.map(PostpressClient.makeCache({ capacity: 1_000, timeToLive: "10 minutes" }), Option.some)
 *       )
 *     )
 * ```
 *
 * @since 0.3.0
 * @category references
 */
export class LookupCache extends Context.Reference<LookupCache>()("@postpress/core/PostpressClient/LookupCache", {
  defaultValue: (): Option.Option<Cache> => Option.none()
}) {}

/**
 * Runs an effect with its lookups (`chats.retrieve`, `chats.attendees.list`,
 * `messages.retrieve`) cached: a lookup made again within `timeToLive` of the
 * first one's response is answered from memory, without a request. Failures
 * are never cached: a lookup that failed (a 404, a timeout, an invalid id) is
 * sent again next time.
 *
 * Each run of the effect gets a new, empty cache, used only by that run: wrap
 * the whole pipeline, not one lookup (a lookup wrapped on its own caches
 * nothing across calls). For one cache for the whole program, give the
 * client a `cache` instead (`PostpressConfig.layer({ apiKey, cache })`,
 * `NodePostpress.layer({ apiKey, cache })`, …): that is the usual way; this
 * one is for a region that wants a cache of its own.
 *
 * The price is staleness: for up to `timeToLive`, a lookup returns what the
 * API answered the first time — a renamed chat keeps its old name, a new
 * attendee is missing, a deleted message is still found. Choose the time to
 * live by how stale a result may be. Lists of pages (`chats.messages.list`,
 * the streams, `watch`) are never cached.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PostpressClient } from "@postpress/core"
 *
 * // the name of each message's chat: one request per chat, not one per message
 * const chatNames = (messageIds: ReadonlyArray<string>) =>
 *   Effect.gen(function*() {
 *     const client = yield* PostpressClient.PostpressClient
 *     return yield* Effect.forEach(messageIds, (id) =>
 *       Effect.flatMap(client.messages.retrieve(id), (message) =>
 *         Effect.map(client.chats.retrieve(message.chat_id), (chat) => chat.name)), { concurrency: 16 })
 *   }).pipe(PostpressClient.withCache({ capacity: 10_000, timeToLive: "5 minutes" }))
 * ```
 *
 * @since 0.3.0
 * @category combinators
 */
export const withCache: {
  (options: CacheOptions): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, options: CacheOptions): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, options: CacheOptions): Effect.Effect<A, E, R> =>
    Effect.flatMap(makeCache(options), (cache) => Effect.provideService(self, LookupCache, Option.some(cache)))
)

const normalizeRetrieveParams = Params.normalizer(PostpressApi.RetrieveChatParams)
const normalizeMessagesParams = Params.normalizer(PostpressApi.ListMessagesParams)
const normalizeChatsParams = Params.normalizer(PostpressApi.ListAttendeeChatsParams)

/**
 * The client service.
 *
 * @since 0.1.0
 * @category services
 */
export class PostpressClient extends Context.Tag("@postpress/core/PostpressClient")<PostpressClient, Service>() {}

/**
 * Builds a client from a configuration and an `HttpClient`; its rate limiter
 * lives as long as the scope, and its lookups in flight are interrupted when
 * the scope closes. A provided `PostpressRateLimiter` replaces the
 * local limiter `PostpressConfig.rateLimit` describes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<
  Service,
  never,
  PostpressConfig.PostpressConfig | HttpClient.HttpClient | Scope.Scope
> = Effect.gen(
  function*() {
    const config = yield* PostpressConfig.PostpressConfig
    const httpClient = yield* HttpClient.HttpClient
    const provided = yield* Effect.serviceOption(PostpressRateLimiter.PostpressRateLimiter)
    const limiter = Option.isSome(provided)
      ? provided.value
      : config.rateLimit === undefined
      ? undefined
      : yield* RateLimiter.make({ ...config.rateLimit, algorithm: "token-bucket" })
    const endpoint = Request.makeCaller(httpClient, config, RequestPolicy.make(config, limiter))
    const handoff = yield* PageHandoff

    const retrieveChatEndpoint = endpoint("chats.retrieve")
    const listAttendeesEndpoint = endpoint("chats.attendees.list")
    const listMessagesEndpoint = endpoint("chats.messages.list")
    const listChatsEndpoint = endpoint("chatAttendees.chats.list")
    const retrieveMessageEndpoint = endpoint("messages.retrieve")
    const lookups = yield* Lookup.make({
      RetrieveChat: ({ account_id, chat_id }) =>
        retrieveChatEndpoint({ chat_id }, account_id === undefined ? {} : { account_id }),
      ListChatAttendees: ({ chat_id }) => listAttendeesEndpoint({ chat_id }),
      RetrieveMessage: ({ message_id }) => retrieveMessageEndpoint({ message_id })
    })
    const { owner } = lookups
    // the client's own cache (`PostpressConfig`'s `cache`), used wherever no region provides its own
    const clientCache: Option.Option<Lookup.Cache> = config.cache === undefined
      ? Option.none()
      : Option.some(new Lookup.Cache(config.cache))
    const lookup = <A extends Lookup.Lookup>(request: A) =>
      Effect.flatMap(LookupCache, (cache) =>
        Option.isNone(cache)
          ? lookups.run(request, clientCache)
          : cache.value instanceof Lookup.Cache
          ? lookups.run(request, cache as Option.Option<Lookup.Cache>)
          : Effect.dieMessage("PostpressClient.LookupCache: a cache must be made by PostpressClient.makeCache"))

    // a page of a stream retries by the stream policy, unless a region of the program overrides the policy
    const streamPage = <A>(page: Effect.Effect<A, PostpressError>) =>
      Effect.flatMap(
        PostpressRetry.CurrentPolicy,
        (override) => Option.isSome(override) ? page : PostpressRetry.withPolicy(page, config.streamRetryPolicy)
      )
    /** The stream of a list's pages, once its request and options are checked (or the failure of the check). */
    const pagesOf = <P extends Pagination.Page<unknown>, Path, Params extends object>(
      request: Either.Either<readonly [Path, Params], PostpressError>,
      options: StreamOptions & { readonly cursor?: string | undefined },
      fetch: (path: Path, params: Params) => Effect.Effect<Received<P>, PostpressError>
    ): Stream.Stream<P, StreamError> =>
      Either.match(Either.all([request, Params.toPrefetch(options.prefetch)]), {
        onLeft: (error) => Stream.fail(withResume(error, { cursor: options.cursor, pages: 0 })),
        onRight: ([[path, params], prefetch]) =>
          Pagination.pages(
            (cursor) => streamPage(fetch(path, cursor === undefined ? params : { ...params, cursor })),
            { cursor: options.cursor, prefetch, handoff }
          )
      })
    const messagesRequest = (chatId: string, options?: ListMessagesOptions) =>
      Either.map(
        normalizeMessagesParams(options),
        (params) => [{ chat_id: chatId }, params] as const
      )
    const chatsRequest = (attendeeId: string | ReadonlyArray<string>, options?: ListAttendeeChatsOptions) =>
      Either.map(
        Either.all([Params.toIdList("attendee_id", attendeeId), normalizeChatsParams(options)]),
        ([ids, params]) => [{ attendee_id: ids }, params] as const
      )
    const listMessages = (chatId: string, options?: ListMessagesOptions) =>
      Effect.flatMap(messagesRequest(chatId, options), ([path, params]) => listMessagesEndpoint(path, params))
    const listChats = (attendeeId: string | ReadonlyArray<string>, options?: ListAttendeeChatsOptions) =>
      Effect.flatMap(chatsRequest(attendeeId, options), ([path, params]) => listChatsEndpoint(path, params))
    // the options are checked and normalised once per stream; only the cursor changes from page to page
    const messagePages = (chatId: string, { prefetch, ...options }: ListMessagesOptions & StreamOptions = {}) =>
      pagesOf(messagesRequest(chatId, options), { ...options, prefetch }, listMessagesEndpoint.received)
    const chatPages = (
      attendeeId: string | ReadonlyArray<string>,
      { prefetch, ...options }: ListAttendeeChatsOptions & StreamOptions = {}
    ) => pagesOf(chatsRequest(attendeeId, options), { ...options, prefetch }, listChatsEndpoint.received)

    return {
      chats: {
        retrieve: (chatId, options) =>
          Effect.flatMap(
            normalizeRetrieveParams(options),
            ({ account_id }) => lookup(new Lookup.RetrieveChat({ owner, chat_id: chatId, account_id }))
          ),
        attendees: {
          list: (chatId) => lookup(new Lookup.ListChatAttendees({ owner, chat_id: chatId }))
        },
        messages: {
          list: listMessages,
          pages: messagePages,
          stream: (chatId, options) => Pagination.items(messagePages(chatId, options)),
          watch: (chatId, { interval, limit, sender_id, since }) =>
            Either.match(
              Either.all([
                Params.toInterval(interval),
                since === undefined ? Either.right(undefined) : Params.toUtc("since", since),
                messagesRequest(chatId, { limit, sender_id })
              ]),
              {
                onLeft: Stream.fail,
                onRight: ([interval, utc]) =>
                  Watch.watch(
                    (options) => messagePages(chatId, { ...options, limit, sender_id, prefetch: 0 }),
                    listMessages(chatId, { limit: 1, sender_id }),
                    { interval, since: utc === undefined ? undefined : DateTime.toEpochMillis(utc) }
                  )
              }
            )
        }
      },
      chatAttendees: {
        chats: {
          list: listChats,
          pages: chatPages,
          stream: (attendeeId, options) => Pagination.items(chatPages(attendeeId, options))
        }
      },
      messages: {
        retrieve: (messageId) => lookup(new Lookup.RetrieveMessage({ owner, message_id: messageId }))
      }
    }
  }
)

/**
 * Provides the client; it needs a `PostpressConfig` and an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<PostpressClient, never, PostpressConfig.PostpressConfig | HttpClient.HttpClient> = Layer
  .scoped(PostpressClient, make)

/**
 * Provides the client configured through `Config` (by default
 * `POSTPRESS_API_KEY` and `POSTPRESS_BASE_URL`); it needs an `HttpClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options?: Parameters<typeof PostpressConfig.layerConfig>[0]
): Layer.Layer<PostpressClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.provide(layer, PostpressConfig.layerConfig(options))

/**
 * The whole stack from explicit values on the platform's `fetch`: the client,
 * its configuration and `FetchHttpClient` from `@effect/platform`. The one
 * line for Bun, Deno, Cloudflare Workers, browsers and any other runtime with
 * a global `fetch` (on Node, `NodePostpress.layer` from `@postpress/node` is
 * the faster choice).
 *
 * In a browser, a request to another origin is subject to CORS: the API must
 * allow the `x-api-key` header (and `traceparent`/`b3`, sent unless tracing
 * propagation is off).
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { PostpressClient } from "@postpress/core"
 *
 * // in a Cloudflare Worker: the key from the Worker's secret
 * const chatName = (apiKey: string, chatId: string) =>
 *   Effect.gen(function*() {
 *     const client = yield* PostpressClient.PostpressClient
 *     const chat = yield* client.chats.retrieve(chatId)
 *     return chat.name
 *   }).pipe(Effect.provide(PostpressClient.layerFetch({ apiKey: Redacted.make(apiKey) })))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerFetch = (options: PostpressConfig.Options): Layer.Layer<PostpressClient> =>
  Layer.provide(layer, Layer.merge(PostpressConfig.layer(options), FetchHttpClient.layer))

/**
 * The whole stack from `Config` on the platform's `fetch`: by default
 * `POSTPRESS_API_KEY` and `POSTPRESS_BASE_URL`, as {@link layerConfig} reads
 * them, over `FetchHttpClient` from `@effect/platform`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PostpressClient } from "@postpress/core"
 *
 * // Bun or Deno: POSTPRESS_API_KEY (and optionally POSTPRESS_BASE_URL) from the environment
 * const program = Effect.gen(function*() {
 *   const client = yield* PostpressClient.PostpressClient
 *   return yield* client.messages.retrieve("msg_123")
 * }).pipe(Effect.provide(PostpressClient.layerFetchConfig()))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerFetchConfig = (
  options?: Parameters<typeof PostpressConfig.layerConfig>[0]
): Layer.Layer<PostpressClient, ConfigError.ConfigError> => Layer.provide(layerConfig(options), FetchHttpClient.layer)
