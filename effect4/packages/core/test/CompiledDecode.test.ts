/**
 * The client decodes each response with the code Effect's JIT compiler writes
 * for its schema (`SchemaJITCompiler.enable`), not with a decoder of its own.
 * These tests hold that decoder to Schema's interpreter: the same decoded
 * values and the same failure messages, on generated and mutated bodies (type
 * confusions among them), on the simulator's datasets, and where the runtime
 * refuses to compile code (`new Function` throws) and the interpreter takes
 * over.
 *
 * Every body's expected outcome is worked out by Schema's interpreter while
 * this file loads, before any client exists in this process, so before the
 * JIT has compiled anything (`globalThis.Function` is watched to prove it);
 * the tests then send each body through a client and compare.
 */
import { afterAll, assert, describe, it, vi } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaParser from "effect/SchemaParser"
import fc from "fast-check"
import { fixture } from "../../../../conformance/fixtures/index.js"
import { makeDataset } from "../../simulator/src/internal/shared/dataset.js"
import type * as Core from "../src/index.js"
import type { PostpressClient, PostpressError } from "../src/index.js"
import { Chat, ChatAttendee, Message } from "../src/index.js"
import { twinOf } from "../src/internal/http/decode.js"
import { describeIssue } from "../src/internal/http/response.js"
import type * as TestUtils from "./utils.js"
import { stub, withClient } from "./utils.js"

const schemas = {
  MessageList: Message.MessageList,
  Message: Message.Message,
  ChatList: Chat.ChatList,
  ChatWithLastMessage: Chat.ChatWithLastMessage,
  ChatAttendeeList: ChatAttendee.ChatAttendeeList
} as const

type Name = keyof typeof schemas

/** `f` of every schema's name, in the order above. */
const bySchema = <A>(f: (name: Name) => A): Record<Name, A> => ({
  MessageList: f("MessageList"),
  Message: f("Message"),
  ChatList: f("ChatList"),
  ChatWithLastMessage: f("ChatWithLastMessage"),
  ChatAttendeeList: f("ChatAttendeeList")
})

const decoderOf = (name: Name): (input: unknown) => Result.Result<unknown, SchemaIssue.Issue> =>
  SchemaParser.decodeUnknownResult(schemas[name])

/** The call whose response each schema decodes. */
const calls: Record<Name, (client: PostpressClient.Service) => Effect.Effect<unknown, PostpressError.PostpressError>> =
  {
    MessageList: (client) => client.chats.messages.list("chat_1"),
    Message: (client) => client.messages.retrieve("msg_1"),
    ChatList: (client) => client.chatAttendees.chats.list("att_1"),
    ChatWithLastMessage: (client) => client.chats.retrieve("chat_1"),
    ChatAttendeeList: (client) => client.chats.attendees.list("chat_1")
  }

// -----------------------------------------------------------------------------
// what the JIT compiles, seen through `globalThis.Function`
// -----------------------------------------------------------------------------

const RealFunction = globalThis.Function

/** The ASTs the JIT compiler has written code for in this file (it builds each operation with `new Function`). */
const compiled = new Set<unknown>()

/** `Function`, recording the AST each function the JIT compiler builds (`Function("ast", "R", "resolve", source)`) is made for. */
const WatchedFunction = function(...args: Array<string>) {
  const made = Reflect.construct(RealFunction, args) as (...parameters: Array<unknown>) => unknown
  return args[0] === "ast"
    ? (ast: unknown, ...rest: Array<unknown>) => {
      compiled.add(ast)
      return made(ast, ...rest)
    }
    : made
}
WatchedFunction.prototype = RealFunction.prototype
globalThis.Function = WatchedFunction as unknown as FunctionConstructor
afterAll(() => {
  globalThis.Function = RealFunction
})

/**
 * Runs `f` where the runtime refuses to compile code, as a strict
 * Content-Security-Policy does; gives the parameters of every refused
 * compilation.
 */
const refusingCodeGeneration = async (f: () => Promise<void>): Promise<ReadonlyArray<ReadonlyArray<string>>> => {
  const refused: Array<ReadonlyArray<string>> = []
  const watched = globalThis.Function
  globalThis.Function = function(...args: Array<string>) {
    refused.push(args)
    throw new EvalError("Code generation from strings disallowed for this context")
  } as unknown as FunctionConstructor
  try {
    await f()
    return refused
  } finally {
    globalThis.Function = watched
  }
}

// -----------------------------------------------------------------------------
// the reference: Schema's interpreter, run while this file loads
// -----------------------------------------------------------------------------

const formatIssue = SchemaIssue.makeFormatterDefault()

/** A response body and what Schema's interpreter decodes it to. */
interface Case {
  readonly name: Name
  readonly text: string
  readonly expected: Result.Result<unknown, SchemaIssue.Issue>
}

const interpreters = bySchema(decoderOf)

/** `key` with `_` for each character `JSON.stringify` escapes: a quote, a backslash, a control character, a lone surrogate. */
const plainKey = (key: string): string =>
  Array.from(key, (char) => JSON.stringify(char) === `"${char}"` ? char : "_").join("")

/**
 * `value` with no escape sequence in any key (each such character becomes
 * `_`). V8's `JSON.parse` (Node 24 to 26 at least) can read an escaped key as
 * another key that was parsed before in an object of the same shape — `"\n"`
 * as `"\\"` — depending on what it parsed earlier
 * (https://github.com/nodejs/node/issues/63785): the bodies parsed while this
 * file loads and the client's parse of the same text could then differ by
 * that alone. Keys are opaque to both decoders, so nothing they do is left out.
 */
const withPlainKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(withPlainKeys)
    : typeof value === "object" && value !== null
    ? Object.fromEntries(Object.entries(value).map(([key, v]) => [plainKey(key), withPlainKeys(v)]))
    : value

/**
 * A body of `value` as JSON, decoded by Schema's interpreter: only while this
 * file loads, when no client exists yet and the JIT has compiled nothing.
 */
const interpreted = (name: Name, value: unknown): Case => {
  assert.strictEqual(compiled.size, 0, "Schema's interpreter runs before anything is compiled")
  const text = JSON.stringify(withPlainKeys(value))
  const expected = interpreters[name](JSON.parse(text))
  assert.strictEqual(compiled.size, 0, "Schema's interpreter compiles nothing")
  return { name, text, expected }
}

// -----------------------------------------------------------------------------
// the client, answering every request with the body under test
// -----------------------------------------------------------------------------

let body = "null"
const { layer } = stub(() => new Response(body, { status: 200, headers: { "content-type": "application/json" } }))

/**
 * The client's decoder (the registry entry `SchemaJITCompiler.enable` made for
 * the schema's AST when the client was built), read directly for the full
 * failure message the client condenses into `MalformedResponse.reason`.
 */
const decoders = bySchema(decoderOf)

/**
 * Sends `test.text` through the client and asserts that it decodes it with
 * code the JIT compiler wrote, as Schema's interpreter does: to the same
 * value, or to a `MalformedResponse` giving the same issues (and the client's
 * decoder the same full message); says which.
 */
const agrees = (test: Case, what: string = test.text.slice(0, 200)) =>
  Effect.gen(function*() {
    const { expected, name, text } = test
    body = text
    const exit = yield* Effect.exit(withClient(calls[name]))
    const { ast } = schemas[name]
    assert.isTrue(
      compiled.has(ast) || compiled.has(twinOf(ast)),
      `the client decodes a ${name} with code the JIT compiler wrote (for the schema or its twin)`
    )
    const direct = decoders[name](JSON.parse(text))
    if (Result.isSuccess(expected)) {
      assert.isTrue(Exit.isSuccess(exit), `the client fails where the interpreter decodes: ${what}`)
      if (Exit.isSuccess(exit)) assert.deepStrictEqual(exit.value, expected.success, what)
      assert.deepStrictEqual(Result.getOrThrow(direct), expected.success, what)
      return "success" as const
    }
    const error = Option.getOrUndefined(Exit.findErrorOption(exit))
    assert.strictEqual(error?._tag, "MalformedResponse", what)
    if (error?._tag === "MalformedResponse") {
      assert.strictEqual(error.reason, `the body is not a ${name}: ${describeIssue(expected.failure)}`, what)
    }
    assert.isTrue(Result.isFailure(direct), what)
    if (Result.isFailure(direct)) assert.strictEqual(formatIssue(direct.failure), formatIssue(expected.failure), what)
    return "failure" as const
  })

// -----------------------------------------------------------------------------
// generated and mutated bodies
// -----------------------------------------------------------------------------

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

const typeOf = (value: Json) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value)

/**
 * Values of another JSON type that a lax decoder could take for `value`: a
 * number as a numeric string, a string as a number, a boolean as `"true"`,
 * `0` or `1`, and `null` for anything (an object or an array also as its JSON
 * text).
 */
const confusions = (value: Json): ReadonlyArray<Json> => {
  switch (typeof value) {
    case "number":
      return [String(value), null, value !== 0]
    case "string": {
      const number = Number(value)
      return [value.trim() !== "" && Number.isFinite(number) ? number : value.length, null, value !== ""]
    }
    case "boolean":
      return [String(value), value ? 1 : 0, null]
    default:
      // (`undefined` is what the arbitraries give an optional property they leave out but keep the key of)
      return value === null ? ["null", 0, false] : value === undefined ? [null] : [null, JSON.stringify(value)]
  }
}

/** How many of each type confusion the mutations made, as `"number as string"`. */
type Tally = Record<string, number>

/**
 * Applies one edit to a copy of `value`, somewhere inside it: drop a key, add
 * one, replace a value with any JSON, or (edits 3 to 5) replace a value with
 * one of another type that a lax decoder could take for it (see
 * {@link confusions}), counted in `tally`.
 */
const mutate = (tally: Tally) =>
(
  value: Json,
  [where, edit, replacement, how]: readonly [number, number, Json, number]
): Json => {
  const copy = structuredClone(value) as any
  const containers: Array<any> = []
  const walk = (node: any) => {
    if (typeof node !== "object" || node === null) return
    containers.push(node)
    for (const child of Object.values(node)) walk(child)
  }
  walk(copy)
  if (edit >= 3) {
    // any value inside, whatever its depth; every other time a number or a boolean (strings outnumber them)
    const slots = containers.flatMap((container) => Object.keys(container).map((key) => [container, key] as const))
    const typed = slots.filter(([container, key]) => ["number", "boolean"].includes(typeof container[key]))
    const pool = how % 2 === 0 && typed.length > 0 ? typed : slots
    if (pool.length === 0) return copy
    const [container, key] = pool[where % pool.length]!
    const options = confusions(container[key])
    const confused = options[(how >> 1) % options.length]!
    const kind = `${typeOf(container[key])} as ${typeOf(confused)}`
    tally[kind] = (tally[kind] ?? 0) + 1
    container[key] = confused
    return copy
  }
  const target = containers[where % containers.length]
  const keys = Object.keys(target)
  const key = keys.length === 0 ? undefined : keys[where % keys.length]!
  if (edit === 0 && key !== undefined) {
    if (Array.isArray(target)) target.splice(Number(key), 1)
    else delete target[key]
  } else if (edit === 1 && !Array.isArray(target)) {
    target.extra_field = replacement
  } else if (key !== undefined) {
    target[key] = replacement
  }
  return copy
}

/** Generated bodies per schema. */
const RUNS = 1_000

/** The seed of this run's generated bodies (each failure names it). */
const seed = Math.floor(Math.random() * 2 ** 31)

const edits = fc.array(fc.tuple(fc.nat(), fc.nat(5), fc.jsonValue() as fc.Arbitrary<Json>, fc.nat(7)), {
  maxLength: 3
})

/** Per schema: the generated bodies (encoded values from the schema, then up to three edits each), and the tally. */
const generated = bySchema((name) => {
  const values = Effect.runSync(
    Arbitrary.sampleEffect(Arbitrary.schema(Schema.toEncoded(schemas[name])), { count: RUNS, seed })
  ) as ReadonlyArray<Json>
  const changes = fc.sample(edits, { numRuns: RUNS, seed })
  const tally: Tally = {}
  const cases = values.map((value, i) => interpreted(name, (changes[i] ?? []).reduce(mutate(tally), value)))
  return { cases, tally }
})

// -----------------------------------------------------------------------------
// type confusions, the fixtures, and the values they were made from
// -----------------------------------------------------------------------------

const chat = fixture("chat-with-last-message") as Record<string, any>
const message = fixture("message") as Record<string, any>
const attendees = fixture("chat-attendee-list") as Record<string, any>
const { lastMessage: _, ...listed } = chat
const chatList = (item: Record<string, unknown>) => ({ object: "ChatList", items: [item], cursor: null })
const attendee = attendees.items[0]
const reaction = { value: "👍", sender_id: "s1", is_sender: false }
const image = { type: "img", id: "a1", unavailable: false, size: { width: 1, height: 2 }, sticker: false }

const confused: ReadonlyArray<readonly [string, Case]> = ([
  // a numeric string for a number
  ["unread_count: \"3\"", "ChatWithLastMessage", { ...chat, unread_count: "3" }],
  ["unread_count: \"0\"", "ChatWithLastMessage", { ...chat, unread_count: "0" }],
  ["unread_count: \"\"", "ChatWithLastMessage", { ...chat, unread_count: "" }],
  ["a listed chat's unread_count: \"3\"", "ChatList", chatList({ ...listed, unread_count: "3" })],
  ["type (an open number enum): \"0\"", "ChatWithLastMessage", { ...chat, type: "0" }],
  ["archived (a 0/1 flag): \"0\"", "ChatWithLastMessage", { ...chat, archived: "0" }],
  ["behavior (a number or null): \"0\"", "Message", { ...message, behavior: "0" }],
  ["the last message's behavior: \"1\"", "ChatWithLastMessage", {
    ...chat,
    lastMessage: { ...message, behavior: "1" }
  }],
  ["an image's width: \"1\"", "Message", { ...message, attachments: [{ ...image, size: { width: "1", height: 2 } }] }],
  // a number for a string
  ["provider_id: 3", "ChatWithLastMessage", { ...chat, provider_id: 3 }],
  ["name (a string or null): 3", "ChatWithLastMessage", { ...chat, name: 3 }],
  ["id (a non-empty string): 3", "ChatWithLastMessage", { ...chat, id: 3 }],
  ["account_type (an open string enum): 1", "ChatWithLastMessage", { ...chat, account_type: 1 }],
  ["text: 42", "Message", { ...message, text: 42 }],
  ["a page's cursor: 3", "ChatList", { ...chatList(listed), cursor: 3 }],
  ["an attendee's name: 0", "ChatAttendeeList", { ...attendees, items: [{ ...attendee, name: 0 }] }],
  // a boolean as "true", 0 or 1, or a flag as a boolean
  ["a reaction's is_sender: \"true\"", "Message", { ...message, reactions: [{ ...reaction, is_sender: "true" }] }],
  ["a reaction's is_sender: 0", "Message", { ...message, reactions: [{ ...reaction, is_sender: 0 }] }],
  ["a reaction's is_sender: 1", "Message", { ...message, reactions: [{ ...reaction, is_sender: 1 }] }],
  ["an attachment's unavailable: \"false\"", "Message", {
    ...message,
    attachments: [{ ...image, unavailable: "false" }]
  }],
  ["seen_by (a string or a boolean): 1", "Message", { ...message, seen_by: { att_1: 1 } }],
  ["pending_invitation: \"true\"", "ChatAttendeeList", {
    ...attendees,
    items: [{ ...attendee, specifics: { ...attendee.specifics, pending_invitation: "true" } }]
  }],
  ["is_sender (a 0/1 flag): true", "Message", { ...message, is_sender: true }],
  ["archived (a 0/1 flag): false", "ChatWithLastMessage", { ...chat, archived: false }],
  // null where it is not nullable
  ["unread_count: null", "ChatWithLastMessage", { ...chat, unread_count: null }],
  ["provider_id: null", "ChatWithLastMessage", { ...chat, provider_id: null }],
  ["attendee_provider_id (optional, not nullable): null", "ChatWithLastMessage", {
    ...chat,
    attendee_provider_id: null
  }],
  ["attachments: null", "Message", { ...message, attachments: null }],
  ["a reaction's is_sender: null", "Message", { ...message, reactions: [{ ...reaction, is_sender: null }] }],
  ["an attendee: null", "ChatAttendeeList", { ...attendees, items: [null] }]
] as const).map(([what, name, value]) => [what, interpreted(name, value)] as const)

const originals = {
  chatWithReaction: interpreted("ChatWithLastMessage", {
    ...chat,
    lastMessage: { ...message, reactions: [reaction] }
  }),
  messageWithImage: interpreted("Message", { ...message, attachments: [image] }),
  chatList: interpreted("ChatList", chatList(listed)),
  attendees: interpreted("ChatAttendeeList", attendees)
}

const attachment = { id: "a1", unavailable: false, type: "hologram" }
const withNewAttachment = { ...message, attachments: [attachment] }
const fixtures = {
  message: interpreted("Message", message),
  extended: interpreted("Message", { ...message, added_later: 1 }),
  withNewAttachment: interpreted("Message", withNewAttachment),
  page: interpreted("MessageList", {
    object: "MessageList",
    items: [message, withNewAttachment, message],
    cursor: null
  }),
  // JSON may carry a `__proto__` key, which a decoder that assigns it would take for the prototype
  proto: interpreted("Message", { ...message, seen_by: JSON.parse(`{"__proto__":true}`) }),
  invalid: interpreted("Message", { ...message, id: "" })
}

// -----------------------------------------------------------------------------
// the simulator's datasets
// -----------------------------------------------------------------------------

const served = [1, 2, 3].flatMap((datasetSeed) => {
  const dataset = makeDataset({ seed: datasetSeed, chats: 24, messagesPerChat: 120 })
  const messagePages = Array.from({ length: 24 }, (_, chat) => {
    const items = Array.from({ length: dataset.messageCount(chat) }, (_, i) => dataset.message(chat, i))
    return interpreted("MessageList", { object: "MessageList", items, cursor: null })
  })
  const chats = Array.from({ length: 24 }, (_, i) => dataset.chat(i))
  return [...messagePages, interpreted("ChatList", { object: "ChatList", items: chats, cursor: "c" })]
})

// -----------------------------------------------------------------------------
// the tests
// -----------------------------------------------------------------------------

// (the names are the Effect 3 edition's, which tested its own compiled decoder against Schema's generic one)
describe("CompiledDecode", () => {
  for (const name of Object.keys(schemas) as Array<Name>) {
    it.effect(
      `${name}: gives Schema.decodeUnknownEither's results on generated and mutated values`,
      () =>
        Effect.gen(function*() {
          const { cases, tally } = generated[name]
          assert.strictEqual(cases.length, RUNS)
          const outcomes = { success: 0, failure: 0 }
          for (const [i, test] of cases.entries()) {
            outcomes[yield* agrees(test, `seed ${seed}, body ${i}: ${test.text.slice(0, 200)}`)]++
          }
          // the generated cases reach both successes and failures
          assert.isAbove(outcomes.failure, 0)
          assert.isAbove(outcomes.success, 0)
          // and confuse types often: numbers as numeric strings, strings as numbers, booleans as "true", 0 or 1, null
          const count = (kinds: RegExp) =>
            Object.entries(tally).reduce((n, [kind, k]) => (kinds.test(kind) ? n + k : n), 0)
          assert.isAtLeast(count(/^number as string$/), 50, "numbers as numeric strings")
          assert.isAtLeast(count(/^string as number$/), 30, "strings as numbers")
          assert.isAtLeast(count(/ as null$/), 50, "null for anything")
          // (a chat has no boolean)
          if (name !== "ChatList") {
            assert.isAtLeast(count(/^boolean as (string|number)$/), 20, "booleans as strings, 0, 1")
          }
        }).pipe(Effect.provide(layer)),
      120_000
    )
  }

  it.effect(
    "rejects type-confused values as the generic decoder does: numeric strings, numbers for strings, booleans, null",
    () =>
      Effect.gen(function*() {
        for (const [what, test] of confused) assert.strictEqual(yield* agrees(test, what), "failure", what)
        // the values they were made from decode
        assert.strictEqual(yield* agrees(originals.chatWithReaction), "success")
        assert.strictEqual(yield* agrees(originals.messageWithImage), "success")
        assert.strictEqual(yield* agrees(originals.chatList), "success")
        assert.strictEqual(yield* agrees(originals.attendees), "success")
      }).pipe(Effect.provide(layer))
  )

  it.effect("keeps what the simulator serves as is, and agrees with the generic decoder on it", () =>
    Effect.gen(function*() {
      let items = 0
      for (const test of served) {
        assert.strictEqual(yield* agrees(test), "success")
        // every attachment the simulator serves is of a known kind, so decoding changes nothing: the client's
        // value (equal to the interpreter's, `agrees` checks) is what was served
        const sent = JSON.parse(test.text) as { readonly items: ReadonlyArray<unknown> }
        assert.deepStrictEqual(Result.getOrThrow(test.expected), sent)
        items += sent.items.length
      }
      // every message of 24 chats and every chat, in three datasets
      assert.isAbove(items, 3 * 24 * 24)
    }).pipe(Effect.provide(layer)))

  it.effect("returns parsed JSON as is where decoding changes nothing, and decoded copies where it does", () =>
    Effect.gen(function*() {
      // Effect's decoders build every value they return, so "as is" is a value equal to the parsed JSON
      assert.strictEqual(yield* agrees(fixtures.message), "success")
      assert.deepStrictEqual(Result.getOrThrow(fixtures.message.expected), message)

      // an excess property is dropped
      assert.strictEqual(yield* agrees(fixtures.extended), "success")
      const decoded = Result.getOrThrow(fixtures.extended.expected) as object
      assert.isFalse("added_later" in decoded)
      assert.deepStrictEqual(decoded, message)

      // an attachment of an unknown kind goes through its transformation; the rest is as sent
      assert.strictEqual(yield* agrees(fixtures.withNewAttachment), "success")
      const withUnknown = Result.getOrThrow(fixtures.withNewAttachment.expected) as Message.Message
      assert.deepStrictEqual(withUnknown.attachments, [{ type: "unknown", raw: attachment }])
      assert.deepStrictEqual(withUnknown.reactions, message.reactions)
      // in a page, only the message with it is changed
      assert.strictEqual(yield* agrees(fixtures.page), "success")
      const items = (Result.getOrThrow(fixtures.page.expected) as Message.MessageList).items
      assert.deepStrictEqual(items, [message, withUnknown, message] as ReadonlyArray<unknown>)

      // JSON may carry a `__proto__` key: the same result as the interpreter's
      assert.strictEqual(yield* agrees(fixtures.proto), "success")

      // a failure carries the interpreter's error (`agrees` compares the two messages)
      assert.strictEqual(yield* agrees(fixtures.invalid), "failure")
    }).pipe(Effect.provide(layer)))

  it("decodes through a twin with no transformation inside, compiled whole, and the schema where the twin refuses", () => {
    /** The nodes of `ast` that transform what they decode. */
    const transforming = (ast: SchemaAST.AST, path = "", seen = new Set<SchemaAST.AST>()): Array<string> => {
      if (seen.has(ast)) return []
      seen.add(ast)
      const here = ast.encoding === undefined ? [] : [path || "(root)"]
      switch (ast._tag) {
        case "Objects":
          return [
            ...here,
            ...ast.propertySignatures.flatMap((p) => transforming(p.type, `${path}.${String(p.name)}`, seen)),
            ...ast.indexSignatures.flatMap((i) => transforming(i.type, `${path}[*]`, seen))
          ]
        case "Arrays":
          return [...here, ...[...ast.elements, ...ast.rest].flatMap((a) => transforming(a, `${path}[]`, seen))]
        case "Union":
          return [...here, ...ast.types.flatMap((t, i) => transforming(t, `${path}|${i}`, seen))]
        default:
          return here
      }
    }
    for (const name of Object.keys(schemas) as Array<Name>) {
      const { ast } = schemas[name]
      // Effect's JIT writes straight-line code only for a schema with no transformation inside
      assert.deepStrictEqual(transforming(twinOf(ast)), [], `${name}'s twin transforms nothing`)
      if (transforming(ast).length === 0) assert.strictEqual(twinOf(ast), ast, `${name} is its own twin`)
    }
    // the open unions' unknown variants (attachments, an attendee's specifics) are what the twins leave out
    for (const name of ["MessageList", "Message", "ChatWithLastMessage", "ChatAttendeeList"] as const) {
      assert.isNotEmpty(transforming(schemas[name].ast), `${name} transforms somewhere`)
    }
    // the twin refuses an unknown attachment, which the schema decodes (the client's result: the test above)
    const twin = SchemaParser.decodeUnknownResult(Schema.make(twinOf(Message.Message.ast)) as Schema.Decoder<unknown>)
    assert.isTrue(Result.isFailure(twin(JSON.parse(fixtures.withNewAttachment.text))))
    assert.isTrue(Result.isSuccess(twin(JSON.parse(fixtures.message.text))))
  })

  // left out of mutation runs (POSTPRESS_MUTATION): its fresh import of the package would count every module-level
  // mutant as covered by this test alone, so StrykerJS would run those against it instead of leaving them out as static
  const unlessMutating = process.env.POSTPRESS_MUTATION === undefined ? it : it.skip
  unlessMutating("is the generic decoder where the runtime refuses to compile code", async () => {
    /**
     * A client from a fresh copy of this package's modules, so of its schemas
     * (new ASTs, which nothing has been compiled for), built on first use.
     */
    const freshClient = async () => {
      vi.resetModules()
      const utils: typeof TestUtils = await import("./utils.js")
      const core: typeof Core = await import("../src/index.js")
      const { layer } = utils.stub(() =>
        new Response(body, { status: 200, headers: { "content-type": "application/json" } })
      )
      return { core, runtime: ManagedRuntime.make(layer), withClient: utils.withClient }
    }
    /**
     * Decodes the fixtures with a fresh client, where code generation is
     * refused, as Schema's interpreter does; gives the refused compilations.
     */
    const decodesAsInterpreted = ({ core, runtime, withClient }: Awaited<ReturnType<typeof freshClient>>) =>
      refusingCodeGeneration(async () => {
        const run = (test: Case) => {
          body = test.text
          return runtime.runPromiseExit(withClient(calls[test.name]))
        }
        for (const test of [fixtures.message, fixtures.withNewAttachment, fixtures.page, fixtures.proto]) {
          const exit = await run(test)
          assert.isTrue(Exit.isSuccess(exit), test.text.slice(0, 200))
          if (Exit.isSuccess(exit)) assert.deepStrictEqual(exit.value, Result.getOrThrow(test.expected))
        }
        const error = Option.getOrUndefined(Exit.findErrorOption(await run(fixtures.invalid)))
        assert.strictEqual(error?._tag, "MalformedResponse")
        if (error?._tag === "MalformedResponse" && Result.isFailure(fixtures.invalid.expected)) {
          assert.strictEqual(
            error.reason,
            `the body is not a Message: ${describeIssue(fixtures.invalid.expected.failure)}`
          )
        }
        // no code was compiled for the fresh schemas
        assert.isFalse(compiled.has(core.Message.Message.ast))
        assert.isFalse(compiled.has(core.Message.MessageList.ast))
        await runtime.dispose()
      })
    // refused when the client is built (on first use): the JIT compiler sees it cannot compile, and leaves
    // the interpreter
    const probes = await decodesAsInterpreted(await freshClient())
    assert.isTrue(probes.some((args) => args[0] !== "ast"), "refused the JIT compiler's probe")
    // refused only once the client is built, when it first decodes: the interpreter takes over
    const built = await freshClient()
    await built.runtime.runPromise(Effect.void)
    const attempts = await decodesAsInterpreted(built)
    assert.isTrue(attempts.some((args) => args[0] === "ast"), "refused the decoders the JIT compiler wrote")
  })
})
