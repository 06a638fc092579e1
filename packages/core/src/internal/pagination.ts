import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { type MalformedResponse, RepeatedCursor } from "../PostpressError.js"
import type { Received } from "./response.js"

/** A page of a cursor-paginated list. */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly cursor: string | null
}

/** How many recent cursors are remembered to detect a server going round in circles. */
const RECENT_CURSORS = 64

interface State {
  readonly cursor: string | undefined
  readonly recent: ReadonlyArray<string>
  readonly repeated: boolean
}

const isJsonWhitespace = (code: number) => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09

/**
 * The top-level `cursor` of a list's JSON text when the text ends with it
 * (`…,"cursor":"…"}` or `…,"cursor":null}`, as the API writes lists), read
 * from the end without parsing the rest; `undefined` when the text does not
 * end so. In valid JSON a `cursor` key whose value is followed by the final
 * `}` is a member of the outermost object, and its last one.
 */
export const trailingCursor = (text: string): string | null | undefined => {
  let end = text.length
  while (end > 0 && isJsonWhitespace(text.charCodeAt(end - 1))) end--
  if (text.charCodeAt(--end) !== 0x7d /* } */) return undefined
  while (end > 0 && isJsonWhitespace(text.charCodeAt(end - 1))) end--
  let start: number
  if (text.charCodeAt(end - 1) === 0x22 /* " */) {
    // the opening quote: the first quote before the closing one not escaped by an odd run of backslashes
    start = end - 1
    for (;;) {
      start = text.lastIndexOf("\"", start - 1)
      if (start < 0) return undefined
      let backslashes = 0
      while (text.charCodeAt(start - 1 - backslashes) === 0x5c /* \ */) backslashes++
      if (backslashes % 2 === 0) break
    }
  } else if (text.startsWith("null", end - 4)) {
    start = end - 4
  } else {
    return undefined
  }
  let key = start
  while (key > 0 && isJsonWhitespace(text.charCodeAt(key - 1))) key--
  if (text.charCodeAt(--key) !== 0x3a /* : */) return undefined
  while (key > 0 && isJsonWhitespace(text.charCodeAt(key - 1))) key--
  key -= 8
  if (key < 0 || !text.startsWith("\"cursor\"", key)) return undefined
  while (key > 0 && isJsonWhitespace(text.charCodeAt(key - 1))) key--
  const before = text.charCodeAt(key - 1)
  if (before !== 0x2c /* , */ && before !== 0x7b /* { */) return undefined
  try {
    return JSON.parse(text.slice(start, end)) as string | null
  } catch {
    return undefined
  }
}

/**
 * The cursor of a page: read from the end of its text where it can be (the
 * next request goes out before the page is parsed), from its JSON otherwise.
 * A page that is not JSON has none; decoding it reports it.
 */
const cursorOf = (page: Received<unknown>): string | null => {
  const trailing = trailingCursor(page.text)
  if (trailing !== undefined) return trailing
  const json = page.json
  const cursor = Either.isRight(json) && typeof json.right === "object" && json.right !== null
    ? (json.right as { cursor?: unknown }).cursor
    : undefined
  return typeof cursor === "string" ? cursor : null
}

/**
 * The pages of a list, fetched lazily from `cursor` on: nothing is sent before
 * the stream is pulled, a page with no items but a cursor continues, and a
 * cursor seen again fails with {@link RepeatedCursor} once the pages before it
 * are out.
 *
 * Only a page's cursor is read as it arrives (from the end of its text, see
 * {@link trailingCursor}); it is parsed and decoded downstream: with `prefetch`
 * n > 0 the next requests go out (up to n pages ahead) while earlier pages are
 * parsed, decoded and consumed, so network time and decoding overlap.
 */
export const pages = <P extends Page<unknown>, E>(
  fetch: (cursor: string | undefined) => Effect.Effect<Received<P>, E>,
  options: { readonly cursor?: string | undefined; readonly prefetch?: number | undefined }
): Stream.Stream<P, E | RepeatedCursor | MalformedResponse> => {
  const initial: State = { cursor: options.cursor, recent: [], repeated: false }
  const parsed = Stream.paginateEffect(
    initial,
    (state): Effect.Effect<readonly [Received<P>, Option.Option<State>], E | RepeatedCursor> => {
      if (state.repeated) return Effect.fail(new RepeatedCursor({ cursor: state.cursor! }))
      return Effect.map(fetch(state.cursor), (page) => {
        const cursor = cursorOf(page)
        if (cursor === null) return [page, Option.none()] as const
        const recent = state.cursor === undefined
          ? state.recent
          : [...state.recent.slice(1 - RECENT_CURSORS), state.cursor]
        return [page, Option.some({ cursor, recent, repeated: recent.includes(cursor) })] as const
      })
    }
  )
  const prefetch = options.prefetch ?? 1
  return (prefetch > 0 ? Stream.buffer(parsed, { capacity: prefetch }) : parsed).pipe(
    Stream.mapEffect((page) => page.decode)
  )
}

/** The items of a stream of pages. */
export const items = <A, E>(stream: Stream.Stream<Page<A>, E>): Stream.Stream<A, E> =>
  Stream.mapConcatChunk(stream, (page) => Chunk.unsafeFromArray(page.items as Array<A>))
