/**
 * A rate limiter the client runs every request through, in place of the local
 * one `PostpressConfig.rateLimit` builds. Provide it to share one budget
 * across processes: `@postpress/node`'s `RedisRateLimiter` keeps it in Redis.
 *
 * @example
 * ```ts
 * import { Layer, RateLimiter } from "effect"
 * import { PostpressClient, PostpressRateLimiter } from "@postpress/core"
 *
 * // any effect RateLimiter works
 * const Limiter = Layer.scoped(
 *   PostpressRateLimiter.PostpressRateLimiter,
 *   RateLimiter.make({ limit: 50, interval: "1 second", algorithm: "token-bucket" })
 * )
 * const Client = PostpressClient.layer.pipe(Layer.provide(Limiter))
 * ```
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import type * as RateLimiter from "effect/RateLimiter"

/**
 * The limiter service: an effect `RateLimiter` (a function that delays an
 * effect until it may run).
 *
 * @since 0.1.0
 * @category services
 */
export class PostpressRateLimiter extends Context.Tag("@postpress/core/PostpressRateLimiter")<
  PostpressRateLimiter,
  RateLimiter.RateLimiter
>() {}
