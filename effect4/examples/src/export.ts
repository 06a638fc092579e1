/**
 * Export: every chat of an attendee, and every message of those chats, into
 * an NDJSON file — one wire-format object per line (`"object": "Chat"` or
 * `"Message"`) — kept in sync from run to run. A live progress line shows on
 * a terminal; a summary ends the run.
 *
 *   pnpm run export [-- --attendee <id> --out <file> --concurrency <n> --fresh]
 *
 * A state file beside the output (`<out>.state.json`, see `ExportState`)
 * records what the output holds: a run killed at any moment continues where
 * it stopped when started again with the same command, and a run after a
 * complete one appends only the chats and messages that are new (`--fresh`
 * starts over). A lock file beside it (`<out>.lock`) keeps a second run from
 * writing into the same output while the first one lives.
 *
 * Runs on the embedded simulator unless POSTPRESS_API_KEY is set.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Chat, Message, PostpressClient } from "@postpress/core"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as FileSystem from "effect/FileSystem"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Path from "node:path"
import * as Args from "./Args.js"
import * as ExportState from "./ExportState.js"
import * as Target from "./Target.js"

const encodeChat = Schema.encodeSync(Chat.Chat)
const encodeMessage = Schema.encodeSync(Message.Message)
const encoder = new TextEncoder()

/** The chats and messages of one page (or a new chat's line), and the chat's state once they are written. */
interface Update {
  readonly chatId: string
  readonly lines: ReadonlyArray<string>
  readonly chat: ExportState.ChatState
}

/** Live counters of this run. */
const progress = { chats: 0, chatsDone: 0, newChats: 0, messages: 0, pages: 0, chatPages: 0, bytes: 0 }

const count = (n: number) => n.toLocaleString("en-US")

const rate = (n: number, elapsed: Duration.Duration) =>
  count(Math.round(n / Math.max(Duration.toSeconds(elapsed), 0.001)))

const progressLine = (elapsed: Duration.Duration) =>
  `  ${count(progress.messages)} new messages · ${progress.pages} pages · ` +
  `chats ${progress.chatsDone}/${progress.chats} · ${rate(progress.messages, elapsed)} msg/s`

/** What a run is: the first into its output, one that continues a killed run, or one after a complete run. */
type Kind = "Fresh" | "Resumed" | "Incremental"

const program = (args: {
  readonly attendee: Option.Option<string>
  readonly out: string
  readonly concurrency: number
  readonly fresh: boolean
}) =>
  Effect.gen(function*() {
    const target = yield* Target.Target
    const client = yield* PostpressClient.PostpressClient
    const fs = yield* FileSystem.FileSystem
    const attendeeId = yield* Target.required(
      Option.orElse(args.attendee, () => target.attendeeId),
      "POSTPRESS_ATTENDEE_ID (or --attendee)"
    )
    const out = Path.resolve(args.out)
    const statePath = ExportState.pathOf(out)
    const concurrency = Math.max(1, args.concurrency)
    yield* fs.makeDirectory(Path.dirname(out), { recursive: true })

    // one run at a time into an output
    yield* ExportState.lock(out)
    // where this run starts: from nothing, or from what the state covers (any byte past it is cut off)
    if (args.fresh) yield* fs.remove(statePath, { force: true })
    const previous = yield* ExportState.load(statePath)
    let trimmed = 0
    let kind: Kind = "Fresh"
    if (Option.isSome(previous)) {
      const state = previous.value
      if (state.attendee !== attendeeId || state.output !== out) {
        return yield* Effect.fail(
          new Error(
            `The state file ${statePath} is the export of ${state.attendee} into ${state.output}, ` +
              `not of ${attendeeId} into ${out}: run with --fresh to start over, or choose another --out.`
          )
        )
      }
      const size = (yield* fs.exists(out)) ? Number((yield* fs.stat(out)).size) : 0
      if (size < state.bytes) {
        return yield* Effect.fail(
          new Error(
            `${out} holds ${count(size)} bytes, fewer than the ${count(state.bytes)} its state file covers ` +
              `(was it changed?): run with --fresh to start over.`
          )
        )
      }
      if (size > state.bytes) yield* fs.truncate(out, state.bytes)
      trimmed = size - state.bytes
      kind = ExportState.isUnfinished(state) ? "Resumed" : "Incremental"
    } else {
      yield* fs.writeFileString(out, "")
      yield* ExportState.save(statePath, ExportState.empty(attendeeId, out))
    }
    const initial = Option.getOrElse(previous, () => ExportState.empty(attendeeId, out))
    const stateRef = yield* Ref.make(initial)

    yield* Console.log(`Exporting the chats of ${attendeeId} from ${target.description}`)
    yield* Console.log(`  into ${out}`)
    if (kind !== "Fresh") {
      yield* Console.log(
        `  ${kind === "Resumed" ? "resuming the run that stopped" : "fetching what is new since the last run"} ` +
          `(${count(Object.keys(initial.chats).length)} chats known` +
          `${trimmed > 0 ? `; ${count(trimmed)} bytes past the last saved state cut off` : ""})`
      )
    }

    /** The pages of a chat's pass, from where its state says, each with the chat's state once it is written. */
    const passOf = (chatId: string, chatRef: Ref.Ref<ExportState.ChatState>) =>
      Stream.unwrap(Effect.map(Ref.get(chatRef), (chat) => {
        const pass = chat.pass ?? { floor: chat.newest, cursor: null, low: null }
        return client.chats.messages.pages(chatId, {
          limit: 250,
          cursor: pass.cursor ?? undefined,
          after: pass.floor === null ? undefined : ExportState.justBefore(pass.floor)
        }).pipe(
          Stream.mapEffect((page) =>
            Ref.modify(chatRef, (chat): [Update, ExportState.ChatState] => {
              const applied = ExportState.applyPage(chat, page.items, page.cursor)
              const lines = applied.write.map((message) => JSON.stringify(encodeMessage(message)))
              return [{ chatId, lines, chat: applied.chat }, applied.chat]
            })
          ),
          Stream.tap((update) =>
            Effect.sync(() => {
              progress.pages++
              progress.messages += update.lines.length
            })
          )
        )
      }))

    /** A chat's new lines: all of a new one; of a known one, its pass left under way, then what is newer. */
    const updatesOf = (chat: Chat.Chat) =>
      Stream.unwrap(Effect.gen(function*() {
        const known = initial.chats[chat.id]
        if (known === undefined) {
          progress.newChats++
          const begun = ExportState.beginPass(ExportState.newChat)
          const chatRef = yield* Ref.make(begun)
          return Stream.concat(
            Stream.succeed<Update>({ chatId: chat.id, lines: [JSON.stringify(encodeChat(chat))], chat: begun }),
            passOf(chat.id, chatRef)
          )
        }
        const chatRef = yield* Ref.make(known.pass === null ? ExportState.beginPass(known) : known)
        if (known.pass === null || known.pass.cursor === null) return passOf(chat.id, chatRef)
        // a pass a killed run left under way: finish it, then fetch what arrived since it began
        return Stream.concat(
          passOf(chat.id, chatRef),
          Stream.unwrap(Effect.as(Ref.update(chatRef, ExportState.beginPass), passOf(chat.id, chatRef)))
        )
      })).pipe(Stream.ensuring(Effect.sync(() => progress.chatsDone++)))

    // every chat of the attendee (once, should the listing shift), `concurrency` chats at a time
    const listed = new Set<string>()
    const updates = client.chatAttendees.chats.pages(attendeeId, { limit: 100 }).pipe(
      Stream.tap(() => Effect.sync(() => progress.chatPages++)),
      Stream.map((page) => page.items),
      Stream.flattenIterable,
      Stream.filter((chat) => !listed.has(chat.id) && listed.add(chat.id) !== undefined),
      Stream.tap(() => Effect.sync(() => progress.chats++)),
      Stream.flatMap(updatesOf, { concurrency })
    )

    /**
     * The output's writer. Each batch of updates is appended as it comes; at most
     * every quarter of a second, and at the end, the output is flushed (`fsync`)
     * and then the state that covers it saved: two fsyncs per commit, not per
     * page. A kill loses only what came since the last commit: lines past the
     * saved state, which the next run cuts off and fetches again.
     */
    const commitEvery = 250
    const committed = yield* Ref.make({ at: 0, saved: initial })
    const commit = (file: FileSystem.File) =>
      Effect.gen(function*() {
        yield* file.sync
        const state = yield* Ref.get(stateRef)
        yield* ExportState.save(statePath, state)
        yield* Ref.set(committed, { at: yield* Clock.currentTimeMillis, saved: state })
      })
    const write = (file: FileSystem.File, batch: ReadonlyArray<Update>) =>
      Effect.gen(function*() {
        const state = yield* Ref.get(stateRef)
        const chats = { ...state.chats }
        let changed = false
        for (const update of batch) {
          changed ||= JSON.stringify(chats[update.chatId]) !== JSON.stringify(update.chat)
          chats[update.chatId] = update.chat
        }
        const lines = batch.flatMap((update) => update.lines)
        let bytes = state.bytes
        if (lines.length > 0) {
          const data = encoder.encode(lines.join("\n") + "\n")
          yield* file.writeAll(data)
          bytes += data.length
          progress.bytes += data.length
          changed = true
        }
        if (!changed) return
        yield* Ref.set(stateRef, { ...state, bytes, complete: false, chats })
        const now = yield* Clock.currentTimeMillis
        if (now - (yield* Ref.get(committed)).at >= commitEvery) yield* commit(file)
      })

    const start = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    const elapsed = Effect.map(
      Effect.clockWith((clock) => clock.currentTimeMillis),
      (now) => Duration.millis(now - start)
    )
    const ticker = yield* Effect.forkChild(
      process.stdout.isTTY
        ? Effect.flatMap(elapsed, (e) => Effect.sync(() => process.stdout.write(`\r${progressLine(e)}\x1b[K`))).pipe(
          Effect.repeat(Schedule.spaced("200 millis")),
          Effect.asVoid
        )
        : Effect.void
    )
    const final = yield* Effect.scoped(
      Effect.flatMap(fs.open(out, { flag: "a" }), (file) =>
        Effect.gen(function*() {
          yield* Stream.runForEachArray(updates, (batch) => write(file, batch))
          // every chat listed went through: the next run fetches only what is new
          yield* Ref.update(stateRef, (state) => ({ ...state, complete: true }))
          const final = yield* Ref.get(stateRef)
          const { saved } = yield* Ref.get(committed)
          if (JSON.stringify(saved) !== JSON.stringify(final)) yield* commit(file)
          return final
        }))
    )
    yield* Fiber.interrupt(ticker)
    const took = yield* elapsed
    if (process.stdout.isTTY) process.stdout.write("\r\x1b[K")

    const totalMessages = Object.values(final.chats).reduce((sum, chat) => sum + chat.messages, 0)
    yield* Console.log(
      [
        `${kind} export: ${count(progress.messages)} new messages, ${count(progress.newChats)} new chats ` +
        `(of ${count(progress.chats)} listed)`,
        `  pages:    ${count(progress.pages + progress.chatPages)} ` +
        `(${count(progress.pages)} of messages, ${count(progress.chatPages)} of chats)`,
        `  written:  ${(progress.bytes / 1024 / 1024).toFixed(1)} MiB to ${out} ` +
        `(now ${count(totalMessages)} messages from ${count(Object.keys(final.chats).length)} chats)`,
        `  took:     ${Duration.format(took)} (${rate(progress.messages, took)} new messages/s)`,
        `  state:    ${statePath} (the next run continues from it; --fresh starts over)`
      ].join("\n")
    )
  }).pipe(Effect.scoped)

const command = Command.make("export", {
  attendee: Flag.String("attendee").pipe(
    Flag.withDescription("the attendee whose chats to export (default: POSTPRESS_ATTENDEE_ID, or the simulator's)"),
    Flag.optional
  ),
  out: Flag.String("out").pipe(
    Flag.withDescription("the NDJSON file to write (default out/export.ndjson)"),
    Flag.withDefault("out/export.ndjson")
  ),
  concurrency: Flag.Int("concurrency").pipe(
    Flag.withDescription("how many chats to read at once (default 4)"),
    Flag.withDefault(4)
  ),
  fresh: Flag.Boolean("fresh").pipe(
    Flag.withDescription("start over: ignore the state file and rewrite the output from nothing"),
    Flag.withDefault(false)
  )
}, program).pipe(
  Command.withDescription("Every chat of an attendee, and all their messages, to NDJSON, kept in sync from run to run")
)

Args.run(command).pipe(Effect.provide([Target.layer(), NodeServices.layer]), NodeRuntime.runMain)
