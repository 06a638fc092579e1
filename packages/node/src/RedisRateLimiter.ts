/**
 * One request budget for every process that shares an API key: a
 * `PostpressRateLimiter` kept in Redis by `@effect/experimental`'s
 * `RateLimiter` (token bucket or fixed window). Each request reserves a slot;
 * when the budget is spent the request waits for its turn, whichever process
 * sent it.
 *
 * Needs the optional peers `@effect/experimental` and `ioredis`; import it
 * from `@postpress/node/RedisRateLimiter`.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { NodePostpress } from "@postpress/node"
 * import * as RedisRateLimiter from "@postpress/node/RedisRateLimiter"
 *
 * // every worker: at most 20 requests per second between them
 * const Client = NodePostpress.layerConfig().pipe(
 *   Layer.provide(RedisRateLimiter.layer({ redis: { host: "127.0.0.1", port: 6379 }, limit: 20, interval: "1 second" }))
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as ExperimentalRateLimiter from "@effect/experimental/RateLimiter"
import * as RedisStore from "@effect/experimental/RateLimiter/Redis"
import type { PostpressConfig } from "@postpress/core"
import { PostpressRateLimiter } from "@postpress/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as RateLimiter from "effect/RateLimiter"
import type * as Scope from "effect/Scope"
import type { RedisOptions } from "ioredis"

/**
 * The shared budget and where it lives.
 *
 * @since 0.1.0
 * @category options
 */
export interface Options extends PostpressConfig.RateLimit {
  /** How to reach Redis (ioredis options: `host`, `port`, `password`, `tls`, …). */
  readonly redis: RedisOptions
  /** The budget's name in Redis: processes sharing it share the limit. Default `"postpress"`. */
  readonly key?: string | undefined
  /** Default `"token-bucket"` (smooth); `"fixed-window"` resets at each window. */
  readonly algorithm?: "token-bucket" | "fixed-window" | undefined
}

/**
 * Builds the limiter. If Redis cannot be reached, requests go through
 * unlimited (with a warning logged) rather than stop.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<RateLimiter.RateLimiter, never, Scope.Scope> =>
  Effect.gen(function*() {
    const store = yield* RedisStore.make(options.redis as Parameters<typeof RedisStore.make>[0])
    const limiter = yield* ExperimentalRateLimiter.make.pipe(
      Effect.provideService(ExperimentalRateLimiter.RateLimiterStore, store)
    )
    const consume = limiter.consume({
      algorithm: options.algorithm ?? "token-bucket",
      onExceeded: "delay",
      window: options.interval,
      limit: options.limit,
      key: `postpress:${options.key ?? "postpress"}`
    }).pipe(
      Effect.map((result) => result.delay),
      Effect.catchAll((error) =>
        Effect.as(
          Effect.logWarning("postpress: the Redis rate limiter is unavailable; sending without it", error),
          Duration.zero
        )
      )
    )
    return <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.flatMap(consume, (delay) => (Duration.isZero(delay) ? effect : Effect.delay(effect, delay)))
  })

/**
 * Provides the limiter to a `PostpressClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<PostpressRateLimiter.PostpressRateLimiter> =>
  Layer.scoped(PostpressRateLimiter.PostpressRateLimiter, make(options))
