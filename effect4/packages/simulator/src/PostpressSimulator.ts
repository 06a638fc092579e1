/**
 * A faithful simulator of the postpress API, built from the same contract as
 * the client (`PostpressApi`): a deterministic dataset from a seed, the
 * reference's semantics (authentication, 404 types, cursors, filters, limits),
 * injected faults, an optional server-side rate limit, and a record of every
 * request it served.
 *
 * Run it in process, with no socket, for tests (below), or over HTTP with this
 * package's `NodeSimulator` and the `postpress-simulator` command.
 *
 * The dataset and the answers (paging, filters, cursors, errors, which request
 * gets which fault) come from one edition-neutral source that the Effect 3
 * edition's simulator uses too: for the same seed and requests, both serve
 * the same bytes.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PostpressClient } from "@postpress/core"
 * import { PostpressSimulator } from "@postpress/simulator"
 *
 * const program = Effect.gen(function*() {
 *   const simulator = yield* PostpressSimulator.PostpressSimulator
 *   const client = yield* PostpressClient.PostpressClient
 *   const chat = yield* client.chats.retrieve(simulator.dataset.chatId(0))
 *   const requests = yield* simulator.requests // what the client sent
 *   return { name: chat.name, sent: requests.map((request) => request.url) }
 * }).pipe(Effect.provide(PostpressSimulator.layerClient({ seed: 42, chats: 10 })))
 * ```
 *
 * @since 0.1.0
 */
import type * as Chat from "@postpress/core/Chat"
import type * as ChatAttendee from "@postpress/core/ChatAttendee"
import type * as Message from "@postpress/core/Message"
import * as PostpressApi from "@postpress/core/PostpressApi"
import * as PostpressClient from "@postpress/core/PostpressClient"
import * as PostpressConfig from "@postpress/core/PostpressConfig"
import * as PostpressError from "@postpress/core/PostpressError"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpApiError from "effect/http-api/HttpApiError"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import * as HttpMiddleware from "effect/http/HttpMiddleware"
import * as HttpRouter from "effect/http/HttpRouter"
import * as HttpServer from "effect/http/HttpServer"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Handlers from "./internal/handlers.js"
import { makeDataset } from "./internal/shared/dataset.js"
import * as Faults from "./internal/shared/faults.js"
import * as Responses from "./internal/shared/responses.js"

/**
 * The API key the simulator accepts unless told otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiKey = "pp_test_simulator"

/**
 * The base URL of the in-process simulator. It answers under `/api/v1` and
 * under `/v1`, the two prefixes the reference shows.
 *
 * @since 0.1.0
 * @category constants
 */
export const inProcessBaseUrl = "http://postpress.simulator/api/v1"

/**
 * The header a response carries when a transport must enact a fault it cannot
 * express as HTTP (a connection reset).
 *
 * @since 0.1.0
 * @category constants
 */
export const faultHeader = "x-postpress-simulator-fault"

// -----------------------------------------------------------------------------
// faults
// -----------------------------------------------------------------------------

/**
 * A fault the simulator can inject into a response.
 *
 * - `Error`: a documented error status with its envelope (`type` defaults to
 *   the first the reference documents for that status)
 * - `TooManyRequests`: 429 with `Retry-After`
 * - `Latency`: the normal response, late
 * - `ConnectionReset`: the connection drops before any response
 * - `TruncatedBody`: the normal status and headers, then the body stops half-way
 * - `BadGateway`: an HTML 502 page, as a proxy sends
 *
 * @since 0.1.0
 * @category faults
 */
export type Fault = Data.TaggedEnum<{
  Error: { readonly status: PostpressError.DocumentedStatus; readonly type?: string | undefined }
  TooManyRequests: { readonly retryAfterSeconds: number }
  Latency: { readonly duration: Duration.Input }
  ConnectionReset: {}
  TruncatedBody: {}
  BadGateway: {}
}>

/**
 * Constructors of {@link Fault}: `Fault.Error({ status: 503 })`,
 * `Fault.ConnectionReset()`, …
 *
 * @since 0.1.0
 * @category faults
 */
export const Fault = Data.taggedEnum<Fault>()

/**
 * When to inject a fault.
 *
 * @example
 * ```ts
 * import { PostpressSimulator } from "@postpress/simulator"
 *
 * // the 3rd request to the messages list fails with a 503
 * const scripted: PostpressSimulator.FaultRule = {
 *   route: "chats.messages.list",
 *   requests: [3],
 *   fault: PostpressSimulator.Fault.Error({ status: 503 })
 * }
 * // 10% of all requests, reproducibly for the simulator's seed
 * const random: PostpressSimulator.FaultRule = { probability: 0.1, fault: PostpressSimulator.Fault.ConnectionReset() }
 *
 * const Simulator = PostpressSimulator.layer({ seed: 42, faults: [scripted, random] })
 * ```
 *
 * @since 0.1.0
 * @category faults
 */
export interface FaultRule {
  readonly fault: Fault
  /** Only requests to this endpoint; every endpoint when absent. */
  readonly route?: PostpressApi.EndpointName | undefined
  /** The requests (1-based, counted per route, or overall without `route`) that get the fault. */
  readonly requests?: ReadonlyArray<number> | undefined
  /** The chance each matching request gets the fault, drawn from the seed. Default 1 when `requests` is absent. */
  readonly probability?: number | undefined
  /** At most this many injections. */
  readonly times?: number | undefined
}

/**
 * Rules under which `rate` (0 to 1) of all requests fail, spread evenly over
 * `faults` (by default: 503, 500 `errors/provider_error`, 504, 429, connection
 * resets, truncated bodies and HTML 502 pages), reproducibly for the seed.
 *
 * @since 0.1.0
 * @category faults
 */
export const faultMix = (
  rate: number,
  faults: ReadonlyArray<Fault> = [
    Fault.Error({ status: 503, type: "errors/service_unavailable" }),
    Fault.Error({ status: 500, type: "errors/provider_error" }),
    Fault.Error({ status: 504 }),
    Fault.TooManyRequests({ retryAfterSeconds: 1 }),
    Fault.ConnectionReset(),
    Fault.TruncatedBody(),
    Fault.BadGateway()
  ]
): ReadonlyArray<FaultRule> => {
  // rule i sees only what the rules before it let through, so the shares add up to `rate`
  const probabilities = Faults.mixProbabilities(rate, faults.length)
  return faults.map((fault, i) => ({ fault, probability: probabilities[i]! }))
}

/** Each documented status's title, and the type an injected error has unless it names one (its first). */
const injectedErrors = new Map<number, { readonly title: string; readonly type: string }>(
  PostpressError.documentedStatuses.map(({ status, title, types }) => [status, { title, type: types.literals[0] }])
)

// -----------------------------------------------------------------------------
// options and service
// -----------------------------------------------------------------------------

/**
 * A server-side rate limit, in the client's shape (`PostpressConfig.RateLimit`):
 * a token bucket per API key holding `limit` tokens, refilled evenly over
 * `interval`. An empty bucket answers 429 with `Retry-After`.
 *
 * @since 0.1.0
 * @category options
 */
export type RateLimit = PostpressConfig.RateLimit

/**
 * How to build a simulator: the dataset's seed and sizes (`arrivals.every` is
 * a `Duration.Input`), and its behaviour.
 *
 * @since 0.1.0
 * @category options
 */
export interface Options {
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
    | { readonly chats?: ReadonlyArray<number> | undefined; readonly every: Duration.Input }
    | undefined
  /** The API keys it accepts. Default `[defaultApiKey]`. */
  readonly apiKeys?: ReadonlyArray<string> | undefined
  /** Faults to inject; {@link Service.setFaults} replaces them later. */
  readonly faults?: ReadonlyArray<FaultRule> | undefined
  /** A server-side rate limit; none by default. */
  readonly rateLimit?: RateLimit | undefined
  /** How many recent requests {@link Service.requests} keeps. Default 10,000. */
  readonly recordLimit?: number | undefined
}

/**
 * A request the simulator served.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  /** The endpoint, when the path matched one. */
  readonly route: PostpressApi.EndpointName | undefined
  readonly method: string
  /** The path and query as received, e.g. `/api/v1/chats/chat_1/messages?limit=10`. */
  readonly url: string
  /** The path without the `/api/v1` (or `/v1`) prefix. */
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly headers: Readonly<Record<string, string>>
  /** The `X-API-KEY` sent, if any. */
  readonly apiKey: string | undefined
  /** The fault injected into the response, if any. */
  readonly fault: Fault["_tag"] | undefined
  /** When it arrived, in epoch milliseconds on effect's `Clock`. */
  readonly at: number
}

/**
 * The dataset of a simulator: sizes, ids by index, and every entity in its
 * wire form, so a test can name what exists without listing it first.
 *
 * @since 0.1.0
 * @category models
 */
export interface SimulatorDataset {
  /** The seed it was made from: the same seed always gives the same dataset. */
  readonly seed: number
  /** Makes the arrivals due after `elapsed` milliseconds visible (the simulator calls it on its `Clock`). */
  readonly advanceTo: (elapsed: number) => void
  readonly accountCount: number
  readonly attendeeCount: number
  readonly chatCount: number
  readonly accountId: (account: number) => string
  /** The provider of an account (LinkedIn, WhatsApp, Instagram, Telegram, Slack, Messenger, Twitter, in turn). */
  readonly providerOf: (
    account: number
  ) => "LINKEDIN" | "WHATSAPP" | "INSTAGRAM" | "TELEGRAM" | "SLACK" | "MESSENGER" | "TWITTER"
  readonly attendee: (index: number) => typeof ChatAttendee.ChatAttendee.Encoded
  readonly attendeeId: (index: number) => string
  readonly attendeeProviderId: (attendee: number) => string
  readonly accountOfAttendee: (attendee: number) => number
  /** The attendee that is the account itself (`is_self: 1`). */
  readonly selfOf: (account: number) => number
  readonly isSelf: (attendee: number) => boolean
  readonly chat: (index: number) => typeof Chat.Chat.Encoded
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
  readonly message: (chat: number, index: number) => typeof Message.Message.Encoded
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

/**
 * The simulator's API as an HTTP effect: it answers the current
 * `HttpServerRequest`, in the request's `Scope`, and never fails (an
 * unexpected defect is an empty 500).
 *
 * @since 1.0.0
 * @category models
 */
export type App = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  never,
  HttpServerRequest.HttpServerRequest | Scope.Scope
>

/**
 * A running simulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly dataset: SimulatorDataset
  /** The first accepted API key. */
  readonly apiKey: string
  /** The API as an HTTP effect: serve it on any `HttpServer`, or call it in process. */
  readonly app: App
  /** The requests served so far (the most recent `recordLimit`). */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  readonly clearRequests: Effect.Effect<void>
  /** Replaces the fault rules (and restarts their request counts). */
  readonly setFaults: (rules: ReadonlyArray<FaultRule>) => Effect.Effect<void>
}

/**
 * The simulator service.
 *
 * @since 0.1.0
 * @category services
 */
export class PostpressSimulator extends Context.Service<PostpressSimulator, Service>()(
  "@postpress/simulator/PostpressSimulator"
) {}

const routeOf = Responses.makeRouteMatcher(
  Object.entries(PostpressApi.endpoints).map(([name, endpoint]) =>
    [name as PostpressApi.EndpointName, endpoint.path] as const
  )
)

/**
 * Builds a simulator; its app is valid while the scope is open.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, Scope.Scope> =>
  Effect.gen(function*() {
    const dataset = makeDataset({
      ...options,
      arrivals: options.arrivals === undefined
        ? undefined
        : { chats: options.arrivals.chats, every: Duration.toMillis(options.arrivals.every) }
    })
    const apiKeys = new Set(options.apiKeys ?? [defaultApiKey])
    const recordLimit = options.recordLimit ?? 10_000

    const inner = yield* HttpRouter.toHttpEffect(
      Handlers.layer(dataset, apiKeys).pipe(Layer.provide(HttpServer.layerServices))
    )

    let recorded: Array<RecordedRequest> = []
    const faults = Faults.makeFaultChooser(dataset.seed, options.faults ?? [])
    let served = 0
    const buckets = options.rateLimit === undefined ? undefined : Faults.makeTokenBuckets({
      limit: options.rateLimit.limit,
      intervalMillis: Duration.toMillis(options.rateLimit.interval)
    })
    const startedAt = yield* Clock.currentTimeMillis

    /** The contract's app, with postpress envelopes where the framework would answer with its own bodies. */
    const api = (apiKey: string | undefined) =>
      inner.pipe(
        Effect.catchTag("HttpServerError", (error) => {
          if (error.reason._tag !== "RouteNotFound") return Effect.fail(error)
          // as the Effect 3 edition, which authenticated before routing: a refused key is a 401 on any path
          const refused = Responses.authenticate(apiKeys, apiKey ?? "")
          return Effect.succeed(
            refused === undefined ? Handlers.routeNotFound("No such route") : Handlers.unauthorized(refused)
          )
        }),
        Effect.catchDefect((defect) =>
          HttpApiError.HttpApiSchemaError.is(defect) && defect.kind !== "Body" && defect.kind !== "ResponseHeaders"
            ? Effect.succeed(Handlers.badRequest(defect.cause.message))
            : Effect.die(defect)
        )
      )

    const faultResponse = (
      fault: Fault,
      requestId: string,
      respond: Effect.Effect<
        HttpServerResponse.HttpServerResponse,
        unknown,
        HttpServerRequest.HttpServerRequest | Scope.Scope
      >
    ) =>
      Fault.$match(fault, {
        Error: ({ status, type }) => {
          const injected = injectedErrors.get(status)!
          return Effect.succeed(
            HttpServerResponse.jsonUnsafe(
              Responses.injectedError(status, injected.title, type ?? injected.type, requestId),
              { status }
            )
          )
        },
        TooManyRequests: ({ retryAfterSeconds }) => Effect.succeed(tooManyRequests(retryAfterSeconds)),
        Latency: ({ duration }) => Effect.andThen(Effect.sleep(duration), respond),
        ConnectionReset: () =>
          Effect.succeed(HttpServerResponse.empty({ status: 599, headers: { [faultHeader]: "connection-reset" } })),
        TruncatedBody: () =>
          Effect.map(respond, (response) => {
            const body = response.body
            if (body._tag !== "Uint8Array") return response
            const half = body.body.slice(0, Math.floor(body.body.length / 2))
            return HttpServerResponse.stream(
              Stream.concat(Stream.make(half), Stream.fail(new Error("connection reset while sending the body"))),
              {
                status: response.status,
                headers: response.headers,
                contentType: body.contentType,
                contentLength: body.body.length
              }
            )
          }),
        BadGateway: () =>
          Effect.succeed(
            HttpServerResponse.text(Responses.htmlBadGateway, { status: 502, contentType: "text/html" })
          )
      })

    const app: App = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const now = yield* Clock.currentTimeMillis
      dataset.advanceTo(now - startedAt)
      const url = new URL(request.url, "http://simulator")
      const { path, prefix } = Responses.splitPrefix(url.pathname)
      const route = prefix === undefined ? undefined : routeOf(path)
      const fault = faults.choose(route)
      const apiKey = request.headers["x-api-key"]
      recorded.push({
        route,
        method: request.method,
        url: request.url,
        path,
        query: Object.fromEntries(url.searchParams),
        headers: { ...request.headers },
        apiKey,
        fault: fault?._tag,
        at: now
      })
      if (recorded.length > recordLimit) recorded.splice(0, recorded.length - recordLimit)
      const requestId = Responses.requestId(dataset.seed, ++served)

      const respond = Effect.gen(function*() {
        if (prefix === undefined) return Handlers.routeNotFound(`No route ${url.pathname}`)
        const retryAfter = apiKey === undefined ? undefined : buckets?.take(apiKey, now)
        if (retryAfter !== undefined) return tooManyRequests(retryAfter)
        return yield* api(apiKey).pipe(
          Effect.provideService(HttpServerRequest.HttpServerRequest, request.modify({ url: `${path}${url.search}` }))
        )
      })
      const response = fault === undefined ? yield* respond : yield* faultResponse(fault, requestId, respond)
      return HttpServerResponse.setHeader(response, "x-request-id", requestId)
    }).pipe(Effect.catchCause(() => Effect.succeed(HttpServerResponse.empty({ status: 500 }))))

    return {
      dataset,
      apiKey: options.apiKeys?.[0] ?? defaultApiKey,
      app,
      requests: Effect.sync(() => recorded.slice()),
      clearRequests: Effect.sync(() => {
        recorded = []
      }),
      setFaults: (next) => Effect.sync(() => faults.replace(next))
    }
  })

const tooManyRequests = (retryAfterSeconds: number) =>
  HttpServerResponse.jsonUnsafe(Responses.tooManyRequests(retryAfterSeconds), {
    status: 429,
    headers: { "retry-after": String(retryAfterSeconds) }
  })

/**
 * Provides a simulator.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<PostpressSimulator> =>
  Layer.effect(PostpressSimulator, make(options))

/**
 * An `HttpClient` that answers from the simulator in process, with no socket
 * (the request goes to the simulator's app as an `HttpServerRequest`, its
 * response comes back as the `HttpClientResponse`); connection resets become
 * transport errors, as on a network.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeHttpClient = (simulator: Service): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.gen(function*() {
      const serverRequest = HttpServerRequest.fromClientRequest(request).modify({ url: `${url.pathname}${url.search}` })
      // served as a server serves it (HttpServer.serve adds the tracer middleware): one server span per request,
      // the child of the caller's through traceparent, holding the router's attributes (not on the caller's span)
      const response = yield* HttpMiddleware.tracer(simulator.app).pipe(
        Effect.provideService(HttpServerRequest.HttpServerRequest, serverRequest),
        Effect.scoped
      )
      if (response.headers[faultHeader] === "connection-reset") {
        return yield* Effect.fail(
          new HttpClientError.HttpClientError({
            reason: new HttpClientError.TransportError({
              request,
              cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })
            })
          })
        )
      }
      return HttpServerResponse.toClientResponse(response, { request })
    })
  )

/**
 * A simulator and an in-process `HttpClient` answering from it.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient = (options?: Options): Layer.Layer<PostpressSimulator | HttpClient.HttpClient> =>
  Layer.effect(HttpClient.HttpClient, PostpressSimulator.useSync(makeHttpClient)).pipe(
    Layer.provideMerge(layer(options))
  )

/**
 * A simulator and a `PostpressClient` wired to it in process: the quickest
 * way to test code that uses the client. `client` sets the client's
 * resilience (retry policy, timeouts, rate limit) and its lookup cache.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerClient = (
  options?: Options,
  client?: PostpressConfig.ResilienceOptions
): Layer.Layer<PostpressSimulator | PostpressClient.PostpressClient> =>
  Layer.unwrap(
    // a client layer of this call's own: `PostpressClient.layer` is one client for the whole program
    PostpressSimulator.useSync((simulator) =>
      Layer.effect(PostpressClient.PostpressClient, PostpressClient.make).pipe(
        Layer.provide(
          PostpressConfig.layer({ ...client, apiKey: Redacted.make(simulator.apiKey), baseUrl: inProcessBaseUrl })
        ),
        Layer.provide(Layer.succeed(HttpClient.HttpClient, makeHttpClient(simulator)))
      )
    )
  ).pipe(Layer.provideMerge(layer(options)))
