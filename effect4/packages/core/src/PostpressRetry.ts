/**
 * Retries: which failures are transient, the default policy (an effect
 * `Schedule`), a retry budget shared by the client, and scoped overrides.
 *
 * Every endpoint is an idempotent GET, so the client retries transient
 * failures by itself: transport failures, timeouts, 429, 503, 504, 500
 * `errors/provider_error`, and a proxy's 502/503/504 page. It never retries
 * 401, 403, 404, other 500s or an invalid input.
 *
 * @example
 * ```ts
 * import { Effect, Schedule } from "effect"
 * import { type PostpressError, PostpressClient, PostpressRetry } from "@postpress/core"
 *
 * // no retries for this call
 * const once = (id: string) =>
 *   Effect.flatMap(
 *     PostpressClient.PostpressClient,
 *     (client) => PostpressRetry.withPolicy(client.messages.retrieve(id), PostpressRetry.noRetries)
 *   )
 *
 * // a region of the program with a patient policy: every call in it retries up to 10 times
 * const patient = PostpressRetry.policy({ maxRetries: 10, maxDelay: "1 minute" })
 * const nightly = Effect.gen(function*() {
 *   const client = yield* PostpressClient.PostpressClient
 *   const chat = yield* client.chats.retrieve("chat_123")
 *   return yield* client.chats.messages.list(chat.id, { limit: 250 })
 * }).pipe(PostpressRetry.withPolicy(patient))
 *
 * // any Schedule fed with the failures is a policy: every second, 3 times, transient failures only
 * const steady: PostpressRetry.Policy = Schedule.spaced("1 second").pipe(
 *   Schedule.upTo({ times: 3 }),
 *   Schedule.setInputType<PostpressError.PostpressError>(),
 *   Schedule.while(({ input }) => PostpressRetry.isTransient(input))
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type { PostpressError } from "./PostpressError.js"

/**
 * A retry policy: a `Schedule` fed with each failure. It decides whether to
 * retry and after how long; the client adds `Retry-After`, the budget and the
 * deadline on top.
 *
 * @since 0.1.0
 * @category models
 */
export type Policy = Schedule.Schedule<unknown, PostpressError>

/**
 * Whether a failure is worth retrying: it may well succeed next time.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isTransient = (error: PostpressError): boolean => {
  switch (error._tag) {
    case "TransportError":
    case "RequestTimeout":
    case "TooManyRequests":
    case "ServiceUnavailable":
    case "GatewayTimeout":
      return true
    case "InternalServerError":
      return error.type === "errors/provider_error"
    case "UnexpectedStatus":
    case "MalformedResponse":
      // a proxy's error page in front of the API
      return error.status === 502 || error.status === 503 || error.status === 504
    case "Unauthorized":
    case "Forbidden":
    case "NotFound":
    case "InvalidRequest":
      return false
  }
}

/**
 * Builds a policy: exponential backoff from `base` by `factor`, capped at
 * `maxDelay`, with jitter (±20 %), at most `maxRetries` retries, and only
 * for failures `retryOn` accepts (by default {@link isTransient}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const policy = (options: {
  readonly base?: Duration.Input | undefined
  readonly factor?: number | undefined
  readonly maxDelay?: Duration.Input | undefined
  readonly maxRetries?: number | undefined
  readonly retryOn?: ((error: PostpressError) => boolean) | undefined
} = {}): Policy => {
  const maxDelay = Duration.fromInputUnsafe(options.maxDelay ?? defaults.maxDelay)
  const retryOn = options.retryOn ?? isTransient
  return Schedule.exponential(options.base ?? defaults.base, options.factor ?? defaults.factor).pipe(
    Schedule.modifyDelay(({ duration }) => Effect.succeed(Duration.min(duration, maxDelay))),
    Schedule.jittered,
    Schedule.upTo({ times: options.maxRetries ?? defaults.maxRetries }),
    Schedule.setInputType<PostpressError>(),
    Schedule.while(({ input }) => retryOn(input))
  )
}

/**
 * The defaults of {@link policy}: 250 ms, doubling, at most 8 s apart, 4
 * retries (5 attempts in all).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaults = {
  base: Duration.millis(250),
  factor: 2,
  maxDelay: Duration.seconds(8),
  maxRetries: 4
} as const

/**
 * The default policy: `policy()`.
 *
 * @since 0.1.0
 * @category policies
 */
export const defaultPolicy: Policy = policy()

/**
 * The default policy of each page of a paginated stream: as
 * {@link defaultPolicy}, with 10 retries (11 attempts) instead of 4. Over a
 * stream of hundreds of pages through a flaky network, 5 attempts a page is
 * not enough (at 30 % failed requests, one page in 400 fails 5 times in a
 * row), while 11 are (one in 5.6 million). Against a server that is down, the
 * first page still fails within about 50 seconds, and the retry budget stops
 * the retries of every call once a storm has spent it.
 *
 * @since 0.2.0
 * @category policies
 */
export const streamPolicy: Policy = policy({ maxRetries: 10 })

/**
 * A policy that never retries.
 *
 * @since 0.1.0
 * @category policies
 */
export const noRetries: Policy = Schedule.recurs(0)

/**
 * The retry budget, shared by every call of a client (as the AWS SDKs' retry
 * quota): each retry spends tokens, each success earns some back, and an empty
 * budget stops retrying, so an outage does not multiply the load.
 *
 * @since 0.1.0
 * @category models
 */
export interface Budget {
  /** The tokens the budget holds, and starts with. */
  readonly capacity: number
  /** The tokens a retry spends. */
  readonly retryCost: number
  /** The tokens a retry after a timeout spends. */
  readonly timeoutCost: number
  /** The tokens a success on the first attempt earns (a success after retries earns its retry's cost back). */
  readonly successReward: number
}

/**
 * The default budget (the AWS SDKs' standard mode): 500 tokens, 5 per retry,
 * 10 per retry after a timeout, 1 back per first-attempt success — 100 retries
 * in a row at most, refilled by successes.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBudget: Budget = { capacity: 500, retryCost: 5, timeoutCost: 10, successReward: 1 }

/**
 * The policy in force for a region of a program, when it overrides the
 * client's configured one.
 *
 * @since 0.1.0
 * @category references
 */
export const CurrentPolicy: Context.Reference<Option.Option<Policy>> = Context.Reference<Option.Option<Policy>>(
  "@postpress/core/PostpressRetry/CurrentPolicy",
  { defaultValue: () => Option.none() }
)

/**
 * Runs an effect (one call, or a whole region of a program) with another retry
 * policy than the client's. For a `Stream`, use
 * `Stream.provideService(PostpressRetry.CurrentPolicy, Option.some(policy))`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withPolicy: {
  (policy: Policy): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, policy: Policy): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, policy: Policy): Effect.Effect<A, E, R> =>
    Effect.provideService(self, CurrentPolicy, Option.some(policy))
)
