import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { type PostpressError, RepeatedCursor, type StreamError, withResume } from "../../PostpressError.js"
import { decodeUtf8, type Received } from "../http/response.js"

/** A page of a cursor-paginated list. */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly cursor: string | null
}

/** How many recent cursors are remembered to detect a server going round in circles. */
const RECENT_CURSORS = 64

const isJsonWhitespace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09

/** `"cursor"` in UTF-8. */
const CURSOR_KEY = [0x22, 0x63, 0x75, 0x72, 0x73, 0x6f, 0x72, 0x22]
/** `null` in UTF-8. */
const NULL = [0x6e, 0x75, 0x6c, 0x6c]

const bytesAt = (body: Uint8Array, at: number, bytes: ReadonlyArray<number>) =>
  at >= 0 && bytes.every((byte, i) => body[at + i] === byte)

/**
 * The top-level `cursor` of a list's JSON body when the body ends with it
 * (`…,"cursor":"…"}` or `…,"cursor":null}`, as the API writes lists), read
 * from the end of its UTF-8 bytes without decoding or parsing the rest;
 * `undefined` when the body does not end so. In valid JSON a `cursor` key whose
 * value is followed by the final `}` is a member of the outermost object, and
 * its last one; and in UTF-8 no byte of a multi-byte character is an ASCII one,
 * so the quotes, backslashes and punctuation read here are the JSON's own.
 */
export const trailingCursor = (body: Uint8Array): string | null | undefined => {
  let end = body.length
  while (end > 0 && isJsonWhitespace(body[end - 1])) end--
  if (body[--end] !== 0x7d /* } */) return undefined
  while (end > 0 && isJsonWhitespace(body[end - 1])) end--
  let start: number
  if (body[end - 1] === 0x22 /* " */) {
    // the opening quote: the first quote before the closing one not escaped by an odd run of backslashes
    start = end - 1
    for (;;) {
      if (start === 0) return undefined
      start = body.lastIndexOf(0x22, start - 1)
      if (start < 0) return undefined
      let backslashes = 0
      while (body[start - 1 - backslashes] === 0x5c /* \ */) backslashes++
      if (backslashes % 2 === 0) break
    }
  } else if (bytesAt(body, end - NULL.length, NULL)) {
    start = end - NULL.length
  } else {
    return undefined
  }
  let key = start
  while (key > 0 && isJsonWhitespace(body[key - 1])) key--
  if (body[--key] !== 0x3a /* : */) return undefined
  while (key > 0 && isJsonWhitespace(body[key - 1])) key--
  key -= CURSOR_KEY.length
  if (!bytesAt(body, key, CURSOR_KEY)) return undefined
  while (key > 0 && isJsonWhitespace(body[key - 1])) key--
  const before = body[key - 1]
  if (before !== 0x2c /* , */ && before !== 0x7b /* { */) return undefined
  try {
    return JSON.parse(decodeUtf8(body.subarray(start, end))) as string | null
  } catch {
    return undefined
  }
}

/**
 * The cursor of a page: read from the end of its bytes where it can be (the
 * next request goes out before the page is decoded), from its JSON otherwise.
 * A page that is not JSON has none; decoding it reports it.
 */
const cursorOf = (page: Received<unknown>): string | null => {
  const trailing = trailingCursor(page.bytes)
  if (trailing !== undefined) return trailing
  const json = page.json
  const cursor = Either.isRight(json) && typeof json.right === "object" && json.right !== null
    ? (json.right as { cursor?: unknown }).cursor
    : undefined
  return typeof cursor === "string" ? cursor : null
}

/** A fetched page, with the cursor it was fetched with and its place in the stream. */
interface Fetched<P> {
  readonly page: Received<P>
  readonly cursor: string | undefined
  readonly index: number
}

/**
 * Where a list's walk stands: the cursor to send next, the pages fetched, and
 * what ends it once the pages before are out. Every failure it ends with says
 * where a new stream resumes: at the cursor of the request that failed, after
 * the pages fetched before it (each of which the consumer gets first).
 */
class Walk {
  private readonly recent: Array<string> = []
  /** Pages fetched so far. */
  fetched = 0
  /** Why no page comes after the fetched ones: the end of the list, a failed request, a cursor seen again. */
  end: Exit.Exit<void, StreamError> | undefined = undefined

  constructor(public cursor: string | undefined) {}

  /** Fetches the next page; on failure, ends the walk with the failure (a defect too: it must end the stream). */
  fetch<P>(
    fetch: (cursor: string | undefined) => Effect.Effect<Received<P>, PostpressError>
  ): Effect.Effect<Fetched<P> | undefined> {
    const cursor = this.cursor
    return Effect.map(Effect.exit(Effect.suspend(() => fetch(cursor))), (exit) => {
      if (Exit.isSuccess(exit)) {
        const fetched = { page: exit.value, cursor, index: this.fetched++ }
        this.advance(exit.value)
        return fetched
      }
      this.end = Exit.asVoid(Exit.mapError(exit, (error) => withResume(error, { cursor, pages: this.fetched })))
      return undefined
    })
  }

  /** Takes a page's cursor as the next one to send, or ends the walk (no cursor, or one seen again). */
  private advance(page: Received<unknown>): void {
    const cursor = cursorOf(page)
    if (cursor === null) {
      this.end = Exit.void
      return
    }
    if (this.cursor !== undefined) {
      this.recent.push(this.cursor)
      if (this.recent.length > RECENT_CURSORS) this.recent.shift()
    }
    if (this.recent.includes(cursor)) {
      // the server says the next page is one it already gave: resuming asks for it, as the server would have
      this.end = Exit.fail(withResume(new RepeatedCursor({ cursor }), { cursor, pages: this.fetched }))
    }
    this.cursor = cursor
  }
}

/** What a pull gives at the end of the walk: nothing more, or its failure. */
const endPull = <E>(end: Exit.Exit<void, E>): Effect.Effect<never, Option.Option<E>> =>
  Exit.isSuccess(end) ? Effect.fail(Option.none()) : Effect.failCause(Cause.map(end.cause, Option.some))

/** A page, decoded, as a pull gives it; a page that does not decode ends the stream, to resume at its cursor. */
const decodePull = <P>(
  { cursor, index, page }: Fetched<P>
): Effect.Effect<Chunk.Chunk<P>, Option.Option<StreamError>> =>
  Effect.mapBoth(page.decode, {
    onFailure: (error) => Option.some(withResume(error, { cursor, pages: index })),
    onSuccess: Chunk.of
  })

/** Wakes one waiting fiber; the wake-up carries nothing. */
class Signal {
  private waiter: (() => void) | undefined

  /**
   * Returns at once if `ready()` holds, else waits for {@link notify} (the
   * check and the registration happen together, so no wake-up is missed); the
   * caller checks again after.
   */
  wait(ready: () => boolean): Effect.Effect<void> {
    return Effect.async<void>((resume) => {
      if (ready()) return resume(Effect.void)
      this.waiter = () => resume(Effect.void)
      return Effect.sync(() => {
        this.waiter = undefined
      })
    })
  }

  notify(): void {
    const waiter = this.waiter
    this.waiter = undefined
    waiter?.()
  }
}

/**
 * The pages of a list, fetched lazily from `cursor` on: nothing is sent before
 * the stream is pulled, a page with no items but a cursor continues, and a
 * cursor seen again fails with {@link RepeatedCursor} once the pages before it
 * are out; so does a failed request.
 *
 * Only a page's cursor is read as it arrives (from the end of its bytes, see
 * {@link trailingCursor}); it is turned into text, parsed and decoded when the
 * consumer pulls it. With `prefetch` n > 0 a fiber of the stream's own fetches
 * up to n pages ahead, so network time, decoding and consumption overlap: a
 * consumer woken by a page first runs `handoff` (the transport's wait for the
 * request the producer has just started to go out; see
 * `PostpressClient.PageHandoff`), then works on it.
 *
 * Pages go from that fiber to the consumer through a plain array, with
 * signals that carry nothing: on Node 20, pages handed between fibers through
 * a `Queue` (and so through `Stream.buffer`) stay reachable for
 * young-generation collections until a full one, which keeps every page since
 * the last full collection in memory. `pnpm bench --only retention` (R)
 * reproduces it: ~5.9 MB kept per 20 pages through `Queue.bounded(1)` or
 * `Stream.buffer`, ~0.9 MB through these pages, ~0.03 MB for a plain loop.
 */
export const pages = <P extends Page<unknown>>(
  fetch: (cursor: string | undefined) => Effect.Effect<Received<P>, PostpressError>,
  options: {
    readonly cursor?: string | undefined
    readonly prefetch: number
    readonly handoff: Effect.Effect<void>
  }
): Stream.Stream<P, StreamError> => {
  const prefetch = options.prefetch
  type Pull = Effect.Effect<Chunk.Chunk<P>, Option.Option<StreamError>>
  return Stream.fromPull(Effect.gen(function*() {
    const walk = new Walk(options.cursor)
    if (prefetch <= 0) {
      const pull: Pull = Effect.suspend((): Pull =>
        walk.end !== undefined
          ? endPull(walk.end)
          : Effect.flatMap(walk.fetch(fetch), (fetched) => fetched === undefined ? pull : decodePull(fetched))
      )
      return pull
    }
    // the producer fetches while no more than `prefetch` pages wait, so at most `prefetch` + 1 do (as with
    // `Stream.buffer`, which holds one more page than it queues)
    const scope = yield* Effect.scope
    const ready: Array<Fetched<P>> = []
    const consumer = new Signal()
    const producer = new Signal()
    const produce: Effect.Effect<void> = Effect.suspend(() => {
      if (walk.end !== undefined) return Effect.void
      if (ready.length > prefetch) {
        return Effect.zipRight(producer.wait(() => ready.length <= prefetch), produce)
      }
      return Effect.flatMap(walk.fetch(fetch), (fetched) => {
        if (fetched !== undefined) ready.push(fetched)
        consumer.notify()
        return produce
      })
    })
    let started = false
    const pull: Pull = Effect.suspend((): Pull => {
      if (!started) {
        started = true
        return Effect.zipRight(Effect.forkIn(produce, scope), pull)
      }
      const page = ready.shift()
      if (page !== undefined) {
        producer.notify()
        return decodePull(page)
      }
      if (walk.end !== undefined) return endPull(walk.end)
      // woken by a page, the consumer lets the request the producer has just started go out before its work
      return Effect.zipRight(
        consumer.wait(() => ready.length > 0 || walk.end !== undefined),
        Effect.zipRight(options.handoff, pull)
      )
    })
    return pull
  }))
}

/** The items of a stream of pages. */
export const items = <A, E>(stream: Stream.Stream<Page<A>, E>): Stream.Stream<A, E> =>
  Stream.mapConcatChunk(stream, (page) => Chunk.unsafeFromArray(page.items as Array<A>))
