/**
 * One request budget for every process that shares an API key: a
 * `PostpressRateLimiter` kept in Redis by Effect's persistence `RateLimiter`
 * (`effect/persistence/RateLimiter`, token bucket or fixed window) on
 * `@effect/platform-node`'s `NodeRedis`. Each request reserves a slot; when
 * the budget is spent the request waits for its turn, whichever process sent
 * it.
 *
 * Needs the optional peer `redis` (node-redis); import it from
 * `@postpress/node/RedisRateLimiter`.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { NodePostpress } from "@postpress/node"
 * import * as RedisRateLimiter from "@postpress/node/RedisRateLimiter"
 *
 * // every worker: at most 20 requests per second between them
 * const Client = NodePostpress.layerConfig().pipe(
 *   Layer.provide(
 *     RedisRateLimiter.layer({ redis: { url: "redis://127.0.0.1:6379" }, limit: 20, interval: "1 second" })
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as NodeRedis from "@effect/platform-node/NodeRedis"
import { PostpressRateLimiter } from "@postpress/core"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as RateLimiter from "effect/persistence/RateLimiter"
import type * as Scope from "effect/Scope"

/**
 * How to reach Redis: the options of node-redis' `createClient` (`url`,
 * `socket: { host, port, tls, … }`, `username`, `password`, `database`, …), as
 * `NodeRedis.layer` takes them.
 *
 * @since 1.0.0
 * @category options
 */
export type RedisOptions = NonNullable<Parameters<typeof NodeRedis.layer>[0]>

/**
 * The shared budget and where it lives: `limit` requests per `interval`,
 * shared by every process using the same `key` (default `"postpress"`) on the
 * same Redis; `algorithm` is `"token-bucket"` (smooth, the default) or
 * `"fixed-window"` (resets at each window).
 *
 * @since 0.1.0
 * @category options
 */
export interface Options extends PostpressRateLimiter.Options {
  /** How to reach Redis (node-redis options: `url`, or `socket: { host, port, tls }`, `password`, …). */
  readonly redis: RedisOptions
}

/** node-redis' reconnection strategy: the number of milliseconds to wait, or `false`/an `Error` to give up. */
type ReconnectStrategy = (retries: number, cause: Error) => false | Error | number

/** Reconnects for as long as it takes: 50 ms doubling up to 2 s, with up to 200 ms of jitter. */
const reconnectForever: ReconnectStrategy = (retries) =>
  Math.min(2 ** retries * 50, 2000) + Math.floor(Math.random() * 200)

const notConnected = Effect.fail(
  new RateLimiter.RateLimiterError({
    reason: new RateLimiter.RateLimitStoreError({ message: "Redis is not connected" })
  })
)

/**
 * Builds the limiter. If Redis cannot be reached, requests go through
 * unlimited (with a warning logged) rather than stop, and the limit applies
 * again once Redis is back.
 *
 * Building waits for the first connection attempt only: the client keeps
 * reconnecting in the background (50 ms doubling up to 2 s, unless
 * `redis.socket.reconnectStrategy` says otherwise). Commands are not queued
 * while the connection is down (`disableOfflineQueue`, unless `redis` says
 * otherwise): a request then goes through at once instead of waiting for
 * Redis.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<PostpressRateLimiter.Service, never, Scope.Scope> =>
  Effect.gen(function*() {
    // the connected limiter, once the client is ready (possibly after this one is built)
    let connected: RateLimiter.RateLimiter | undefined
    const attempted = yield* Deferred.make<void>()
    const given = options.redis.socket?.reconnectStrategy
    const strategy: ReconnectStrategy = given === undefined
      ? reconnectForever
      : typeof given === "function"
      ? given
      : () => given
    const redis: RedisOptions = {
      disableOfflineQueue: true,
      ...options.redis,
      socket: {
        ...options.redis.socket,
        reconnectStrategy: (retries: number, cause: Error) => {
          Deferred.doneUnsafe(attempted, Effect.void)
          return strategy(retries, cause)
        }
      }
    }
    yield* Layer.build(
      RateLimiter.layer.pipe(
        Layer.provide(RateLimiter.layerStoreRedis()),
        Layer.provide(NodeRedis.layer(redis))
      )
    ).pipe(
      Effect.flatMap((context) =>
        Effect.sync(() => {
          connected = Context.get(context, RateLimiter.RateLimiter)
        })
      ),
      Effect.catch((error) =>
        Effect.logWarning("postpress: could not connect to Redis; the rate limiter sends without it", error)
      ),
      Effect.ensuring(Deferred.done(attempted, Exit.void)),
      Effect.forkScoped
    )
    yield* Deferred.await(attempted)

    const limiter: RateLimiter.RateLimiter = {
      [RateLimiter.TypeId]: RateLimiter.TypeId,
      consume: (options) => Effect.suspend(() => connected === undefined ? notConnected : connected.consume(options)),
      adaptiveConsume: (options) =>
        Effect.suspend(() => connected === undefined ? notConnected : connected.adaptiveConsume(options)),
      adaptiveFeedback: (options) =>
        Effect.suspend(() => connected === undefined ? notConnected : connected.adaptiveFeedback(options))
    }
    return yield* PostpressRateLimiter.make(options).pipe(Effect.provideService(RateLimiter.RateLimiter, limiter))
  })

/**
 * Provides the limiter to a `PostpressClient` layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<PostpressRateLimiter.PostpressRateLimiter> =>
  Layer.effect(PostpressRateLimiter.PostpressRateLimiter, make(options))
