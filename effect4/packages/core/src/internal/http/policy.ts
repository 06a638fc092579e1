import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type * as PostpressConfig from "../../PostpressConfig.js"
import { type PostpressError, RequestTimeout } from "../../PostpressError.js"
import type * as PostpressRateLimiter from "../../PostpressRateLimiter.js"
import * as PostpressRetry from "../../PostpressRetry.js"

/** The `Retry-After` a failure asks for, if it is one that pauses callers. */
const retryAfterOf = (error: PostpressError): Duration.Duration | undefined =>
  error._tag === "TooManyRequests" || error._tag === "ServiceUnavailable" ? error.retryAfter : undefined

/** Fails with `onTimeout()` if `self` takes longer than `millis` (no timer at all for an infinite time). */
const timeoutFail = <A, E, E2>(self: Effect.Effect<A, E>, millis: number, onTimeout: () => E2) =>
  Number.isFinite(millis)
    ? Effect.timeoutOrElse(self, { duration: Duration.millis(millis), orElse: () => Effect.fail(onTimeout()) })
    : self

/**
 * Wraps every request of a client: its rate limiter, a pause shared by every
 * caller after a `Retry-After`, a per-attempt timeout, retries by the policy
 * in force (within the budget and the `Retry-After` cap), and the deadline.
 */
export const make = (config: PostpressConfig.Service, limiter: PostpressRateLimiter.Service | undefined) => {
  const budget = config.retryBudget
  let tokens = budget?.capacity ?? 0
  let pausedUntil = 0

  /** Waits out a pause another caller's 429 (or 503) started, but not past `deadlineAt`. */
  const gate = (deadlineAt: number) =>
    Effect.suspend(() =>
      pausedUntil === 0 ? Effect.void : Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const until = Math.min(pausedUntil, deadlineAt)
        return until > now ? Effect.sleep(Duration.millis(until - now)) : Effect.void
      })
    )

  /** Starts a pause for every caller when the server asks to wait (within the cap). */
  const observe = (error: PostpressError) => {
    const wait = retryAfterOf(error)
    if (wait === undefined || Duration.isGreaterThan(wait, config.retryAfterCap)) return Effect.void
    return Effect.map(Clock.currentTimeMillis, (now) => {
      pausedUntil = Math.max(pausedUntil, now + Duration.toMillis(wait))
    })
  }

  const attemptTimeout = () => new RequestTimeout({ scope: "attempt", timeout: config.attemptTimeout })
  const deadline = () => new RequestTimeout({ scope: "deadline", timeout: config.timeout })

  const attemptMillis = Duration.toMillis(config.attemptTimeout)
  const deadlineMillis = Duration.toMillis(config.timeout)

  return <A>(request: Effect.Effect<A, PostpressError>): Effect.Effect<A, PostpressError> => {
    const limited = limiter === undefined ? request : limiter(request)
    return Effect.flatMap(Effect.zip(PostpressRetry.CurrentPolicy, Clock.currentTimeMillis), ([override, start]) => {
      // One timer per attempt: the attempt's own timeout, or what is left of the deadline if that is sooner.
      // Waits (a shared pause, a backoff) never run past the deadline either.
      const deadlineAt = start + deadlineMillis
      const remaining = Effect.map(Clock.currentTimeMillis, (now) => deadlineAt - now)
      const attempt = gate(deadlineAt).pipe(
        Effect.andThen(remaining),
        Effect.flatMap((left) =>
          left <= 0
            ? Effect.fail(deadline())
            : timeoutFail(limited, Math.min(left, attemptMillis), left < attemptMillis ? deadline : attemptTimeout)
        ),
        Effect.tapError(observe)
      )
      let spent = 0
      // most requests succeed at once: the retry schedule is built, and fed the first failure, only after one
      const retried = (first: PostpressError) => {
        const schedule = Option.getOrElse(override, () => config.retryPolicy).pipe(
          Schedule.while(({ input }) =>
            Effect.sync(() => {
              if (input._tag === "RequestTimeout" && input.scope === "deadline") return false
              const wait = retryAfterOf(input)
              if (wait !== undefined && Duration.isGreaterThan(wait, config.retryAfterCap)) return false
              if (budget === undefined) return true
              const cost = input._tag === "RequestTimeout" ? budget.timeoutCost : budget.retryCost
              if (tokens < cost) return false
              tokens -= cost
              spent = cost
              return true
            })
          ),
          // whole milliseconds (timers have no finer resolution), so waits add up to the deadline exactly
          Schedule.modifyDelay(({ duration }) =>
            Effect.map(
              remaining,
              (left) => Duration.millis(Math.max(0, Math.min(Math.round(Duration.toMillis(duration)), left)))
            )
          )
        )
        let failedOnce = false
        return Effect.retry(
          Effect.suspend(() => failedOnce ? attempt : (failedOnce = true, Effect.fail(first))),
          schedule
        )
      }
      return Effect.catch(attempt, retried).pipe(
        Effect.tap(() =>
          Effect.sync(() => {
            if (budget !== undefined) {
              tokens = Math.min(budget.capacity, tokens + (spent > 0 ? spent : budget.successReward))
            }
          })
        )
      )
    })
  }
}

/**
 * The policy every request of a client runs through (rate limit, shared
 * pause, timeouts, retries, deadline); `PostpressConfig.Resilience` holds its
 * settings.
 */
export type RequestPolicy = ReturnType<typeof make>
