// The one program of the runtime matrix (scripts/runtimes/run.sh): the same
// file for both editions and every runtime, copied into the edition's fresh
// npm project beside the installed tarballs (bundled with them for workerd and
// the browser). It imports only what both editions name alike.
//
// Through the layer under test, against the loopback API (server.cjs):
//   - chats.retrieve of the reference chat;
//   - chats.messages.stream of its three pages (one message each);
//   - messages.retrieve of a missing id, which must fail with NotFound;
//   - messages.retrieve of a message whose connection is reset, through the
//     same layer without retries, which must fail with TransportError;
//   - logs what a program might log (its options, both errors, their causes)
//     through console and Effect's logger, every line also recorded here, so
//     that the caller checks the key appears in none of it;
//   - streams the bulk chat's pages of 250 messages three times (after a
//     warm-up of 10 pages) and reports the fastest run's messages per second.
import { PostpressClient, PostpressRetry } from "@postpress/core"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"

/* global crypto, performance */

export const CHAT_ID = "chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR"

/** A key of the form the loopback API takes, new for each run. */
export const makeKey = () =>
  "pp_runtime_" +
  Array.from(crypto.getRandomValues(new Uint8Array(24)), (byte) => "0123456789abcdefghijklmnopqrstuvwxyz"[byte % 36])
    .join("")

/** Everything a value shows: its string, its JSON, and every own property (enumerable or not), a few levels down. */
const show = (value, depth = 0, seen = new Set()) => {
  if (value === null || typeof value !== "object" && typeof value !== "function") return String(value)
  if (seen.has(value) || depth > 4) return "[seen]"
  seen.add(value)
  const parts = []
  try {
    parts.push(String(value))
  } catch {
    // an object without a string form
  }
  try {
    parts.push(JSON.stringify(value) ?? "")
  } catch {
    // a cycle
  }
  for (const key of Object.getOwnPropertyNames(value)) {
    let property
    try {
      property = value[key]
    } catch {
      continue
    }
    if (typeof property !== "function") parts.push(`${key}: ${show(property, depth + 1, seen)}`)
  }
  return parts.join(" ")
}

/** Records every console line (as `show` sees its arguments) while still printing it; returns the restore. */
const capture = (lines) => {
  const levels = ["log", "info", "warn", "error", "debug", "trace"]
  const originals = levels.map((level) => console[level])
  levels.forEach((level, i) => {
    console[level] = (...args) => {
      lines.push(args.map((arg) => show(arg)).join(" "))
      originals[i].apply(console, args)
    }
  })
  return () => levels.forEach((level, i) => (console[level] = originals[i]))
}

/** Whether this runtime lets code compile strings (`new Function`): Workers and a strict CSP refuse. */
const codegen = () => {
  try {
    return new Function("return true")()
  } catch {
    return false
  }
}

const logErrors = (label, error) =>
  Effect.gen(function*() {
    console.log(`${label}:`, error)
    console.error(`${label}: ${String(error)} ${JSON.stringify(error)}`)
    console.error(Cause.pretty(Cause.fail(error)))
    yield* Effect.logError(label, error)
    yield* Effect.logWarning(Cause.fail(error))
  })

/**
 * Runs the program through `layer(options)`, `options` being `{ apiKey, baseUrl }`
 * (plus resilience settings for the reset check). Resolves with what it saw, or
 * with `{ failure }` when the layer or a check failed; never rejects.
 */
export const run = async ({ layer, apiKey, baseUrl }) => {
  const logs = []
  const restore = capture(logs)
  try {
    const options = { apiKey: Redacted.make(apiKey), baseUrl }
    console.log("options:", options)
    console.log(`options as JSON: ${JSON.stringify(options)}`)
    const program = Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      const chat = yield* client.chats.retrieve(CHAT_ID)
      const messages = Array.from(yield* Stream.runCollect(client.chats.messages.stream(chat.id)))
      const missing = yield* Effect.flip(client.messages.retrieve("msg_missing"))
      yield* logErrors("missing", missing)
      const bulk = client.chats.messages.stream("chat_bulk", { limit: 250 })
      yield* Stream.runCount(bulk.pipe(Stream.take(2_500)))
      const runs = []
      for (let i = 0; i < 3; i++) {
        const started = performance.now()
        const count = yield* Stream.runCount(bulk)
        runs.push({ count, seconds: (performance.now() - started) / 1000 })
      }
      // the fastest run: other work on the machine only ever slows a run down
      const fastest = [...runs].sort((a, b) => a.seconds - b.seconds)[0]
      return {
        chat: chat.id,
        messages: messages.length,
        allMessages: messages.every((message) => message.object === "Message" && message.chat_id === CHAT_ID),
        notFound: missing._tag,
        bulk: runs.map((run) => run.count),
        seconds: runs.map((run) => run.seconds),
        msgPerSec: Math.round(fastest.count / fastest.seconds)
      }
    })
    const reset = Effect.gen(function*() {
      const client = yield* PostpressClient.PostpressClient
      const error = yield* Effect.flip(client.messages.retrieve("msg_reset"))
      yield* logErrors("reset", error)
      return error._tag
    })
    const once = { retryPolicy: PostpressRetry.noRetries, streamRetryPolicy: PostpressRetry.noRetries }
    const result = await runOrThrow(program.pipe(Effect.provide(layer(options))))
    const transport = await runOrThrow(reset.pipe(Effect.provide(layer({ ...options, ...once }))))
    return { ...result, transport, codegen: codegen(), logs }
  } catch (failure) {
    return { failure: failure instanceof Error ? failure.message : String(failure), codegen: codegen(), logs }
  } finally {
    restore()
  }
}

/** Runs an effect; a failure throws one readable message (its pretty cause). */
const runOrThrow = async (effect) => {
  const exit = await Effect.runPromiseExit(effect)
  if (exit._tag === "Success") return exit.value
  throw new Error(Cause.pretty(exit.cause))
}
