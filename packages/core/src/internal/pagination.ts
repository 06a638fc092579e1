import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { RepeatedCursor } from "../PostpressError.js"

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

/**
 * The pages of a list, fetched lazily from `cursor` on: nothing is sent before
 * the stream is pulled, a page with no items but a cursor continues, and a
 * cursor seen again fails with {@link RepeatedCursor} once the pages before it
 * are out. With `prefetch` n > 0, up to n pages are fetched ahead of the
 * consumer, so network time overlaps processing.
 */
export const pages = <P extends Page<unknown>, E>(
  fetch: (cursor: string | undefined) => Effect.Effect<P, E>,
  options: { readonly cursor?: string | undefined; readonly prefetch?: number | undefined }
): Stream.Stream<P, E | RepeatedCursor> => {
  const initial: State = { cursor: options.cursor, recent: [], repeated: false }
  const unfolded = Stream.paginateEffect(
    initial,
    (state): Effect.Effect<readonly [P, Option.Option<State>], E | RepeatedCursor> => {
      if (state.repeated) return Effect.fail(new RepeatedCursor({ cursor: state.cursor! }))
      return Effect.map(fetch(state.cursor), (page) => {
        if (page.cursor === null) return [page, Option.none()] as const
        const recent = state.cursor === undefined
          ? state.recent
          : [...state.recent.slice(1 - RECENT_CURSORS), state.cursor]
        return [page, Option.some({ cursor: page.cursor, recent, repeated: recent.includes(page.cursor) })] as const
      })
    }
  )
  const prefetch = options.prefetch ?? 1
  return prefetch > 0 ? Stream.buffer(unfolded, { capacity: prefetch }) : unfolded
}

/** The items of a stream of pages. */
export const items = <A, E>(stream: Stream.Stream<Page<A>, E>): Stream.Stream<A, E> =>
  Stream.mapConcatChunk(stream, (page) => Chunk.unsafeFromArray(page.items as Array<A>))
