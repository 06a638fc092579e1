import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { type MalformedResponse, RepeatedCursor } from "../PostpressError.js"
import type { Parsed } from "./response.js"

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

/** The cursor of a parsed page, if it has a usable one (decoding reports a malformed page). */
const cursorOf = (json: unknown): string | null => {
  const cursor = typeof json === "object" && json !== null ? (json as { cursor?: unknown }).cursor : undefined
  return typeof cursor === "string" ? cursor : null
}

/**
 * The pages of a list, fetched lazily from `cursor` on: nothing is sent before
 * the stream is pulled, a page with no items but a cursor continues, and a
 * cursor seen again fails with {@link RepeatedCursor} once the pages before it
 * are out.
 *
 * A page is parsed as soon as it arrives, only to read its cursor, and decoded
 * downstream: with `prefetch` n > 0 the next requests go out (up to n pages
 * ahead) while earlier pages are decoded and consumed, so network time and
 * decoding overlap.
 */
export const pages = <P extends Page<unknown>, E>(
  fetch: (cursor: string | undefined) => Effect.Effect<Parsed<P>, E>,
  options: { readonly cursor?: string | undefined; readonly prefetch?: number | undefined }
): Stream.Stream<P, E | RepeatedCursor | MalformedResponse> => {
  const initial: State = { cursor: options.cursor, recent: [], repeated: false }
  const parsed = Stream.paginateEffect(
    initial,
    (state): Effect.Effect<readonly [Parsed<P>, Option.Option<State>], E | RepeatedCursor> => {
      if (state.repeated) return Effect.fail(new RepeatedCursor({ cursor: state.cursor! }))
      return Effect.map(fetch(state.cursor), (page) => {
        const cursor = cursorOf(page.json)
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
