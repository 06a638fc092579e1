import * as Arr from "effect/Array"
import * as Cause from "effect/Cause"
import * as Channel from "effect/Channel"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Pull from "effect/Pull"
import * as Result from "effect/Result"
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
  const cursor = Result.isSuccess(json) && typeof json.success === "object" && json.success !== null
    ? (json.success as { cursor?: unknown }).cursor
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
class Walk<P> {
  private readonly recent: Array<string> = []
  /** Pages fetched so far. */
  private fetched = 0
  /** What ends the walk after the fetched pages: the end of the list, or a cursor seen again. */
  private end: Exit.Exit<void, StreamError> | undefined = undefined
  private cursor: string | undefined
  private readonly fetch: (cursor: string | undefined) => Effect.Effect<Received<P>, PostpressError>

  constructor(
    cursor: string | undefined,
    fetch: (cursor: string | undefined) => Effect.Effect<Received<P>, PostpressError>
  ) {
    this.cursor = cursor
    this.fetch = fetch
  }

  /** Fetches the next page, or ends the stream: with the walk's end, or with the failure of the request. */
  readonly pull: Pull.Pull<Arr.NonEmptyReadonlyArray<Fetched<P>>, StreamError> = Effect.suspend(
    (): Pull.Pull<Arr.NonEmptyReadonlyArray<Fetched<P>>, StreamError> => {
      if (this.end !== undefined) return Exit.isSuccess(this.end) ? Cause.done() : Effect.failCause(this.end.cause)
      const cursor = this.cursor
      return Effect.mapBothEager(this.fetch(cursor), {
        onFailure: (error) => withResume(error, { cursor, pages: this.fetched }),
        onSuccess: (page) => {
          const fetched: Fetched<P> = { page, cursor, index: this.fetched++ }
          this.advance(page)
          return Arr.of(fetched)
        }
      })
    }
  )

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

/** A page, decoded; a page that does not decode ends the stream, to resume at its cursor. */
const decode = <P>({ cursor, index, page }: Fetched<P>): Effect.Effect<P, StreamError> =>
  Effect.mapError(page.decode, (error) => withResume(error, { cursor, pages: index }))

/**
 * The pages of a list, fetched lazily from `cursor` on: nothing is sent before
 * the stream is pulled, a page with no items but a cursor continues, and a
 * cursor seen again fails with {@link RepeatedCursor} once the pages before it
 * are out; so does a failed request.
 *
 * Only a page's cursor is read as it arrives (from the end of its bytes, see
 * {@link trailingCursor}); it is turned into text, parsed and decoded when the
 * consumer pulls it. With `prefetch` n > 0 a fiber of the stream's own fetches
 * ahead (`Channel.buffer`, one page per element: n wait in its queue, and one
 * more waits to be queued or is in flight), so network time, decoding and
 * consumption overlap; the consumer runs `handoff` (see
 * `PostpressClient.PageHandoff`) before it works on each page it takes from
 * the buffer.
 *
 * A page put in the queue wakes a waiting consumer on a later turn: the
 * producer's next request goes out before the consumer works on the page. A
 * page taken from a full queue resumes the producer at once, in the consumer's
 * call (Effect 4 resumes a fiber in the call that wakes it): the producer then
 * yields, so that the consumer works on its page before the next request goes
 * out, and a `Stream.take` that needs no more pages ends the stream before one
 * more is asked for (at most `prefetch` pages beyond those it needs, as in
 * Effect 3).
 */
export const pages = <P extends Page<unknown>>(
  fetch: (cursor: string | undefined) => Effect.Effect<Received<P>, PostpressError>,
  options: {
    readonly cursor?: string | undefined
    readonly prefetch: number
    readonly handoff: Effect.Effect<void>
  }
): Stream.Stream<P, StreamError> => {
  if (options.prefetch <= 0) {
    return Stream.mapEffect(Stream.fromPull(Effect.sync(() => new Walk(options.cursor, fetch).pull)), decode)
  }
  return Stream.suspend(() => {
    // pages the producer has handed to the buffer, and pages the consumer has begun to work on
    let produced = 0
    let consumed = 0
    const walk = new Walk(options.cursor, fetch)
    // a producer more than `prefetch` pages ahead was resumed by the consumer taking a page from the full buffer:
    // it lets the consumer work on that page before it asks for another (see above)
    const pull: Pull.Pull<Arr.NonEmptyReadonlyArray<Fetched<P>>, StreamError> = Effect.map(
      Effect.suspend(() =>
        produced - consumed > options.prefetch ? Effect.andThen(Effect.yieldNow, walk.pull) : walk.pull
      ),
      (pages) => {
        produced++
        return pages
      }
    )
    const ahead = Stream.fromPull(Effect.succeed(pull))
    const buffered = Stream.fromChannel(Channel.buffer(Stream.toChannel(ahead), { capacity: options.prefetch }))
    return Stream.mapEffect(buffered, (page) => {
      consumed++
      return Effect.andThen(options.handoff, decode(page))
    })
  })
}

/** The items of a stream of pages. */
export const items = <A, E>(stream: Stream.Stream<Page<A>, E>): Stream.Stream<A, E> =>
  Stream.flattenArray(Stream.filter(Stream.map(stream, (page) => page.items), Arr.isReadonlyArrayNonEmpty))
