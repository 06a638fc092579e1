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
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
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
  readonly interval: Duration.DurationInput
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
   * @since 0.3.0
   */
  readonly cache: PostpressClient.CacheOptions | undefined
}

/**
 * The client's settings besides its key and base URL, as options, each
 * optional: its resilience (durations in any `DurationInput`) and its lookup cache.
 *
 * @since 0.1.0
 * @category options
 */
export interface ResilienceOptions {
  readonly retryPolicy?: PostpressRetry.Policy | undefined
  readonly streamRetryPolicy?: PostpressRetry.Policy | undefined
  /** `false` turns the budget off. */
  readonly retryBudget?: PostpressRetry.Budget | false | undefined
  readonly retryAfterCap?: Duration.DurationInput | undefined
  readonly attemptTimeout?: Duration.DurationInput | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly rateLimit?: RateLimit | undefined
  /**
   * A lookup cache for the whole client (default none): `chats.retrieve`,
   * `chats.attendees.list` and `messages.retrieve` made again within
   * `timeToLive` of a success are answered from memory, wherever and however
   * often they run, for as long as the client lives. Failures are never
   * cached. A region under `PostpressClient.withCache` (or with its own
   * `PostpressClient.LookupCache`) uses its own cache instead.
   *
   * @since 0.3.0
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
 * The configuration service.
 *
 * @since 0.1.0
 * @category services
 */
export class PostpressConfig extends Context.Tag("@postpress/core/PostpressConfig")<PostpressConfig, Service>() {}

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
  retryAfterCap: Duration.decode(options.retryAfterCap ?? defaults.retryAfterCap),
  attemptTimeout: Duration.decode(options.attemptTimeout ?? defaults.attemptTimeout),
  timeout: Duration.decode(options.timeout ?? defaults.timeout),
  rateLimit: options.rateLimit ?? defaults.rateLimit,
  cache: options.cache
})

/**
 * Provides a configuration from explicit values.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<PostpressConfig> => Layer.succeed(PostpressConfig, make(options))

const httpUrl = (name: string) =>
  Config.string(name).pipe(
    Config.validate({
      message: "Expected an http(s) URL",
      validation: (url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)
    })
  )

/**
 * A missing API key as one sentence naming the variable to set, and how:
 * `Config.redacted` redacts its errors down to `"<redacted>"`, so the raw
 * error said only where the key was missing. The variable is the error's path
 * (`POSTPRESS_API_KEY`, another name given as `apiKey`, or a prefix from
 * `Config.nested` / `ConfigProvider.nested`), joined with `_` as environment
 * variables are. The error stays a `ConfigError` (`MissingData`, same path).
 */
const explainMissingKey = (error: ConfigError.ConfigError): ConfigError.ConfigError => {
  switch (error._op) {
    case "MissingData": {
      if (error.path.length === 0) return error
      const variable = error.path.join("_")
      return ConfigError.MissingData(
        error.path,
        `${variable} is not set: export ${variable}=<your key>, or provide PostpressConfig.layer({ apiKey })`
      )
    }
    case "And":
      return ConfigError.And(explainMissingKey(error.left), explainMissingKey(error.right))
    case "Or":
      return ConfigError.Or(explainMissingKey(error.left), explainMissingKey(error.right))
    default:
      return error
  }
}

/**
 * Provides a configuration read through `Config`: by default the API key from
 * `POSTPRESS_API_KEY` and the base URL from `POSTPRESS_BASE_URL` (optional).
 * Pass your own `Config`s to read other keys, and resilience settings as
 * plain values.
 *
 * A missing key fails with a `ConfigError` whose message names the variable
 * and how to set it: `POSTPRESS_API_KEY is not set: export
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
): Layer.Layer<PostpressConfig, ConfigError.ConfigError> =>
  Layer.effect(
    PostpressConfig,
    Effect.gen(function*() {
      const apiKey = yield* Effect.mapError(options?.apiKey ?? Config.redacted("POSTPRESS_API_KEY"), explainMissingKey)
      const baseUrl = yield* options?.baseUrl ?? httpUrl("POSTPRESS_BASE_URL").pipe(Config.withDefault(defaultBaseUrl))
      return make({ ...options, apiKey, baseUrl })
    })
  )
