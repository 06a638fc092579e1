/**
 * Lookups (`chats.retrieve`, `chats.attendees.list`, `messages.retrieve`):
 * concurrent calls with equal arguments share one request, and a
 * `PostpressClient.withCache` cache serves repeated ones from memory.
 *
 * A lookup is an Effect `Request` (`Request.TaggedClass`): equal arguments make
 * equal, equally hashed requests, the keys of the client's in-flight map. The
 * first caller of a request starts it in a fiber of its own; every caller,
 * that one included, waits for its result, and leaves at once if interrupted.
 * The request ends when it completes, when its last waiter leaves (then it is
 * interrupted), or when the client's scope closes. It runs through the
 * endpoint's caller — its retries, rate limit, timeouts and span are the
 * request's, not each caller's — with the context of the caller that started
 * it (its retry policy, its span as the parent).
 *
 * Why not `Effect.request` with a `RequestResolver` (effect 3.22): it shares
 * nothing without its request cache (each call gets a deferred of its own, and
 * even one batch hands the resolver every duplicate: `fromRequest` in
 * `internal/query.ts`, `runBlockedRequests` in `internal/fiberRuntime.ts`); with
 * the cache on, the caller that started a request cannot leave it, once
 * interrupted, until it completes (`fromRequest` waits for it uninterruptibly);
 * and every call forks three fibers. Measured against the simulator
 * (2026-12-03, sequential retrieves as in `pnpm bench --only b3`, and 10,000
 * at concurrency 32 as in B4): about 0.35 ms more per call at p50 and half the
 * throughput, where this map and one fiber per request cost about 40 µs at
 * p50 (B3 1.30× the raw loop in one run, against 1.23× before; B4 0.86×). The
 * cache is not Effect's either: `Cache` (behind `Request.makeCache`) keeps a
 * key in its recency list for every miss and every expiry while it is below
 * its capacity (about 250 bytes each, found by a loop of misses under
 * `TestClock`), which a long pipeline with a time to live would grow without
 * bound.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as MutableHashMap from "effect/MutableHashMap"
import * as Option from "effect/Option"
import * as Request from "effect/Request"
import * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import type { ChatWithLastMessage } from "../../Chat.js"
import type { ChatAttendeeList } from "../../ChatAttendee.js"
import type { Message } from "../../Message.js"
import type { PostpressError } from "../../PostpressError.js"

/** `GET /chats/{chat_id}`. */
export class RetrieveChat extends Request.TaggedClass("RetrieveChat")<ChatWithLastMessage, PostpressError, {
  /** The client's own object: two clients sharing a cache (two API keys in one region) share no results. */
  readonly owner: object
  readonly chat_id: string
  /** Always present, `undefined` when not given: equal arguments make equal requests. */
  readonly account_id: string | undefined
}> {}

/** `GET /chats/{chat_id}/attendees`. */
export class ListChatAttendees extends Request.TaggedClass("ListChatAttendees")<ChatAttendeeList, PostpressError, {
  readonly owner: object
  readonly chat_id: string
}> {}

/** `GET /messages/{message_id}`. */
export class RetrieveMessage extends Request.TaggedClass("RetrieveMessage")<Message, PostpressError, {
  readonly owner: object
  readonly message_id: string
}> {}

/** A lookup of the client. */
export type Lookup = RetrieveChat | ListChatAttendees | RetrieveMessage

/** How each lookup is sent: the endpoint's caller, with its whole request policy. */
export type Senders = {
  readonly [Tag in Lookup["_tag"]]: (
    request: Extract<Lookup, { readonly _tag: Tag }>
  ) => Effect.Effect<Request.Request.Success<Extract<Lookup, { readonly _tag: Tag }>>, PostpressError>
}

// -----------------------------------------------------------------------------
// the cache
// -----------------------------------------------------------------------------

interface Cached {
  readonly request: Lookup
  readonly value: unknown
  readonly expiresAt: number
}

/**
 * Successful lookups, each kept for `timeToLive` from its response, at most
 * `capacity` of them: the least recently used goes first. An expired one is
 * dropped when it is next looked up, or pushed out by newer ones.
 */
export class Cache {
  private readonly entries = MutableHashMap.empty<Lookup, Cached>()
  /** The entries, least recently used first (a `Set` keeps insertion order). */
  private readonly recency = new Set<Cached>()
  readonly capacity: number
  readonly timeToLive: Duration.Duration
  private readonly timeToLiveMillis: number

  constructor(options: { readonly capacity: number; readonly timeToLive: Duration.DurationInput }) {
    this.capacity = Math.max(0, Math.floor(options.capacity)) || 0
    this.timeToLive = Duration.decode(options.timeToLive)
    this.timeToLiveMillis = Duration.toMillis(this.timeToLive)
  }

  get size(): number {
    return this.recency.size
  }

  get(request: Lookup, now: number): Option.Option<unknown> {
    const cached = MutableHashMap.get(this.entries, request)
    if (Option.isNone(cached)) return Option.none()
    this.recency.delete(cached.value)
    if (now >= cached.value.expiresAt) {
      MutableHashMap.remove(this.entries, request)
      return Option.none()
    }
    this.recency.add(cached.value)
    return Option.some(cached.value.value)
  }

  set(request: Lookup, value: unknown, now: number): void {
    if (this.capacity === 0 || this.timeToLiveMillis <= 0) return
    const previous = MutableHashMap.get(this.entries, request)
    if (Option.isSome(previous)) this.recency.delete(previous.value)
    const cached: Cached = { request, value, expiresAt: now + this.timeToLiveMillis }
    MutableHashMap.set(this.entries, request, cached)
    this.recency.add(cached)
    if (this.recency.size > this.capacity) {
      const oldest = this.recency.values().next().value!
      this.recency.delete(oldest)
      MutableHashMap.remove(this.entries, oldest.request)
    }
  }
}

// -----------------------------------------------------------------------------
// requests in flight
// -----------------------------------------------------------------------------

/** A request in flight, the callers waiting for it, and the caches its success goes to. */
interface Flight {
  readonly waiters: Set<(exit: Exit.Exit<unknown, PostpressError>) => void>
  readonly caches: Set<Cache>
  fiber: Fiber.RuntimeFiber<void> | undefined
}

/**
 * A client's lookups: `run(request, cache)` runs a request, or joins the equal
 * one in flight, and with a cache answers from it (and keeps the success in
 * it) first. Each request in flight is interrupted when `scope` closes.
 */
export const make = (senders: Senders): Effect.Effect<
  {
    readonly owner: object
    readonly run: <A extends Lookup>(
      request: A,
      cache: Option.Option<Cache>
    ) => Effect.Effect<Request.Request.Success<A>, PostpressError>
  },
  never,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const inFlight = MutableHashMap.empty<Lookup, Flight>()
    yield* Effect.addFinalizer(() =>
      Effect.suspend(() =>
        Fiber.interruptAll(MutableHashMap.values(inFlight).flatMap(({ fiber }) => fiber === undefined ? [] : [fiber]))
      )
    )
    const send = (request: Lookup): Effect.Effect<unknown, PostpressError> =>
      (senders[request._tag] as (request: Lookup) => Effect.Effect<unknown, PostpressError>)(request)

    /** Takes a flight out of the map, unless a newer one for the request has replaced it. */
    const forget = (request: Lookup, flight: Flight) => {
      const current = MutableHashMap.get(inFlight, request)
      if (Option.isSome(current) && current.value === flight) MutableHashMap.remove(inFlight, request)
    }

    /**
     * Ends a flight: it leaves the map, a success goes into the caches of
     * its callers, and they resume — in one step, so that no caller in
     * between finds the request neither in flight nor cached.
     */
    const land = (request: Lookup, flight: Flight, exit: Exit.Exit<unknown, PostpressError>, now: number) => {
      forget(request, flight)
      // only successes are kept: a failure is asked for again next time
      if (exit._tag === "Success") {
        for (const cache of flight.caches) cache.set(request, exit.value, now)
      }
      const waiters = [...flight.waiters]
      flight.waiters.clear()
      for (const resume of waiters) resume(exit)
    }

    /** Waits for the request in flight, starting it if there is none; its success goes into `cache`. */
    const join = (request: Lookup, cache: Cache | undefined): Effect.Effect<unknown, PostpressError> =>
      Effect.flatMap(Effect.runtime<never>(), (runtime) =>
        Effect.async<unknown, PostpressError>((resume) => {
          const resumeWith = (exit: Exit.Exit<unknown, PostpressError>) => resume(exit)
          const found = Option.getOrUndefined(MutableHashMap.get(inFlight, request))
          const flight: Flight = found ?? { waiters: new Set(), caches: new Set(), fiber: undefined }
          flight.waiters.add(resumeWith)
          if (cache !== undefined) flight.caches.add(cache)
          if (found === undefined) {
            MutableHashMap.set(inFlight, request, flight)
            // It starts at once, on this thread (it runs until its first wait, not on the scheduler's next turn),
            // and ends with nothing: its result goes to the waiters (see liveTimeoutFail in policy.ts for why).
            flight.fiber = Runtime.runFork(
              runtime,
              send(request).pipe(
                Effect.onExit((exit) =>
                  Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => land(request, flight, exit, now)))
                ),
                Effect.ignore
              ),
              { immediate: true }
            )
          }
          return Effect.suspend(() => {
            flight.waiters.delete(resumeWith)
            if (flight.waiters.size > 0 || flight.fiber === undefined) return Effect.void
            // the last waiter has left: nobody wants the result any more
            forget(request, flight)
            return Fiber.interrupt(flight.fiber)
          })
        }))

    return {
      owner: {},
      run: <A extends Lookup>(
        request: A,
        cache: Option.Option<Cache>
      ): Effect.Effect<Request.Request.Success<A>, PostpressError> => {
        if (Option.isNone(cache)) {
          return join(request, undefined) as Effect.Effect<Request.Request.Success<A>, PostpressError>
        }
        const store = cache.value
        return Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const hit = store.get(request, now)
          return Option.isSome(hit) ? Effect.succeed(hit.value) : join(request, store)
        }) as Effect.Effect<Request.Request.Success<A>, PostpressError>
      }
    }
  })
