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
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"

/**
 * The base URL of the postpress API, as in the reference's request examples.
 * The reference's headings show `https://api.postpress.ai/v1`; set `baseUrl`
 * (or `POSTPRESS_BASE_URL`) to that if your account is served there.
 *
 * @since 0.1.0
 */
export const defaultBaseUrl = "https://api.postpress.ai/api/v1"

/**
 * The resolved configuration.
 *
 * @since 0.1.0
 */
export interface Service {
  /** The API key, sent as `X-API-KEY`; never logged, printed or traced. */
  readonly apiKey: Redacted.Redacted
  /** The base URL every path is appended to, without a trailing slash. */
  readonly baseUrl: string
}

/**
 * What {@link make} and {@link layer} take.
 *
 * @since 0.1.0
 */
export interface Options {
  readonly apiKey: Redacted.Redacted
  /** Defaults to {@link defaultBaseUrl}. */
  readonly baseUrl?: string | undefined
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
  baseUrl: (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, "")
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
 * Pass your own `Config`s to read other keys.
 *
 * @since 0.1.0
 */
export const layerConfig = (options?: {
  readonly apiKey?: Config.Config<Redacted.Redacted>
  readonly baseUrl?: Config.Config<string>
}): Layer.Layer<PostpressConfig, ConfigError.ConfigError> =>
  Layer.effect(
    PostpressConfig,
    Effect.gen(function*() {
      const apiKey = yield* options?.apiKey ?? Config.redacted("POSTPRESS_API_KEY")
      const baseUrl = yield* options?.baseUrl ?? httpUrl("POSTPRESS_BASE_URL").pipe(Config.withDefault(defaultBaseUrl))
      return make({ apiKey, baseUrl })
    })
  )
