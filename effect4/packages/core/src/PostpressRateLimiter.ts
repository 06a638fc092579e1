/**
 * A rate limiter the client runs every request through, in place of the local
 * one `PostpressConfig.rateLimit` builds. Provide it to share one budget
 * across processes: `@postpress/node`'s `RedisRateLimiter` keeps it in Redis.
 *
 * {@link make} builds one from Effect's `RateLimiter` (`effect/persistence`)
 * and whichever `RateLimiterStore` it runs on: in memory, in Redis, or any
 * other.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { RateLimiter } from "effect/persistence"
 * import { PostpressClient, PostpressRateLimiter } from "@postpress/core"
 *
 * // any RateLimiterStore works: here the in-memory one
 * const Limiter = PostpressRateLimiter.layer({ limit: 50, interval: "1 second" }).pipe(
 *   Layer.provide(RateLimiter.layer),
 *   Layer.provide(RateLimiter.layerStoreMemory)
 * )
 * const Client = PostpressClient.layer.pipe(Layer.provide(Limiter))
 * ```
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as RateLimiter from "effect/persistence/RateLimiter"
import type * as Scope from "effect/Scope"
import type * as PostpressConfig from "./PostpressConfig.js"

/**
 * What the limiter does: it delays an effect until it may run (as Effect 3's
 * `RateLimiter` did).
 *
 * @since 1.0.0
 * @category models
 */
export interface Service {
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R>
}

/**
 * The limiter service.
 *
 * @since 0.1.0
 * @category services
 */
export class PostpressRateLimiter extends Context.Service<PostpressRateLimiter, Service>()(
  "@postpress/core/PostpressRateLimiter"
) {}

/**
 * A budget: at most `limit` requests per `interval`, named `key` in the store
 * (limiters with the same key in the same store share it).
 *
 * @since 1.0.0
 * @category options
 */
export interface Options extends PostpressConfig.RateLimit {
  /** The budget's name in the store: processes sharing it share the limit. Default `"postpress"`. */
  readonly key?: string | undefined
  /** Default `"token-bucket"` (smooth); `"fixed-window"` resets at each window. */
  readonly algorithm?: "token-bucket" | "fixed-window" | undefined
}

/**
 * Builds a limiter on Effect's `RateLimiter`: each request takes a token,
 * waiting for its turn when the budget is spent. If the store fails (Redis
 * unreachable, say), requests go through unlimited, with a warning logged,
 * rather than stop.
 *
 * @since 1.0.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, never, RateLimiter.RateLimiter> =>
  Effect.map(RateLimiter.RateLimiter, (limiter) => {
    const consume = limiter.consume({
      algorithm: options.algorithm ?? "token-bucket",
      onExceeded: "delay",
      window: options.interval,
      limit: options.limit,
      key: `postpress:${options.key ?? "postpress"}`
    }).pipe(
      Effect.map((result) => result.delay),
      Effect.catch((error) =>
        Effect.as(
          Effect.logWarning("postpress: the rate limiter is unavailable; sending without it", error),
          Duration.zero
        )
      )
    )
    return <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.flatMap(consume, (delay) => Duration.isZero(delay) ? effect : Effect.delay(effect, delay))
  })

/**
 * Provides a limiter built by {@link make} to a `PostpressClient` layer.
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<PostpressRateLimiter, never, RateLimiter.RateLimiter> =>
  Layer.effect(PostpressRateLimiter, make(options))

/**
 * A limiter of this process alone, on an in-memory store: what the client
 * builds from `PostpressConfig.rateLimit`. The store lives as long as the
 * scope.
 *
 * @since 1.0.0
 * @category constructors
 */
export const makeLocal = (options: Options): Effect.Effect<Service, never, Scope.Scope> =>
  Effect.flatMap(
    Layer.build(RateLimiter.layer.pipe(Layer.provide(RateLimiter.layerStoreMemory))),
    (context) => Effect.provideContext(make(options), context)
  )
