import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { Message, MessageList } from "../../Message.js"
import type { PostpressError, StreamError, WatchError } from "../../PostpressError.js"
import * as Pagination from "./pagination.js"

/** Where a watch stands: the newest instant seen, and the ids seen at exactly that instant. */
interface State {
  readonly after: number | undefined
  readonly boundary: ReadonlySet<string>
}

const at = (message: Message) => Date.parse(message.timestamp)

/**
 * New messages of a chat as they arrive, oldest first, by polling with
 * `after`. Each poll asks from one millisecond before the newest instant seen
 * and drops the ids already seen at that instant, so a message that arrives
 * later with the same timestamp is still emitted once, and none twice.
 */
export const watch = (
  pages: (options: { readonly after?: Date | undefined }) => Stream.Stream<MessageList, StreamError>,
  latest: Effect.Effect<MessageList, PostpressError>,
  options: { readonly interval: Duration.Duration; readonly since?: number | undefined }
): Stream.Stream<Message, WatchError> => {
  const { interval } = options

  /** Every message after `after` (ms, exclusive), oldest first. */
  const since = (after: number | undefined) =>
    Pagination.items(pages(after === undefined ? {} : { after: new Date(after) })).pipe(
      Stream.runCollect,
      Effect.map((messages) => messages.reverse())
    )

  const poll = (state: State): Effect.Effect<readonly [ReadonlyArray<Message>, State], WatchError> =>
    Effect.map(
      since(state.after === undefined ? undefined : state.boundary.size > 0 ? state.after - 1 : state.after),
      (messages) => {
        const fresh = messages.filter((message) => !state.boundary.has(message.id))
        if (messages.length === 0) return [fresh, state] as const
        // oldest first, so the newest is the last (no spread: a poll can return more messages than arguments fit)
        const newest = at(messages[messages.length - 1]!)
        const boundary = new Set(newest === state.after ? state.boundary : [])
        for (const message of messages) if (at(message) === newest) boundary.add(message.id)
        return [fresh, { after: newest, boundary }] as const
      }
    )

  const start: Effect.Effect<State, WatchError> = options.since !== undefined
    ? Effect.succeed({ after: options.since, boundary: new Set() })
    : Effect.flatMap(latest, (page) =>
      page.items.length === 0
        ? Effect.succeed({ after: undefined, boundary: new Set<string>() })
        // everything up to the newest message is history: mark all of its instant as seen
        : Effect.map(poll({ after: at(page.items[0]!), boundary: new Set([page.items[0]!.id]) }), ([, state]) => state))

  return Stream.unwrap(
    Effect.map(
      start,
      (initial) =>
        Stream.paginate(
          { state: initial, first: options.since !== undefined },
          ({ first, state }) =>
            Effect.gen(function*() {
              if (!first) {
                yield* Effect.sleep(interval)
              }
              const [fresh, next] = yield* poll(state)
              return [fresh, Option.some({ state: next, first: false })] as const
            })
        )
    )
  )
}
