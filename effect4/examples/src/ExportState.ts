/**
 * The export's state file: what its output holds, kept beside it
 * (`<output>.state.json`), so that a run killed at any moment — `kill -9`
 * included — continues where it stopped, and a run after a complete one
 * fetches only what is new.
 *
 * The protocol: lines are appended to the output and flushed (`fsync`)
 * before the state that covers them replaces the old one atomically (a
 * temporary file, flushed, then renamed over it). The state therefore never
 * covers bytes the output lacks; on start, output bytes past what it covers
 * (a page written by a run killed before its state was) are cut off, and
 * their messages fetched again.
 *
 * Per chat the state holds how far its current pass has written (the cursor
 * of the next page, and the oldest messages written) and the newest message
 * written. A pass reads a chat newest first, from its newest message down to
 * where the previous pass began (`floor`, sent as `after`); the first pass
 * has no floor. Instants are the API's millisecond timestamps, and several
 * messages can share one: a mark keeps the ids of every message written at
 * its instant, so a message that shares it is written once, and one that
 * arrives later at the same instant is not missed.
 */
import type { Message } from "@postpress/core"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"

/** An instant (the API's timestamp), and the ids of the messages written at it. */
export const Mark = Schema.Struct({ timestamp: Schema.String, ids: Schema.Array(Schema.String) })
export type Mark = typeof Mark.Type

/** A pass over a chat, newest first, under way. */
export const Pass = Schema.Struct({
  /** Where the pass stops: the chat's newest message when it began; `null` for the chat's first pass. */
  floor: Schema.NullOr(Mark),
  /** The page after the last one written; `null` before the first. */
  cursor: Schema.NullOr(Schema.String),
  /** The oldest messages written by the pass (a page that repeats them, as the list shifts, skips them). */
  low: Schema.NullOr(Mark)
})
export type Pass = typeof Pass.Type

/** What the output holds of a chat. */
export const ChatState = Schema.Struct({
  /** Its messages written so far. */
  messages: Schema.Number,
  /** Its newest message written: the next pass's floor. */
  newest: Schema.NullOr(Mark),
  /** The pass under way; `null` when the chat is written up to `newest`. */
  pass: Schema.NullOr(Pass)
})
export type ChatState = typeof ChatState.Type

/** The state file. */
export const State = Schema.Struct({
  version: Schema.Literal(1),
  /** The attendee whose chats the output holds. */
  attendee: Schema.String,
  /** The output's absolute path. */
  output: Schema.String,
  /** The output's bytes the state covers: anything past them is cut off on start. */
  bytes: Schema.Number,
  /** Whether the last run went through every chat. */
  complete: Schema.Boolean,
  /** Per chat id, in the order they were first written. */
  chats: Schema.Record(Schema.String, ChatState)
})
export type State = typeof State.Type

const StateJson = Schema.fromJsonString(State)
const decodeState = Schema.decodeUnknownEffect(StateJson)
const encodeState = Schema.encodeSync(StateJson)

/** Where the state of an output is kept: beside it. */
export const pathOf = (output: string): string => `${output}.state.json`

/** A new output's state. */
export const empty = (attendee: string, output: string): State => ({
  version: 1,
  attendee,
  output,
  bytes: 0,
  complete: false,
  chats: {}
})

/** A chat not written yet. */
export const newChat: ChatState = { messages: 0, newest: null, pass: null }

/** Whether a run stopped before the end: a chat's pass is under way, or not every chat was reached. */
export const isUnfinished = (state: State): boolean =>
  !state.complete || Object.values(state.chats).some((chat) => chat.pass !== null)

/** The state at `path`, if there is one; an unreadable one fails with a sentence. */
export const load = (path: string): Effect.Effect<Option.Option<State>, Error, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    if (!(yield* fs.exists(path))) return Option.none()
    const text = yield* fs.readFileString(path)
    const state = yield* decodeState(text).pipe(
      Effect.mapError(() =>
        new Error(`The state file ${path} is not one this export wrote; run with --fresh to start over.`)
      )
    )
    return Option.some(state)
  }).pipe(Effect.mapError((error) => error instanceof Error ? error : new Error(String(error))))

/** Whether a process lives (one of another user counts as living). */
const isAlive = (pid: number): boolean => {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as { readonly code?: string }).code === "EPERM"
  }
}

/**
 * Holds `<output>.lock` (this process's id) while the scope is open: a second
 * run into the same output refuses to start while the first one lives. A lock
 * left by a run that was killed is taken over.
 */
export const lock = (output: string): Effect.Effect<void, Error, FileSystem.FileSystem | Scope.Scope> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = `${output}.lock`
    if (yield* fs.exists(path)) {
      const pid = Number((yield* fs.readFileString(path)).trim())
      // `process.kill(pid, 0)` only asks whether the process lives
      if (yield* Effect.sync(() => isAlive(pid) && pid !== process.pid)) {
        return yield* Effect.fail(
          new Error(
            `Another export (process ${pid}) is writing into ${output}: wait for it to end, or stop it ` +
              `(a kill -9 of \`pnpm run export\` stops pnpm, not the export: kill its process group).`
          )
        )
      }
      yield* fs.remove(path, { force: true })
    }
    yield* Effect.acquireRelease(
      fs.writeFileString(path, String(process.pid), { flag: "wx" }).pipe(
        Effect.mapError(() => new Error(`Another export is starting to write into ${output}: wait for it to end.`))
      ),
      () => Effect.ignore(fs.remove(path, { force: true }))
    )
  }).pipe(Effect.mapError((error) => error instanceof Error ? error : new Error(String(error))))

/**
 * Replaces the state at `path` atomically: a kill leaves the old state or the
 * new one, never a torn file. The temporary file is flushed before the rename,
 * so the rename never publishes a state whose bytes are not on disk.
 */
export const save = (path: string, state: State): Effect.Effect<void, Error, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const temporary = `${path}.tmp`
    yield* Effect.scoped(Effect.gen(function*() {
      const file = yield* fs.open(temporary, { flag: "w" })
      yield* file.writeAll(new TextEncoder().encode(encodeState(state)))
      yield* file.sync
    }))
    yield* fs.rename(temporary, path)
  })

const millis = (timestamp: string) => Date.parse(timestamp)

/** The instant just before a mark's: `after` it (strict) lists the messages at the mark's instant too. */
export const justBefore = (mark: Mark): string => new Date(millis(mark.timestamp) - 1).toISOString()

/** Whether a message is one a mark covers: newer than it (`above`) or older, or at its instant and written. */
const covered = (mark: Mark | null, message: Message.Message, side: "above" | "below"): boolean => {
  if (mark === null) return false
  const difference = millis(message.timestamp) - millis(mark.timestamp)
  return difference === 0 ? mark.ids.includes(message.id) : side === "above" ? difference > 0 : difference < 0
}

/** A mark moved to a message when it is newer (`max`) or older (`min`) than the mark, or shares its instant. */
const extend = (mark: Mark | null, message: Message.Message, toward: "max" | "min"): Mark => {
  if (mark === null) return { timestamp: message.timestamp, ids: [message.id] }
  const difference = millis(message.timestamp) - millis(mark.timestamp)
  if (difference === 0) return mark.ids.includes(message.id) ? mark : { ...mark, ids: [...mark.ids, message.id] }
  return (toward === "max" ? difference > 0 : difference < 0)
    ? { timestamp: message.timestamp, ids: [message.id] }
    : mark
}

/** A chat with a pass begun: from its newest message down to the newest one written. */
export const beginPass = (chat: ChatState): ChatState => ({
  ...chat,
  pass: { floor: chat.newest, cursor: null, low: null }
})

/**
 * A page of a chat's pass: the messages to write (none written before, none
 * at or below the floor) and the chat's state once they are. `cursor` is the
 * page's, resuming right after it (`null` on the last page, which ends the
 * pass).
 */
export const applyPage = (
  chat: ChatState,
  items: ReadonlyArray<Message.Message>,
  cursor: string | null
): { readonly write: ReadonlyArray<Message.Message>; readonly chat: ChatState } => {
  const pass = chat.pass ?? { floor: chat.newest, cursor: null, low: null }
  // newest first: a message newer than the pass's oldest was written by it already (the list shifted as
  // messages arrived), and one at or below the floor by the pass before
  const write = items.filter((message) =>
    !covered(pass.low, message, "above") && !covered(pass.floor, message, "below")
  )
  let newest = chat.newest
  let low = pass.low
  for (const message of write) {
    newest = extend(newest, message, "max")
    low = extend(low, message, "min")
  }
  return {
    write,
    chat: {
      messages: chat.messages + write.length,
      newest,
      pass: cursor === null ? null : { floor: pass.floor, cursor, low }
    }
  }
}
