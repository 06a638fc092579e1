import { assert, describe, it } from "@effect/vitest"
import { PostpressSimulator } from "@postpress/simulator"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import { fixture } from "../../../conformance/fixtures/index.js"
import type { PostpressConfig, PostpressError } from "../src/index.js"
import { PostpressClient, PostpressError as Errors, PostpressRetry } from "../src/index.js"
import { type Answer, connectionReset, json, type Received, stub, withClient } from "./utils.js"

const envelope = (status: number, type: string) => ({ title: "t", type, status })
const ok = () => json(200, fixture("message"))

/**
 * A stub whose nth answer (0-based) comes from `script(n)`, recording the
 * clock time of each request.
 */
const scripted = (
  script: (n: number, received: Received) => Answer | Effect.Effect<Answer>,
  options: PostpressConfig.ResilienceOptions = {}
) => {
  const times: Array<number> = []
  const { layer, received } = stub(
    (r) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        times.push(now)
        const answer = script(times.length - 1, r)
        return Effect.isEffect(answer) ? answer : Effect.succeed(answer)
      }),
    options
  )
  return { layer, received, times }
}

/** Runs `effect` in a fiber while moving the test clock forward in `step`s until it completes. */
const driven = <A, E, R>(effect: Effect.Effect<A, E, R>, step: Duration.DurationInput = "50 millis", max = 10_000) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(Effect.exit(effect))
    for (let i = 0; i < max; i++) {
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) break
      yield* TestClock.adjust(step)
    }
    return yield* Effect.flatten(Fiber.join(fiber))
  })

const retrieve = withClient((client) => client.messages.retrieve("msg_1"))

/** A budget of two retries (or one after a timeout), earning one token a first-attempt success. */
const tenTokens: PostpressRetry.Budget = { capacity: 10, retryCost: 5, timeoutCost: 10, successReward: 1 }

/**
 * The failure of `effect`, with the clock time it failed at (not when a driver
 * noticed: it may have moved the clock a step further).
 */
const failureAt = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.zip(Effect.flip(effect), Clock.currentTimeMillis)

describe("the default policy", () => {
  it.effect("retries a transient failure 4 times, backing off exponentially with jitter", () => {
    const { layer, times } = scripted(() => json(503, envelope(503, "errors/no_channel")))
    return Effect.gen(function*() {
      const error = yield* Effect.flip(driven(retrieve, "10 millis"))
      assert.strictEqual(error._tag, "ServiceUnavailable")
      assert.strictEqual(times.length, 5)
      const gaps = times.slice(1).map((t, i) => t - times[i]!)
      const expected = [250, 500, 1000, 2000]
      gaps.forEach((gap, i) => {
        assert.isAtLeast(gap, expected[i]! * 0.8 - 10, `gap ${i}`)
        assert.isAtMost(gap, expected[i]! * 1.2 + 10, `gap ${i}`)
      })
    }).pipe(Effect.provide(layer))
  })

  it.effect("the backoff grows by the policy's factor", () => {
    const { layer, times } = scripted(() => json(503, envelope(503, "errors/no_channel")), {
      retryPolicy: PostpressRetry.policy({ base: "100 millis", factor: 5, maxRetries: 2 })
    })
    return Effect.gen(function*() {
      yield* Effect.flip(driven(retrieve, "10 millis"))
      assert.strictEqual(times.length, 3)
      const gaps = times.slice(1).map((t, i) => t - times[i]!)
      ;[100, 500].forEach((expected, i) => {
        assert.isAtLeast(gaps[i]!, expected * 0.8 - 10, `gap ${i}`)
        assert.isAtMost(gaps[i]!, expected * 1.2 + 10, `gap ${i}`)
      })
    }).pipe(Effect.provide(layer))
  })

  it.effect("the backoff is capped at 8 seconds", () => {
    const { layer, times } = scripted(() => json(504, envelope(504, "errors/request_timeout")), {
      retryPolicy: PostpressRetry.policy({ maxRetries: 8 }),
      timeout: "10 minutes"
    })
    return Effect.gen(function*() {
      yield* Effect.flip(driven(retrieve, "100 millis"))
      const gaps = times.slice(1).map((t, i) => t - times[i]!)
      assert.strictEqual(gaps.length, 8)
      assert.isAtMost(Math.max(...gaps), 8000 * 1.2 + 100)
      assert.isAtLeast(gaps[7]!, 8000 * 0.8 - 100)
    }).pipe(Effect.provide(layer))
  })

  const transient: ReadonlyArray<readonly [string, (r: Received) => Answer]> = [
    ["a reset connection", ({ request }) => connectionReset(request)],
    ["429", () => json(429, envelope(429, "x"))],
    ["503", () => json(503, envelope(503, "errors/network_down"))],
    ["504", () => json(504, envelope(504, "errors/request_timeout"))],
    ["500 errors/provider_error", () => json(500, envelope(500, "errors/provider_error"))],
    ["an HTML 502 from a proxy", () => new Response("<html>502</html>", { status: 502 })]
  ]
  for (const [name, failure] of transient) {
    it.effect(`retries ${name}`, () => {
      const { layer, times } = scripted((n, r) => (n === 0 ? failure(r) : ok()))
      return Effect.gen(function*() {
        const message = yield* driven(retrieve)
        assert.strictEqual(message.object, "Message")
        assert.strictEqual(times.length, 2)
      }).pipe(Effect.provide(layer))
    })
  }

  const permanent: ReadonlyArray<readonly [string, () => Answer]> = [
    ["401", () => json(401, envelope(401, "errors/invalid_credentials"))],
    ["403", () => json(403, envelope(403, "errors/account_restricted"))],
    ["404", () => json(404, envelope(404, "errors/resource_not_found"))],
    ["500 errors/unexpected_error", () => json(500, envelope(500, "errors/unexpected_error"))],
    ["400", () => json(400, envelope(400, "errors/invalid_parameters"))],
    ["a 200 of the wrong shape", () => json(200, { object: "Message" })]
  ]
  for (const [name, failure] of permanent) {
    it.effect(`never retries ${name}`, () => {
      const { layer, times } = scripted(() => failure())
      return Effect.gen(function*() {
        yield* Effect.flip(driven(retrieve))
        assert.strictEqual(times.length, 1)
      }).pipe(Effect.provide(layer))
    })
  }

  it.effect("never retries an invalid input (nothing is sent at all)", () => {
    const { layer, times } = scripted(ok)
    return Effect.gen(function*() {
      const error = yield* Effect.flip(withClient((client) => client.messages.retrieve("")))
      assert.strictEqual(error._tag, "InvalidRequest")
      assert.strictEqual(times.length, 0)
    }).pipe(Effect.provide(layer))
  })
})

describe("Retry-After", () => {
  it.effect("in seconds: the retry waits at least that long", () => {
    const { layer, times } = scripted((n) => (n === 0 ? json(429, envelope(429, "x"), { "retry-after": "7" }) : ok()))
    return Effect.gen(function*() {
      yield* driven(retrieve)
      assert.strictEqual(times.length, 2)
      assert.isAtLeast(times[1]! - times[0]!, 7000)
      assert.isAtMost(times[1]! - times[0]!, 7100)
    }).pipe(Effect.provide(layer))
  })

  it.effect("as an HTTP date", () => {
    const { layer, times } = scripted((n) =>
      n === 0
        ? json(503, envelope(503, "errors/service_unavailable"), { "retry-after": "Sun, 17 May 2026 09:42:12 GMT" })
        : ok()
    )
    return Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-05-17T09:42:00.000Z"))
      yield* driven(retrieve)
      assert.isAtLeast(times[1]! - times[0]!, 12_000)
      assert.isAtMost(times[1]! - times[0]!, 12_100)
    }).pipe(Effect.provide(layer))
  })

  it.effect("beyond the cap the call fails at once with TooManyRequests carrying the wait", () => {
    const { layer, times } = scripted(() => json(429, envelope(429, "x"), { "retry-after": "600" }), {
      retryAfterCap: "60 seconds"
    })
    return Effect.gen(function*() {
      const error = yield* Effect.flip(retrieve)
      assert.strictEqual(error._tag, "TooManyRequests")
      assert.deepStrictEqual((error as PostpressError.TooManyRequests).retryAfter, Duration.seconds(600))
      assert.strictEqual(times.length, 1)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a 429 pauses every caller of the client until its Retry-After has passed", () => {
    const { layer, received, times } = scripted((n) =>
      n === 0 ? json(429, envelope(429, "x"), { "retry-after": "5" }) : ok()
    )
    return Effect.gen(function*() {
      const first = yield* Effect.fork(retrieve)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(received.length, 1)
      // another caller, after the 429: it waits for the pause too
      const second = yield* Effect.fork(withClient((client) => client.chats.retrieve("chat_1")))
      yield* TestClock.adjust("3 seconds")
      assert.strictEqual(received.length, 1, "nobody sends during the pause")
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(first)
      yield* Effect.flip(Fiber.join(second))
      assert.strictEqual(received.length, 3)
      assert.isTrue(times.slice(1).every((t) => t >= 5000))
    }).pipe(Effect.provide(layer))
  })

  it.effect("a shared pause that outlasts a caller's deadline fails that caller at its deadline, having sent nothing", () => {
    // the first caller's 429 asks for 30 s (within the 60 s cap): every caller pauses until then
    const { layer, received } = scripted(
      (n) => (n === 0 ? json(429, envelope(429, "x"), { "retry-after": "30" }) : ok()),
      { timeout: "5 seconds" }
    )
    return Effect.gen(function*() {
      const first = yield* Effect.flip(retrieve.pipe(PostpressRetry.withPolicy(PostpressRetry.noRetries)))
      assert.strictEqual(first._tag, "TooManyRequests")
      assert.strictEqual(received.length, 1)
      yield* TestClock.adjust("1 second")
      // a second caller, 1 s into the 30 s pause: its deadline (5 s) is at 6 s, long before the pause ends
      let failedAt = -1
      const second = yield* Effect.fork(
        withClient((client) => client.chats.retrieve("chat_1")).pipe(
          Effect.tapError(() => Effect.map(Clock.currentTimeMillis, (now) => (failedAt = now)))
        )
      )
      yield* TestClock.adjust("4999 millis")
      assert.isNull(second.unsafePoll(), "still waiting just before its deadline")
      yield* TestClock.adjust("1 millis")
      assert.isNotNull(second.unsafePoll(), "failed at its deadline (6 s), not waiting out the pause (30 s)")
      const error = yield* Effect.flip(Fiber.join(second))
      assert.strictEqual(error._tag, "RequestTimeout")
      assert.strictEqual(error._tag === "RequestTimeout" && error.scope, "deadline")
      assert.deepStrictEqual(error._tag === "RequestTimeout" && error.timeout, Duration.seconds(5))
      assert.strictEqual(failedAt, 6000, "it fails at its deadline, not at the end of the pause (30 s)")
      // nothing was sent for it, during the pause or after
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(received.length, 1)
    }).pipe(Effect.provide(layer))
  })
})

describe("the retry budget", () => {
  it.effect("empties during an outage, so retries stop multiplying the load, and refills on success", () => {
    let outage = true
    const { layer, times } = scripted(() => (outage ? json(503, envelope(503, "errors/network_down")) : ok()), {
      retryBudget: tenTokens
    })
    return Effect.gen(function*() {
      yield* Effect.flip(driven(retrieve))
      assert.strictEqual(times.length, 3, "two retries spend the 10 tokens")
      yield* Effect.flip(driven(retrieve))
      assert.strictEqual(times.length, 4, "an empty budget: no retry")
      outage = false
      for (let i = 0; i < 5; i++) yield* retrieve
      outage = true
      const before = times.length
      yield* Effect.flip(driven(retrieve))
      assert.strictEqual(times.length - before, 2, "5 successes earned one retry back")
    }).pipe(Effect.provide(layer))
  })
  it.effect("a timed-out attempt costs timeoutCost, any other failure retryCost", () => {
    const timingOut = scripted(() => Effect.never, {
      attemptTimeout: "1 second",
      timeout: "1 minute",
      retryBudget: tenTokens
    })
    const failing = scripted(() => json(503, envelope(503, "errors/network_down")), { retryBudget: tenTokens })
    return Effect.gen(function*() {
      const error = yield* Effect.flip(driven(retrieve, "100 millis").pipe(Effect.provide(timingOut.layer)))
      assert.strictEqual(error._tag, "RequestTimeout")
      assert.strictEqual(timingOut.times.length, 2, "one retry spends the 10 tokens")
      yield* Effect.flip(driven(retrieve).pipe(Effect.provide(failing.layer)))
      assert.strictEqual(failing.times.length, 3, "two retries at 5")
    })
  })

  it.effect("a call that fails at its deadline spends nothing of the budget: no retry can outlive the deadline", () => {
    // the first call hangs past its 1 s deadline (its attempt timeout is 5 s); then an outage
    const { layer, times } = scripted(
      (n) => (n === 0 ? Effect.never : json(503, envelope(503, "errors/network_down"))),
      {
        attemptTimeout: "5 seconds",
        timeout: "1 second",
        retryBudget: tenTokens
      }
    )
    return Effect.gen(function*() {
      const error = yield* Effect.flip(driven(retrieve))
      assert.strictEqual(error._tag === "RequestTimeout" && error.scope, "deadline")
      assert.strictEqual(times.length, 1)
      // the budget is whole: the outage's call gets its two retries (a retry after the deadline would have spent 10)
      const before = times.length
      yield* Effect.flip(driven(retrieve))
      assert.strictEqual(times.length - before, 3, "the first attempt and two retries")
    }).pipe(Effect.provide(layer))
  })

  it.effect("a success after a retry gives back what the retry spent, not the first-attempt reward", () => {
    // one failure, then answers: the call's retry spends 5 of the 10 tokens, and its success gives the 5 back
    let failures = 1
    const { layer, times } = scripted(
      () => (failures-- > 0 ? json(503, envelope(503, "errors/network_down")) : ok()),
      { retryBudget: tenTokens }
    )
    return Effect.gen(function*() {
      yield* driven(retrieve)
      assert.strictEqual(times.length, 2, "one retry")
      // an outage now: a full budget affords two retries (a reward of 1 would have left 6 tokens, one retry)
      failures = Infinity
      const before = times.length
      yield* Effect.flip(driven(retrieve))
      assert.strictEqual(times.length - before, 3, "the first attempt and two retries")
    }).pipe(Effect.provide(layer))
  })
})

describe("timeouts and interruption", () => {
  it.effect("an attempt that takes too long is a RequestTimeout, and is retried", () => {
    const { layer, times } = scripted((n) => (n === 0 ? Effect.never : ok()), { attemptTimeout: "2 seconds" })
    return Effect.gen(function*() {
      const message = yield* driven(retrieve, "100 millis")
      assert.strictEqual(message.object, "Message")
      assert.strictEqual(times.length, 2)
      assert.isAtLeast(times[1]! - times[0]!, 2000)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a deadline that ends inside an attempt fails the call with the deadline's scope, at the deadline", () => {
    // the attempt timeout (5 s) is longer than the whole call's deadline (1 s): the deadline's timer ends the attempt
    const { layer, times } = scripted(() => Effect.never, { attemptTimeout: "5 seconds", timeout: "1 second" })
    return Effect.gen(function*() {
      const [error, failedAt] = yield* driven(
        failureAt(retrieve.pipe(PostpressRetry.withPolicy(PostpressRetry.noRetries)))
      )
      assert.strictEqual(error._tag, "RequestTimeout")
      assert.strictEqual(error._tag === "RequestTimeout" && error.scope, "deadline")
      assert.deepStrictEqual(error._tag === "RequestTimeout" && error.timeout, Duration.seconds(1))
      assert.strictEqual(failedAt, 1000)
      assert.strictEqual(times.length, 1)
    }).pipe(Effect.provide(layer))
  })

  it.effect("the deadline bounds the call with all its retries", () => {
    const { layer } = scripted(() => Effect.never, { attemptTimeout: "1 second", timeout: "3 seconds" })
    return Effect.gen(function*() {
      const start = yield* Clock.currentTimeMillis
      const [error, failedAt] = yield* driven(failureAt(retrieve), "100 millis")
      assert.strictEqual(error._tag === "RequestTimeout" && error.scope, "deadline")
      assert.strictEqual(failedAt - start, 3000)
    }).pipe(Effect.provide(layer))
  })

  it.effect("a policy that retries forever, with no budget, still ends the call at its deadline", () => {
    const { layer, times } = scripted(() => Effect.never, {
      attemptTimeout: "1 second",
      timeout: "3 seconds",
      retryBudget: false
    })
    return Effect.gen(function*() {
      const forever = PostpressRetry.withPolicy(Schedule.spaced("100 millis"))
      const [error, failedAt] = yield* driven(failureAt(forever(retrieve)), "100 millis")
      assert.strictEqual(error._tag === "RequestTimeout" && error.scope, "deadline")
      assert.strictEqual(failedAt, 3000)
      // attempts at 0, 1.1 s and 2.2 s; the third is cut short by the deadline, and nothing is retried after it
      assert.deepStrictEqual(times, [0, 1100, 2200])
    }).pipe(Effect.provide(layer))
  })

  // under the live clock the attempt timer is a plain timer (one fiber instead of two): the same behaviour
  it.live("with the live clock: a slow attempt times out and is retried, and the deadline bounds the call", () => {
    const retried = scripted((n) => (n === 0 ? Effect.never : ok()), { attemptTimeout: "50 millis" })
    const bounded = scripted(() => Effect.never, {
      attemptTimeout: "40 millis",
      timeout: "100 millis",
      retryPolicy: PostpressRetry.policy({ base: "1 millis", maxDelay: "1 millis" })
    })
    return Effect.gen(function*() {
      const message = yield* Effect.provide(retrieve, retried.layer)
      assert.strictEqual(message.object, "Message")
      assert.strictEqual(retried.times.length, 2)
      assert.isAtLeast(retried.times[1]! - retried.times[0]!, 50)

      const start = yield* Clock.currentTimeMillis
      const error = yield* Effect.flip(Effect.provide(retrieve, bounded.layer))
      const elapsed = (yield* Clock.currentTimeMillis) - start
      assert.strictEqual(error._tag === "RequestTimeout" && error.scope, "deadline")
      assert.isAtLeast(bounded.times.length, 2)
      assert.isAtLeast(elapsed, 100)
      assert.isBelow(elapsed, 1000)
    })
  })

  it.live("with the live clock: a fast answer wins, and interrupting a call interrupts its request", () => {
    let interrupted = false
    const hanging = scripted(() => Effect.onInterrupt(Effect.never, () => Effect.sync(() => (interrupted = true))))
    const fast = scripted(() => ok(), { attemptTimeout: "5 seconds" })
    // no timeout at all: beyond the longest timer there is, nothing ever fires (a 30 ms answer is not cut)
    const unbounded = scripted(() => Effect.as(Effect.sleep("30 millis"), ok()), {
      attemptTimeout: Duration.infinity,
      timeout: Duration.infinity
    })
    return Effect.gen(function*() {
      const message = yield* Effect.provide(retrieve, fast.layer)
      assert.strictEqual(message.object, "Message")
      assert.strictEqual((yield* Effect.provide(retrieve, unbounded.layer)).object, "Message")
      const fiber = yield* Effect.fork(Effect.provide(retrieve, hanging.layer))
      yield* Effect.sleep("20 millis")
      yield* Fiber.interrupt(fiber)
      assert.isTrue(interrupted)
    })
  })

  it.effect("interrupting a call during a retry wait returns at once and sends nothing more", () => {
    const { layer, times } = scripted(() => json(503, envelope(503, "errors/network_down")), {
      retryPolicy: PostpressRetry.policy({ base: "1 hour", maxDelay: "1 hour" })
    })
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(retrieve)
      yield* TestClock.adjust("1 millis")
      assert.strictEqual(times.length, 1)
      yield* Fiber.interrupt(fiber)
      yield* TestClock.adjust("2 hours")
      assert.strictEqual(times.length, 1)
    }).pipe(Effect.provide(layer))
  })
})

describe("rate limiting", () => {
  it.effect("requests are spaced by the client's limiter, shared by every call", () => {
    const { layer, times } = scripted(ok, { rateLimit: { limit: 2, interval: "1 second" } })
    return Effect.gen(function*() {
      // six distinct messages: equal lookups in flight would share one request
      const six = Array.from({ length: 6 }, (_, i) => withClient((client) => client.messages.retrieve(`msg_${i}`)))
      yield* driven(Effect.all(six, { concurrency: "unbounded" }), "100 millis")
      assert.strictEqual(times.length, 6)
      const sorted = [...times].sort((a, b) => a - b)
      // a token bucket of 2 per second: a burst of 2, then one every 500 ms (the test clock moves in 100 ms steps)
      const expected = [0, 0, 500, 1000, 1500, 2000]
      sorted.forEach((t, i) => assert.approximately(t, expected[i]!, 100, `request ${i}`))
    }).pipe(Effect.provide(layer))
  })
})

describe("overriding the policy", () => {
  it.effect("per call, per region, and for a stream", () => {
    const { layer, times } = scripted(() => json(503, envelope(503, "errors/network_down")))
    return Effect.gen(function*() {
      yield* Effect.flip(retrieve.pipe(PostpressRetry.withPolicy(PostpressRetry.noRetries)))
      assert.strictEqual(times.length, 1)
      const once = Schedule.recurs(1).pipe(Schedule.addDelay(() => "10 millis"))
      yield* Effect.flip(driven(Effect.all([retrieve, retrieve]).pipe(PostpressRetry.withPolicy(once))))
      assert.strictEqual(times.length, 1 + 2, "the region's first call: one attempt and one retry, then it fails")
      const streamed = withClient((client) =>
        client.chats.messages.stream("chat_1").pipe(
          Stream.provideService(PostpressRetry.CurrentPolicy, Option.some(PostpressRetry.noRetries)),
          Stream.runDrain
        )
      )
      yield* Effect.flip(streamed)
      assert.strictEqual(times.length, 4)
    }).pipe(Effect.provide(layer))
  })

  it.effect("through the config layer: no retries", () => {
    const { layer, times } = scripted(() => json(503, envelope(503, "errors/network_down")), {
      retryPolicy: PostpressRetry.noRetries
    })
    return Effect.gen(function*() {
      yield* Effect.flip(retrieve)
      assert.strictEqual(times.length, 1)
    }).pipe(Effect.provide(layer))
  })
})

/** The stream's length: 100,000, or 5,000 when StrykerJS runs the suite once per mutant (vitest.mutation.config.ts). */
const MESSAGES = process.env.POSTPRESS_MUTATION === undefined ? 100_000 : 5_000

describe("against the simulator's faults", () => {
  it.live(
    "a 100,000-message stream with 30% of requests failing delivers every message once, in order",
    () =>
      Effect.gen(function*() {
        const simulator = yield* PostpressSimulator.PostpressSimulator
        const client = yield* PostpressClient.PostpressClient
        const ids = yield* client.chats.messages.stream(simulator.dataset.chatId(0), { limit: 250 }).pipe(
          Stream.map((m) => m.id),
          Stream.runCollect
        )
        assert.strictEqual(Chunk.size(ids), MESSAGES)
        let i = MESSAGES
        for (const id of ids) assert.strictEqual(id, simulator.dataset.messageId(0, --i))
        const requests = yield* simulator.requests
        const faulted = requests.filter((r) => r.fault !== undefined).length / requests.length
        assert.isAbove(faulted, 0.2)
        assert.isBelow(faulted, 0.4)
      }).pipe(
        Effect.provide(PostpressSimulator.layerClient(
          {
            chats: 1,
            messagesPerChat: MESSAGES,
            faults: PostpressSimulator.faultMix(0.3, [
              PostpressSimulator.Fault.TooManyRequests({ retryAfterSeconds: 0 }),
              PostpressSimulator.Fault.Error({ status: 500, type: "errors/provider_error" }),
              PostpressSimulator.Fault.Error({ status: 503 }),
              PostpressSimulator.Fault.Error({ status: 504 }),
              PostpressSimulator.Fault.ConnectionReset(),
              PostpressSimulator.Fault.TruncatedBody()
            ])
          },
          // quick retries, and no budget: a 30% failure rate is an outage the budget would rightly stop
          {
            retryPolicy: PostpressRetry.policy({ base: "1 millis", maxDelay: "5 millis", maxRetries: 20 }),
            retryBudget: false
          }
        ))
      ),
    120_000
  )
})

describe("PostpressRetry.isTransient", () => {
  it("is true exactly for failures worth retrying, a proxy's 502, 503 or 504 included, and false (not undefined) otherwise", () => {
    const envelope = { title: "t", type: "errors/x", status: 500 } as const
    const cases: ReadonlyArray<readonly [PostpressError.PostpressError, boolean]> = [
      [new Errors.TransportError({ description: "d" }), true],
      [new Errors.RequestTimeout({ scope: "attempt", timeout: Duration.seconds(1) }), true],
      [new Errors.TooManyRequests({ status: 429 }), true],
      [new Errors.ServiceUnavailable({ ...envelope, type: "errors/network_down", status: 503 }), true],
      [new Errors.GatewayTimeout({ ...envelope, type: "errors/request_timeout", status: 504 }), true],
      [new Errors.InternalServerError({ ...envelope, type: "errors/provider_error" }), true],
      [new Errors.InternalServerError({ ...envelope, type: "errors/unexpected_error" }), false],
      ...[502, 503, 504].flatMap((status) => [
        [new Errors.UnexpectedStatus({ status, excerpt: "" }), true] as const,
        [new Errors.MalformedResponse({ status, reason: "r", excerpt: "" }), true] as const
      ]),
      ...[200, 418, 500, 501, 505].flatMap((status) => [
        [new Errors.UnexpectedStatus({ status, excerpt: "" }), false] as const,
        [new Errors.MalformedResponse({ status, reason: "r", excerpt: "" }), false] as const
      ]),
      [new Errors.Unauthorized({ ...envelope, type: "errors/invalid_credentials", status: 401 }), false],
      [new Errors.Forbidden({ ...envelope, type: "errors/account_restricted", status: 403 }), false],
      [new Errors.NotFound({ ...envelope, type: "errors/resource_not_found", status: 404 }), false],
      [new Errors.InvalidRequest({ field: "f", message: "m" }), false]
    ]
    for (const [error, transient] of cases) {
      assert.strictEqual(
        PostpressRetry.isTransient(error),
        transient,
        `${error._tag} ${"status" in error ? error.status : ""}`
      )
    }
  })
})
