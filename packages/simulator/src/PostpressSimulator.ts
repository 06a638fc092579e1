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
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as PostpressApi from "@postpress/core/PostpressApi"
import * as PostpressClient from "@postpress/core/PostpressClient"
import * as PostpressConfig from "@postpress/core/PostpressConfig"
import * as PostpressError from "@postpress/core/PostpressError"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { type Dataset, type DatasetOptions, makeDataset } from "./internal/dataset.js"
import * as Handlers from "./internal/handlers.js"
import { hash } from "./internal/random.js"

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
  Latency: { readonly duration: Duration.DurationInput }
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
): ReadonlyArray<FaultRule> =>
  // rule i sees only what the rules before it let through, so the shares add up to `rate`
  faults.map((fault, i) => ({ fault, probability: rate / faults.length / (1 - (rate * i) / faults.length) }))

/** Each documented status's title, and the type an injected error has unless it names one (its first). */
const injectedErrors = new Map(
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
 * How to build a simulator: the dataset's seed and sizes, and its behaviour.
 *
 * @since 0.1.0
 * @category options
 */
export interface Options extends DatasetOptions {
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
export type SimulatorDataset = Dataset

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
  /** The API as an `HttpApp`: serve it on any `HttpServer`, or call it in process. */
  readonly app: HttpApp.Default<never, Scope.Scope>
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
export class PostpressSimulator extends Context.Tag("@postpress/simulator/PostpressSimulator")<
  PostpressSimulator,
  Service
>() {}

const routes: ReadonlyArray<readonly [PostpressApi.EndpointName, RegExp]> = Object.entries(PostpressApi.endpoints)
  .map(([name, endpoint]) => [
    name as PostpressApi.EndpointName,
    new RegExp(`^${endpoint.path.replace(/:[a-z_]+/g, "[^/]+")}$`)
  ])

const routeOf = (path: string) => routes.find(([, pattern]) => pattern.test(path))?.[0]

const PREFIXES = ["/api/v1", "/v1"]

const htmlBadGateway = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

/**
 * Builds a simulator; its app is valid while the scope is open.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, Scope.Scope> =>
  Effect.gen(function*() {
    const dataset = makeDataset(options)
    const apiKeys = options.apiKeys ?? [defaultApiKey]
    const recordLimit = options.recordLimit ?? 10_000

    const api = yield* Layer.build(
      Layer.mergeAll(
        Handlers.layer(dataset, new Set(apiKeys)),
        HttpApiBuilder.Router.Live,
        HttpApiBuilder.Middleware.layer,
        HttpApiBuilder.middleware(envelopeErrors),
        HttpServer.layerContext
      )
    )
    const inner = yield* HttpApiBuilder.httpApp.pipe(Effect.provide(api))

    let recorded = Chunk.empty<RecordedRequest>()
    let rules = options.faults ?? []
    let counts = new Map<string, number>()
    let injections = new Map<FaultRule, number>()
    let served = 0
    const buckets = new Map<string, { tokens: number; at: number }>()
    const startedAt = yield* Clock.currentTimeMillis

    const decideFault = (route: PostpressApi.EndpointName | undefined): Fault | undefined => {
      for (const [index, rule] of rules.entries()) {
        if (rule.route !== undefined && rule.route !== route) continue
        const key = `${index}:${rule.route ?? "*"}`
        const nth = (counts.get(key) ?? 0) + 1
        counts.set(key, nth)
        if (rule.times !== undefined && (injections.get(rule) ?? 0) >= rule.times) continue
        const hit = rule.requests !== undefined
          ? rule.requests.includes(nth)
          : hash(dataset.seed, 0x5eed, index, nth) / 4294967296 < (rule.probability ?? 1)
        if (hit) {
          injections.set(rule, (injections.get(rule) ?? 0) + 1)
          return rule.fault
        }
      }
      return undefined
    }

    const rateLimited = (apiKey: string, now: number): { retryAfter: number; remaining: number } | undefined => {
      const limit = options.rateLimit
      if (limit === undefined) return undefined
      const perMs = Duration.toMillis(limit.interval) / limit.limit
      const bucket = buckets.get(apiKey) ?? { tokens: limit.limit, at: now }
      bucket.tokens = Math.min(limit.limit, bucket.tokens + (now - bucket.at) / perMs)
      bucket.at = now
      buckets.set(apiKey, bucket)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return undefined
      }
      return { retryAfter: Math.max(1, Math.ceil(((1 - bucket.tokens) * perMs) / 1000)), remaining: 0 }
    }

    const faultResponse = (
      fault: Fault,
      requestId: string,
      respond: Effect.Effect<HttpServerResponse.HttpServerResponse, never, any>
    ) =>
      Fault.$match(fault, {
        Error: ({ status, type }) => {
          const injected = injectedErrors.get(status)!
          return Effect.succeed(HttpServerResponse.unsafeJson({
            title: injected.title,
            detail: "Injected by the postpress simulator.",
            instance: requestId,
            type: type ?? injected.type,
            status
          }, { status }))
        },
        TooManyRequests: ({ retryAfterSeconds }) => Effect.succeed(tooManyRequests(retryAfterSeconds)),
        Latency: ({ duration }) => Effect.zipRight(Effect.sleep(duration), respond),
        ConnectionReset: () =>
          Effect.succeed(HttpServerResponse.empty({ status: 599, headers: { [faultHeader]: "connection-reset" } })),
        TruncatedBody: () =>
          Effect.flatMap(respond, (response) => {
            const body = response.body
            if (body._tag !== "Uint8Array") return Effect.succeed(response)
            const half = body.body.slice(0, Math.floor(body.body.length / 2))
            return Effect.succeed(HttpServerResponse.stream(
              Stream.concat(Stream.make(half), Stream.fail(new Error("connection reset while sending the body"))),
              {
                status: response.status,
                headers: response.headers,
                contentType: body.contentType,
                contentLength: body.body.length
              }
            ))
          }),
        BadGateway: () =>
          Effect.succeed(HttpServerResponse.text(htmlBadGateway, { status: 502, contentType: "text/html" }))
      })

    const app: HttpApp.Default<never, Scope.Scope> = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const now = yield* Clock.currentTimeMillis
      dataset.advanceTo(now - startedAt)
      const url = new URL(request.url, "http://simulator")
      const prefix = PREFIXES.find((p) => url.pathname === p || url.pathname.startsWith(`${p}/`))
      const path = prefix === undefined ? url.pathname : url.pathname.slice(prefix.length)
      const route = prefix === undefined ? undefined : routeOf(path)
      const fault = decideFault(route)
      const apiKey = request.headers["x-api-key"]
      recorded = Chunk.append(recorded, {
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
      if (Chunk.size(recorded) > recordLimit) recorded = Chunk.drop(recorded, Chunk.size(recorded) - recordLimit)
      const requestId = `req_${dataset.seed}_${++served}`

      const respond = Effect.gen(function*() {
        if (prefix === undefined) return Handlers.routeNotFound(`No route ${url.pathname}`)
        const limited = apiKey === undefined ? undefined : rateLimited(apiKey, now)
        if (limited !== undefined) return tooManyRequests(limited.retryAfter)
        return yield* inner.pipe(
          Effect.provideService(
            HttpServerRequest.HttpServerRequest,
            request.modify({ url: `${path}${url.search}` })
          )
        )
      })
      const response = fault === undefined ? yield* respond : yield* faultResponse(fault, requestId, respond)
      return HttpServerResponse.setHeader(response, "x-request-id", requestId)
    }).pipe(Effect.catchAllCause(() => Effect.succeed(HttpServerResponse.empty({ status: 500 }))))

    return {
      dataset,
      apiKey: apiKeys[0] ?? defaultApiKey,
      app,
      requests: Effect.sync(() => Chunk.toReadonlyArray(recorded)),
      clearRequests: Effect.sync(() => {
        recorded = Chunk.empty()
      }),
      setFaults: (next) =>
        Effect.sync(() => {
          rules = next
          counts = new Map()
          injections = new Map()
        })
    }
  })

const tooManyRequests = (retryAfterSeconds: number) =>
  HttpServerResponse.unsafeJson(
    {
      title: "Too Many Requests",
      detail: `Retry after ${retryAfterSeconds} seconds.`,
      type: "errors/too_many_requests",
      status: 429
    },
    { status: 429, headers: { "retry-after": String(retryAfterSeconds) } }
  )

/** Answers decode failures and unknown routes with postpress envelopes instead of the framework's bodies. */
const envelopeErrors = (app: HttpApp.Default): HttpApp.Default =>
  Effect.catchIf(
    app,
    (error: unknown) =>
      typeof error === "object" && error !== null && "_tag" in error &&
      (error._tag === "HttpApiDecodeError" || error._tag === "RouteNotFound"),
    (error: any) =>
      Effect.succeed(
        error._tag === "RouteNotFound" ? Handlers.routeNotFound("No such route") : Handlers.badRequest(error.message)
      )
  ) as HttpApp.Default

/**
 * Provides a simulator.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<PostpressSimulator> =>
  Layer.scoped(PostpressSimulator, make(options))

/**
 * An `HttpClient` that answers from the simulator in process, with no socket;
 * `connection resets` become transport errors, as on a network.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeHttpClient = (simulator: Service): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.gen(function*() {
      const runtime = yield* Effect.runtime<never>()
      const handler = HttpApp.toWebHandlerRuntime(runtime)(simulator.app)
      // No AbortSignal on the Request: on Node 20 a signal there is kept alive with everything its
      // listeners reach (the handler's fiber and its response), about a page per request. Interrupting
      // the caller still returns at once; the simulator's side of that request just runs to its end.
      const response = yield* Effect.async<Response>((resume) => {
        handler(new Request(url, { method: request.method, headers: request.headers })).then(
          (response) => resume(Effect.succeed(response)),
          (error) => resume(Effect.die(error))
        )
      })
      if (response.headers.get(faultHeader) === "connection-reset") {
        return yield* Effect.fail(
          new HttpClientError.RequestError({
            request,
            reason: "Transport",
            cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })
          })
        )
      }
      return HttpClientResponse.fromWeb(request, response)
    })
  )

/**
 * A simulator and an in-process `HttpClient` answering from it.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient = (options?: Options): Layer.Layer<PostpressSimulator | HttpClient.HttpClient> =>
  Layer.effectContext(
    Effect.map(PostpressSimulator, (simulator) => Context.make(HttpClient.HttpClient, makeHttpClient(simulator)))
  ).pipe(Layer.provideMerge(layer(options)))

/**
 * A simulator and a `PostpressClient` wired to it in process: the quickest
 * way to test code that uses the client. `client` sets the client's
 * resilience (retry policy, timeouts, rate limit).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerClient = (
  options?: Options,
  client?: PostpressConfig.ResilienceOptions
): Layer.Layer<PostpressSimulator | PostpressClient.PostpressClient> =>
  Layer.unwrapEffect(
    Effect.map(PostpressSimulator, (simulator) =>
      PostpressClient.layer.pipe(
        Layer.provide(
          PostpressConfig.layer({ ...client, apiKey: Redacted.make(simulator.apiKey), baseUrl: inProcessBaseUrl })
        ),
        Layer.provide(Layer.succeed(HttpClient.HttpClient, makeHttpClient(simulator)))
      ))
  ).pipe(Layer.provideMerge(layer(options)))
