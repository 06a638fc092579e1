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
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as PostpressRetry from "./PostpressRetry.js"

/**
 * The base URL of the postpress API, as in the reference's request examples.
 * The reference's headings show `https://api.postpress.ai/v1`; set `baseUrl`
 * (or `POSTPRESS_BASE_URL`) to that if your account is served there.
 *
 * @since 0.1.0
 */
export const defaultBaseUrl = "https://api.postpress.ai/api/v1"

/**
 * A client-side rate limit: at most `limit` requests per `interval`, shared
 * by every call of the client (a token bucket).
 *
 * @since 0.1.0
 */
export interface RateLimit {
  readonly limit: number
  readonly interval: Duration.DurationInput
}

/**
 * How the client rides out failures. Every field has a default.
 *
 * @since 0.1.0
 */
export interface Resilience {
  /** Which failures are retried, and when (default `PostpressRetry.defaultPolicy`). */
  readonly retryPolicy: PostpressRetry.Policy
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
 */
export interface Service extends Resilience {
  /** The API key, sent as `X-API-KEY`; never logged, printed or traced. */
  readonly apiKey: Redacted.Redacted
  /** The base URL every path is appended to, without a trailing slash. */
  readonly baseUrl: string
}

/**
 * The resilience settings as options: durations in any `DurationInput`, each
 * optional.
 *
 * @since 0.1.0
 */
export interface ResilienceOptions {
  readonly retryPolicy?: PostpressRetry.Policy | undefined
  /** `false` turns the budget off. */
  readonly retryBudget?: PostpressRetry.Budget | false | undefined
  readonly retryAfterCap?: Duration.DurationInput | undefined
  readonly attemptTimeout?: Duration.DurationInput | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly rateLimit?: RateLimit | undefined
}

/**
 * What {@link make} and {@link layer} take.
 *
 * @since 0.1.0
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
 */
export const defaults: Resilience = {
  retryPolicy: PostpressRetry.defaultPolicy,
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
 */
export class PostpressConfig extends Context.Tag("@postpress/core/PostpressConfig")<PostpressConfig, Service>() {}

/**
 * Builds a configuration, filling in defaults.
 *
 * @since 0.1.0
 */
export const make = (options: Options): Service => ({
  apiKey: options.apiKey,
  baseUrl: (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, ""),
  retryPolicy: options.retryPolicy ?? defaults.retryPolicy,
  retryBudget: options.retryBudget === false ? undefined : options.retryBudget ?? defaults.retryBudget,
  retryAfterCap: Duration.decode(options.retryAfterCap ?? defaults.retryAfterCap),
  attemptTimeout: Duration.decode(options.attemptTimeout ?? defaults.attemptTimeout),
  timeout: Duration.decode(options.timeout ?? defaults.timeout),
  rateLimit: options.rateLimit ?? defaults.rateLimit
})

/**
 * Provides a configuration from explicit values.
 *
 * @since 0.1.0
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
 * Provides a configuration read through `Config`: by default the API key from
 * `POSTPRESS_API_KEY` and the base URL from `POSTPRESS_BASE_URL` (optional).
 * Pass your own `Config`s to read other keys, and resilience settings as
 * plain values.
 *
 * @since 0.1.0
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
      const apiKey = yield* options?.apiKey ?? Config.redacted("POSTPRESS_API_KEY")
      const baseUrl = yield* options?.baseUrl ?? httpUrl("POSTPRESS_BASE_URL").pipe(Config.withDefault(defaultBaseUrl))
      return make({ ...options, apiKey, baseUrl })
    })
  )
