import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import type * as RateLimiter from "effect/RateLimiter"
import * as Runtime from "effect/Runtime"
import * as Schedule from "effect/Schedule"
import type * as PostpressConfig from "../../PostpressConfig.js"
import { type PostpressError, RequestTimeout } from "../../PostpressError.js"
import * as PostpressRetry from "../../PostpressRetry.js"

/** The clock of every runtime unless something (a test) replaces it: its sleeps are plain timers. */
const liveClock = Effect.runSync(Effect.clock)

/**
 * `Effect.timeoutFail` for the live clock, with one fiber where the general
 * one races two: `self` runs in a child fiber and a plain timer interrupts it.
 * On a timeout the failure comes once `self` has been interrupted, as with
 * `Effect.timeoutFail`; a result that wins the race by a hair is kept.
 *
 * The child starts at once, on this thread, as `Effect.fork` would not (it
 * queues the child behind every fiber already scheduled): a request goes out
 * before, say, the consumer of a prefetched page runs, not after it.
 *
 * Why not `Effect.timeoutFail` (which TestClock runs still use, below): `pnpm
 * bench --only b3` on 2026-12-03, three runs each, SDK against the raw loop —
 * with this timer B3 p50 1.11–1.27× and B4 0.94–1.02×; with
 * `Effect.timeoutFail` B3 1.24–1.32× (the target is ≤ 1.25×) and B4 0.84–0.86×:
 * about 60–90 µs more per call. Both pass the same tests (Resilience.test.ts,
 * live clock and TestClock).
 */
const liveTimeoutFail = <A, E, E2>(
  self: Effect.Effect<A, E>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(Effect.runtime<never>(), (runtime) => {
      // The child hands its result over and ends with nothing. On Node 20, a fiber that ended after waiting (as
      // this one does, on the network) is kept, with its exit, through young-generation collections until a full
      // one: a child that ended with a page kept every page since the last full collection in memory (bench R,
      // `pnpm bench --only retention`: ~5.8 MB per 20 pages for a joined fiber that ends with the page, ~0.12 MB so).
      let result: Exit.Exit<A, E> | undefined
      const fiber = Runtime.runFork(
        runtime,
        Effect.asVoid(Effect.onExit(restore(self), (exit) => Effect.sync(() => (result = exit)))),
        { immediate: true }
      )
      // the child is not this fiber's child (nothing interrupts it with this fiber): the wait is interruptible
      return Effect.onInterrupt(
        restore(Effect.async<A, E | E2>((resume) => {
          let timedOut = false
          const timer = setTimeout(() => {
            timedOut = true
            fiber.unsafeInterruptAsFork(fiber.id())
          }, millis)
          fiber.addObserver((ended) => {
            clearTimeout(timer)
            const exit: Exit.Exit<A, E> = result ?? (ended as Exit.Exit<never, E>)
            result = undefined
            resume(
              timedOut && Exit.isInterrupted(exit)
                ? Effect.fail(onTimeout())
                : Effect.zipRight(Fiber.inheritAll(fiber), exit)
            )
          })
        })),
        () => Fiber.interrupt(fiber)
      )
    })
  )

/** The longest a timer can wait; the live clock never fires a longer one, and neither does this. */
const MAX_TIMER_MILLIS = 2 ** 31 - 1

/** Fails with `onTimeout()` if `self` takes longer than `millis` (a plain timer under the live clock). */
const timeoutFail = <A, E, E2>(self: Effect.Effect<A, E>, millis: number, onTimeout: () => E2) =>
  Effect.clockWith((clock): Effect.Effect<A, E | E2> =>
    clock !== liveClock
      ? Effect.timeoutFail(self, { duration: Duration.millis(millis), onTimeout })
      : millis > MAX_TIMER_MILLIS
      ? self
      : liveTimeoutFail(self, millis, onTimeout)
  )

/** The `Retry-After` a failure asks for, if it is one that pauses callers. */
const retryAfterOf = (error: PostpressError): Duration.Duration | undefined =>
  error._tag === "TooManyRequests" || error._tag === "ServiceUnavailable" ? error.retryAfter : undefined

/**
 * Wraps every request of a client: its rate limiter, a pause shared by every
 * caller after a `Retry-After`, a per-attempt timeout, retries by the policy
 * in force (within the budget and the `Retry-After` cap), and the deadline.
 */
export const make = (config: PostpressConfig.Service, limiter: RateLimiter.RateLimiter | undefined) => {
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
    if (wait === undefined || Duration.greaterThan(wait, config.retryAfterCap)) return Effect.void
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
        Effect.zipRight(remaining),
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
          Schedule.checkEffect((error: PostpressError) =>
            Effect.sync(() => {
              if (error._tag === "RequestTimeout" && error.scope === "deadline") return false
              const wait = retryAfterOf(error)
              if (wait !== undefined && Duration.greaterThan(wait, config.retryAfterCap)) return false
              if (budget === undefined) return true
              const cost = error._tag === "RequestTimeout" ? budget.timeoutCost : budget.retryCost
              if (tokens < cost) return false
              tokens -= cost
              spent = cost
              return true
            })
          ),
          // whole milliseconds (timers have no finer resolution), so waits add up to the deadline exactly
          Schedule.modifyDelayEffect((_, delay) =>
            Effect.map(
              remaining,
              (left) => Duration.millis(Math.max(0, Math.min(Math.round(Duration.toMillis(delay)), left)))
            )
          )
        )
        let failedOnce = false
        return Effect.retry(
          Effect.suspend(() => failedOnce ? attempt : (failedOnce = true, Effect.fail(first))),
          schedule
        )
      }
      return Effect.catchAll(attempt, retried).pipe(
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
