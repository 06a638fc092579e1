/**
 * The client's configuration: the API key and the base URL.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { PostpressConfig } from "@postpress/core"
 *
 * // explicit values
 * const ExplicitConfig = PostpressConfig.layer({ apiKey: Redacted.make("pp_live_...") })
 *
 * // POSTPRESS_API_KEY and POSTPRESS_BASE_URL from the environment
 * const EnvConfig = PostpressConfig.layerConfig()
 * ```
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import type * as PostpressClient from "./PostpressClient.js"
import * as PostpressRetry from "./PostpressRetry.js"

/**
 * The base URL of the postpress API, as in the reference's request examples.
 * The reference's headings show `https://api.postpress.ai/v1`; set `baseUrl`
 * (or `POSTPRESS_BASE_URL`) to that if your account is served there.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBaseUrl = "https://api.postpress.ai/api/v1"

/**
 * A client-side rate limit: at most `limit` requests per `interval`, shared
 * by every call of the client (a token bucket).
 *
 * @since 0.1.0
 * @category models
 */
export interface RateLimit {
  readonly limit: number
  readonly interval: Duration.Input
}

/**
 * How the client rides out failures. Every field has a default.
 *
 * @since 0.1.0
 * @category models
 */
export interface Resilience {
  /** Which failures are retried, and when (default `PostpressRetry.defaultPolicy`). */
  readonly retryPolicy: PostpressRetry.Policy
  /**
   * The same for each page of a paginated stream (default
   * `PostpressRetry.streamPolicy`: more attempts, as a long stream is a job
   * whose progress is precious). The retry budget and the deadline still apply.
   */
  readonly streamRetryPolicy: PostpressRetry.Policy
  /** The retry budget shared by the client (default `PostpressRetry.defaultBudget`; `undefined`: none). */
  readonly retryBudget: PostpressRetry.Budget | undefined
  /** The longest `Retry-After` honoured; beyond it the call fails with the wait in the error (default 60 s). */
  readonly retryAfterCap: Duration.Duration
  /** The time one attempt may take (default 30 s). */
  readonly attemptTimeout: Duration.Duration
  /** The time a call may take with all its retries and waits (default 2 minutes); no attempt or wait runs past it. */
  readonly timeout: Duration.Duration
  /** A client-side rate limit (default none; see also `PostpressRateLimiter` to share one across processes). */
  readonly rateLimit: RateLimit | undefined
}

/**
 * The resolved configuration.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service extends Resilience {
  /** The API key, sent as `X-API-KEY`; never logged, printed or traced. */
  readonly apiKey: Redacted.Redacted
  /** The base URL every path is appended to, without a trailing slash. */
  readonly baseUrl: string
  /**
   * The client's lookup cache, if any (default none): the client makes it
   * when it is built, and it lives as long as the client.
   *
   * @since 1.0.0
   */
  readonly cache: PostpressClient.CacheOptions | undefined
}

/**
 * The client's settings besides its key and base URL, as options, each
 * optional: its resilience (durations in any `Duration.Input`) and its lookup cache.
 *
 * @since 0.1.0
 * @category options
 */
export interface ResilienceOptions {
  readonly retryPolicy?: PostpressRetry.Policy | undefined
  readonly streamRetryPolicy?: PostpressRetry.Policy | undefined
  /** `false` turns the budget off. */
  readonly retryBudget?: PostpressRetry.Budget | false | undefined
  readonly retryAfterCap?: Duration.Input | undefined
  readonly attemptTimeout?: Duration.Input | undefined
  readonly timeout?: Duration.Input | undefined
  readonly rateLimit?: RateLimit | undefined
  /**
   * A lookup cache for the whole client (default none): `chats.retrieve`,
   * `chats.attendees.list` and `messages.retrieve` made again within
   * `timeToLive` of a success are answered from memory, wherever and however
   * often they run, for as long as the client lives. Failures are never
   * cached. A region under `PostpressClient.withCache` (or with its own
   * `PostpressClient.LookupCache`) uses its own cache instead.
   *
   * @since 1.0.0
   */
  readonly cache?: PostpressClient.CacheOptions | undefined
}

/**
 * What {@link make} and {@link layer} take.
 *
 * @since 0.1.0
 * @category options
 */
export interface Options extends ResilienceOptions {
  readonly apiKey: Redacted.Redacted
  /** Defaults to {@link defaultBaseUrl}. */
  readonly baseUrl?: string | undefined
}

/**
 * The resilience defaults.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults: Resilience = {
  retryPolicy: PostpressRetry.defaultPolicy,
  streamRetryPolicy: PostpressRetry.streamPolicy,
  retryBudget: PostpressRetry.defaultBudget,
  retryAfterCap: Duration.seconds(60),
  attemptTimeout: Duration.seconds(30),
  timeout: Duration.minutes(2),
  rateLimit: undefined
}

/**
 * Builds a configuration, filling in defaults.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Service => ({
  apiKey: options.apiKey,
  baseUrl: (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, ""),
  retryPolicy: options.retryPolicy ?? defaults.retryPolicy,
  streamRetryPolicy: options.streamRetryPolicy ?? defaults.streamRetryPolicy,
  retryBudget: options.retryBudget === false ? undefined : options.retryBudget ?? defaults.retryBudget,
  retryAfterCap: Duration.fromInputUnsafe(options.retryAfterCap ?? defaults.retryAfterCap),
  attemptTimeout: Duration.fromInputUnsafe(options.attemptTimeout ?? defaults.attemptTimeout),
  timeout: Duration.fromInputUnsafe(options.timeout ?? defaults.timeout),
  rateLimit: options.rateLimit ?? defaults.rateLimit,
  cache: options.cache
})

/**
 * The configuration service.
 *
 * @since 0.1.0
 * @category services
 */
export class PostpressConfig extends Context.Service<PostpressConfig, Service>()("@postpress/core/PostpressConfig") {}

/**
 * Provides a configuration from explicit values.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<PostpressConfig> => Layer.succeed(PostpressConfig, make(options))

const HttpUrl = Schema.String.check(
  Schema.makeFilter((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol), {
    expected: "an http(s) URL",
    message: "Expected an http(s) URL"
  })
)

/**
 * The API key, read through `config`, with a missing key explained in one
 * sentence naming the variable to set, and how. The variable is the path the
 * source was asked for (`POSTPRESS_API_KEY`, another name given as `apiKey`,
 * or with a prefix from `Config.nested` / `ConfigProvider.nested`), joined
 * with `_` as environment variables are. The error stays a
 * `Config.ConfigError` over a `SchemaError`, its issue a `MissingKey` at the
 * config's path; a key that is present but invalid fails as `config` does.
 */
const readApiKey = (config: Config.Config<Redacted.Redacted>) =>
  Effect.gen(function*() {
    const provider = yield* ConfigProvider.ConfigProvider
    // the paths the source is asked for, after every transformation of the provider (its prefixes)
    const asked: Array<ConfigProvider.Path> = []
    const recording = provider.mapInput((path) => {
      asked.push(path)
      return path
    })
    const apiKey = yield* Config.option(config).parse(recording)
    if (Option.isSome(apiKey)) return apiKey.value
    // absent: the config's own failure says at which path (its name and `Config.nested` prefixes)
    return yield* Effect.mapError(config.parse(provider), (error) => explainMissingKey(error, asked))
  })

const explainMissingKey = (
  error: Config.ConfigError,
  asked: ReadonlyArray<ConfigProvider.Path>
): Config.ConfigError => {
  const cause = error.cause
  if (!Schema.isSchemaError(cause) || cause.issue._tag !== "Pointer" || cause.issue.path.length === 0) return error
  const path = cause.issue.path.map(String)
  // the last path asked for that ends with the config's: the config's path with the provider's prefixes
  const endsWithPath = (candidate: ConfigProvider.Path) =>
    candidate.length >= path.length &&
    path.every((segment, i) => String(candidate[candidate.length - path.length + i]) === segment)
  let full: ConfigProvider.Path = path
  for (const candidate of asked) if (endsWithPath(candidate)) full = candidate
  const variable = full.join("_")
  return new Config.ConfigError(
    new Schema.SchemaError(
      new SchemaIssue.Pointer(
        cause.issue.path,
        new SchemaIssue.MissingKey({
          messageMissingKey:
            `${variable} is not set: export ${variable}=<your key>, or provide PostpressConfig.layer({ apiKey })`
        })
      )
    )
  )
}

/**
 * Provides a configuration read through `Config`: by default the API key from
 * `POSTPRESS_API_KEY` and the base URL from `POSTPRESS_BASE_URL` (optional).
 * Pass your own `Config`s to read other keys, and resilience settings as
 * plain values.
 *
 * A missing key fails with a `Config.ConfigError` whose message names the
 * variable and how to set it: `POSTPRESS_API_KEY is not set: export
 * POSTPRESS_API_KEY=<your key>, or provide PostpressConfig.layer({ apiKey })`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options?: ResilienceOptions & {
    readonly apiKey?: Config.Config<Redacted.Redacted> | undefined
    readonly baseUrl?: Config.Config<string> | undefined
  }
): Layer.Layer<PostpressConfig, Config.ConfigError> =>
  Layer.effect(
    PostpressConfig,
    Effect.gen(function*() {
      const apiKey = yield* readApiKey(options?.apiKey ?? Config.Redacted("POSTPRESS_API_KEY"))
      const baseUrl = yield* options?.baseUrl ??
        Config.schema(HttpUrl, "POSTPRESS_BASE_URL").pipe(Config.withDefault(defaultBaseUrl))
      return make({ ...options, apiKey, baseUrl })
    })
  )
