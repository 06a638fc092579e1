import { assert, describe, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { fixture } from "../../../conformance/fixtures/index.js"
import { makeDataset } from "../../simulator/src/internal/dataset.js"
import { Chat, ChatAttendee, Message } from "../src/index.js"
import * as CompiledDecode from "../src/internal/decode/compile.js"

const schemas = {
  MessageList: Message.MessageList,
  Message: Message.Message,
  ChatList: Chat.ChatList,
  ChatWithLastMessage: Chat.ChatWithLastMessage,
  ChatAttendeeList: ChatAttendee.ChatAttendeeList
} as const

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

/** The fast decoder gives exactly the generic decoder's result; says whether it handed the input back as is. */
const agrees = (schema: Schema.Schema<any, any>, input: unknown, what?: string): "same" | "copy" | "failure" => {
  const generic = Schema.decodeUnknownEither(schema)(input)
  const fast = CompiledDecode.decodeUnknownEither(schema)(input)
  if (Either.isLeft(generic)) {
    assert.strictEqual(Either.isLeft(fast) && fast.left.message, generic.left.message, what)
    return "failure"
  }
  assert.deepStrictEqual(Either.getOrThrow(fast), generic.right, what)
  return Either.getOrThrow(fast) === input ? "same" : "copy"
}

describe("CompiledDecode", () => {
  for (const [name, schema] of Object.entries(schemas) as Array<[string, Schema.Schema<any, any>]>) {
    it(`${name}: gives Schema.decodeUnknownEither's results on generated and mutated values`, () => {
      const encoded = Arbitrary.make(Schema.encodedSchema(schema)) as FastCheck.Arbitrary<Json>
      const edits = FastCheck.array(
        FastCheck.tuple(FastCheck.nat(), FastCheck.nat(5), FastCheck.jsonValue(), FastCheck.nat(7)),
        { maxLength: 3 }
      ) as FastCheck.Arbitrary<ReadonlyArray<readonly [number, number, Json, number]>>
      const outcomes = { same: 0, copy: 0, failure: 0 }
      const tally: Tally = {}
      FastCheck.assert(
        FastCheck.property(encoded, edits, (value, changes) => {
          outcomes[agrees(schema, changes.reduce(mutate(tally), value))]++
        }),
        { numRuns: 1_000 }
      )
      // the generated cases reach both successes and failures
      assert.isAbove(outcomes.failure, 0)
      assert.isAbove(outcomes.same + outcomes.copy, 0)
      // and confuse types often: numbers as numeric strings, strings as numbers, booleans as "true", 0 or 1, null
      const count = (kinds: RegExp) => Object.entries(tally).reduce((n, [kind, k]) => (kinds.test(kind) ? n + k : n), 0)
      assert.isAtLeast(count(/^number as string$/), 50, "numbers as numeric strings")
      assert.isAtLeast(count(/^string as number$/), 30, "strings as numbers")
      assert.isAtLeast(count(/ as null$/), 50, "null for anything")
      // (a chat has no boolean)
      if (name !== "ChatList") assert.isAtLeast(count(/^boolean as (string|number)$/), 20, "booleans as strings, 0, 1")
    })
  }

  it("rejects type-confused values as the generic decoder does: numeric strings, numbers for strings, booleans, null", () => {
    const chat = fixture("chat-with-last-message") as Record<string, any>
    const message = fixture("message") as Record<string, any>
    const attendees = fixture("chat-attendee-list") as Record<string, any>
    const { lastMessage: _, ...listed } = chat
    const chatList = (item: Record<string, unknown>) => ({ object: "ChatList", items: [item], cursor: null })
    const attendee = attendees.items[0]
    const reaction = { value: "👍", sender_id: "s1", is_sender: false }
    const image = { type: "img", id: "a1", unavailable: false, size: { width: 1, height: 2 }, sticker: false }
    const cases: ReadonlyArray<readonly [string, Schema.Schema<any, any>, unknown]> = [
      // a numeric string for a number
      ["unread_count: \"3\"", Chat.ChatWithLastMessage, { ...chat, unread_count: "3" }],
      ["unread_count: \"0\"", Chat.ChatWithLastMessage, { ...chat, unread_count: "0" }],
      ["unread_count: \"\"", Chat.ChatWithLastMessage, { ...chat, unread_count: "" }],
      ["a listed chat's unread_count: \"3\"", Chat.ChatList, chatList({ ...listed, unread_count: "3" })],
      ["type (an open number enum): \"0\"", Chat.ChatWithLastMessage, { ...chat, type: "0" }],
      ["archived (a 0/1 flag): \"0\"", Chat.ChatWithLastMessage, { ...chat, archived: "0" }],
      ["behavior (a number or null): \"0\"", Message.Message, { ...message, behavior: "0" }],
      ["the last message's behavior: \"1\"", Chat.ChatWithLastMessage, {
        ...chat,
        lastMessage: { ...message, behavior: "1" }
      }],
      ["an image's width: \"1\"", Message.Message, {
        ...message,
        attachments: [{ ...image, size: { width: "1", height: 2 } }]
      }],
      // a number for a string
      ["provider_id: 3", Chat.ChatWithLastMessage, { ...chat, provider_id: 3 }],
      ["name (a string or null): 3", Chat.ChatWithLastMessage, { ...chat, name: 3 }],
      ["id (a non-empty string): 3", Chat.ChatWithLastMessage, { ...chat, id: 3 }],
      ["account_type (an open string enum): 1", Chat.ChatWithLastMessage, { ...chat, account_type: 1 }],
      ["text: 42", Message.Message, { ...message, text: 42 }],
      ["a page's cursor: 3", Chat.ChatList, { ...chatList(listed), cursor: 3 }],
      ["an attendee's name: 0", ChatAttendee.ChatAttendeeList, { ...attendees, items: [{ ...attendee, name: 0 }] }],
      // a boolean as "true", 0 or 1, or a flag as a boolean
      ["a reaction's is_sender: \"true\"", Message.Message, {
        ...message,
        reactions: [{ ...reaction, is_sender: "true" }]
      }],
      ["a reaction's is_sender: 0", Message.Message, { ...message, reactions: [{ ...reaction, is_sender: 0 }] }],
      ["a reaction's is_sender: 1", Message.Message, { ...message, reactions: [{ ...reaction, is_sender: 1 }] }],
      ["an attachment's unavailable: \"false\"", Message.Message, {
        ...message,
        attachments: [{ ...image, unavailable: "false" }]
      }],
      ["seen_by (a string or a boolean): 1", Message.Message, { ...message, seen_by: { att_1: 1 } }],
      ["pending_invitation: \"true\"", ChatAttendee.ChatAttendeeList, {
        ...attendees,
        items: [{ ...attendee, specifics: { ...attendee.specifics, pending_invitation: "true" } }]
      }],
      ["is_sender (a 0/1 flag): true", Message.Message, { ...message, is_sender: true }],
      ["archived (a 0/1 flag): false", Chat.ChatWithLastMessage, { ...chat, archived: false }],
      // null where it is not nullable
      ["unread_count: null", Chat.ChatWithLastMessage, { ...chat, unread_count: null }],
      ["provider_id: null", Chat.ChatWithLastMessage, { ...chat, provider_id: null }],
      ["attendee_provider_id (optional, not nullable): null", Chat.ChatWithLastMessage, {
        ...chat,
        attendee_provider_id: null
      }],
      ["attachments: null", Message.Message, { ...message, attachments: null }],
      ["a reaction's is_sender: null", Message.Message, { ...message, reactions: [{ ...reaction, is_sender: null }] }],
      ["an attendee: null", ChatAttendee.ChatAttendeeList, { ...attendees, items: [null] }]
    ]
    for (const [what, schema, input] of cases) assert.strictEqual(agrees(schema, input, what), "failure", what)
    // the values they were made from decode
    assert.strictEqual(
      agrees(Chat.ChatWithLastMessage, { ...chat, lastMessage: { ...message, reactions: [reaction] } }),
      "same"
    )
    assert.notStrictEqual(agrees(Message.Message, { ...message, attachments: [image] }), "failure")
    assert.strictEqual(agrees(Chat.ChatList, chatList(listed)), "same")
    assert.strictEqual(agrees(ChatAttendee.ChatAttendeeList, attendees), "same")
  })

  it("keeps what the simulator serves as is, and agrees with the generic decoder on it", () => {
    let messages = 0
    let kept = 0
    for (const seed of [1, 2, 3]) {
      const dataset = makeDataset({ seed, chats: 24, messagesPerChat: 120 })
      for (let chat = 0; chat < 24; chat++) {
        const items = Array.from({ length: dataset.messageCount(chat) }, (_, i) => dataset.message(chat, i))
        const page = { object: "MessageList", items, cursor: null }
        assert.notStrictEqual(agrees(Message.MessageList, page), "failure")
        const decoded = Either.getOrThrow(CompiledDecode.decodeUnknownEither(Message.MessageList)(page))
        messages += items.length
        kept += decoded.items.filter((item, i) => item === items[i]).length
      }
      const chats = Array.from({ length: 24 }, (_, i) => dataset.chat(i))
      assert.strictEqual(agrees(Chat.ChatList, { object: "ChatList", items: chats, cursor: "c" }), "same")
    }
    // every attachment the simulator serves is of a known kind, so no message is copied
    assert.strictEqual(kept, messages)
  })

  it("returns parsed JSON as is where decoding changes nothing, and decoded copies where it does", () => {
    const decode = CompiledDecode.decodeUnknownEither(Message.Message)
    const message = fixture("message") as Record<string, unknown>
    assert.strictEqual(Either.getOrThrow(decode(message)), message)

    // an excess property is dropped, as the generic decoder does
    const extended: unknown = { ...message, added_later: 1 }
    const decoded = Either.getOrThrow(decode(extended))
    assert.notStrictEqual(decoded, extended)
    assert.isFalse("added_later" in decoded)

    // an attachment of an unknown kind goes through its transformation; the rest is kept
    const attachment = { id: "a1", unavailable: false, type: "hologram" }
    const withNewAttachment = { ...message, attachments: [attachment] }
    const withUnknown = Either.getOrThrow(decode(withNewAttachment))
    assert.deepStrictEqual(withUnknown.attachments, [{ type: "unknown", raw: attachment }])
    assert.strictEqual(withUnknown.reactions, message.reactions)
    // in a page, only the message with it is copied
    const page = { object: "MessageList", items: [message, withNewAttachment, message], cursor: null }
    const items = Either.getOrThrow(CompiledDecode.decodeUnknownEither(Message.MessageList)(page)).items
    assert.deepStrictEqual(items.map((item, i) => item === page.items[i]), [true, false, true])

    // JSON may carry a `__proto__` key, which the generic decoder assigns (so sets the prototype): same result
    assert.strictEqual(agrees(Message.Message, { ...message, seen_by: JSON.parse(`{"__proto__":true}`) }), "copy")

    // a failure carries the generic decoder's error (`agrees` compares the two messages)
    assert.strictEqual(agrees(Message.Message, { ...message, id: "" }), "failure")

    // schemas the contract does not have, for the nodes the compiler writes code for (the value itself where decoding
    // gives it back) and those it leaves to the generic decoder: the same results, on inputs that would tell them apart
    const symbol = Symbol("key")
    const rest = (value: Schema.Schema<any, any>) =>
      Schema.Struct({ a: Schema.String }, Schema.Record({ key: Schema.String, value }))
    const orNull = (schema: Schema.Schema<any, any>) => Schema.Union(schema, Schema.Null)
    const anything = orNull(Schema.Struct({ a: Schema.Unknown, b: Schema.Any }))
    const restTyped = orNull(rest(Schema.Union(Schema.Number, Schema.String)))
    const symbolNamed = Schema.Struct({ a: Schema.String, [symbol]: Schema.String })
    const protoNamed = Schema.Struct({ ["__proto__"]: Schema.String })
    const prefixed = Schema.Record({ key: Schema.TemplateLiteral("a", Schema.String), value: Schema.String })
    const prefixedOrAny = Schema.Union(prefixed, Schema.Record({ key: Schema.String, value: Schema.String }))
    const stringAndSymbolKeys = Schema.Struct(
      {},
      Schema.Record({ key: Schema.String, value: Schema.String }),
      Schema.Record({ key: Schema.SymbolFromSelf, value: Schema.Number })
    )
    const transformedValues = Schema.Record({ key: Schema.String, value: Schema.NumberFromString })
    const positive = Schema.Struct({ a: Schema.Number }).pipe(Schema.filter(({ a }) => a > 0))
    const tuple = Schema.Tuple([Schema.String], Schema.Number)
    const tupleThenArray = Schema.Union(Schema.Tuple(Schema.NumberFromString), Schema.Array(Schema.String))
    const suspendedThenString = Schema.Union(Schema.suspend(() => Schema.NumberFromString), Schema.String)
    const cases: ReadonlyArray<readonly [string, Schema.Schema<any, any>, unknown, "same" | "copy" | "failure"]> = [
      ["a string at the root", Schema.String, "a", "same"],
      // literals that are neither strings, finite numbers, booleans nor null (no JSON text, no `===` on their text)
      ["Literal(Infinity): Infinity", Schema.Literal(Infinity), Infinity, "same"],
      ["Literal(Infinity): null", Schema.Literal(Infinity), null, "failure"],
      ["Literal(NaN): NaN", Schema.Literal(Number.NaN), Number.NaN, "failure"],
      ["Literal(NaN): null", Schema.Literal(Number.NaN), null, "failure"],
      ["Literal(1n): 1n", Schema.Literal(1n), 1n, "same"],
      ["Literal(1n): 1", Schema.Literal(1n), 1, "failure"],
      // Unknown and Any take anything as is
      ["Unknown and Any in a union", anything, { a: {}, b: 1 }, "same"],
      // a struct whose other properties may be anything keeps them; one whose other properties are typed is decoded
      ["the rest unknown, in a union", orNull(rest(Schema.Unknown)), { a: "s", b: 1 }, "same"],
      ["the rest any, in a union", orNull(rest(Schema.Any)), { a: "s", b: 1 }, "same"],
      ["the rest unknown", rest(Schema.Unknown), { a: "s", b: 1 }, "copy"],
      ["the rest strings or numbers, in a union", restTyped, { a: "s", b: 1 }, "copy"],
      ["the rest strings or numbers, in a union: a boolean", restTyped, { a: "s", b: true }, "failure"],
      // property names that are not strings, or `__proto__` (which assigning sets the prototype with)
      ["a symbol-named property", symbolNamed, { a: "s", [symbol]: "t" }, "copy"],
      ["a symbol-named property: its key as text", symbolNamed, { a: "s", undefined: "t" }, "failure"],
      ["a property named __proto__", protoNamed, JSON.parse(`{"__proto__":"a"}`), "copy"],
      // records of other keys than all strings: template literal keys, or a string and a symbol index signature
      ["a record of template literal keys, in a union", prefixedOrAny, { b: "s" }, "copy"],
      ["a record of template literal keys", prefixed, { ab: "s", b: 1 }, "copy"],
      ["string and symbol index signatures", stringAndSymbolKeys, { a: "s", [symbol]: "t" }, "failure"],
      ["a record of transformed values", transformedValues, { a: "1", b: "2" }, "copy"],
      // a refinement of a node that is not a keyword or a literal
      ["a refined struct", positive, { a: 1 }, "same"],
      ["a refined struct: refused", positive, { a: 0 }, "failure"],
      ["a refined struct, in a union", orNull(positive), { a: 1 }, "same"],
      ["a refined struct, in a union: refused", orNull(positive), { a: 0 }, "failure"],
      ["a refined struct, in a union: an excess property", orNull(positive), { a: 1, b: 2 }, "copy"],
      // tuples other than arrays: elements, or no rest
      ["a tuple", tuple, ["a", 1], "copy"],
      ["a tuple: no element", tuple, [], "failure"],
      ["a tuple, in a union: no element", orNull(tuple), [], "failure"],
      ["an empty tuple", Schema.Tuple(), [], "copy"],
      ["an empty tuple, in a union", orNull(Schema.Tuple()), [], "copy"],
      ["a transforming tuple before an array", tupleThenArray, ["1"], "copy"],
      // nodes only the generic decoder decodes: a transformation, a suspended schema
      ["a transformation at the root", Schema.NumberFromString, "1", "copy"],
      ["a suspended transformation before a string", suspendedThenString, "1", "copy"]
    ]
    for (const [what, schema, input, outcome] of cases) assert.strictEqual(agrees(schema, input, what), outcome, what)
  })

  it("is the generic decoder where the runtime refuses to compile code", () => {
    const message = fixture("message") as Record<string, unknown>
    const compile = globalThis.Function
    globalThis.Function = function() {
      throw new EvalError("Code generation from strings disallowed for this context")
    } as any
    try {
      const decode = CompiledDecode.decodeUnknownEither(Message.Message)
      const decoded = Either.getOrThrow(decode(message))
      assert.deepStrictEqual(decoded, Either.getOrThrow(Schema.decodeUnknownEither(Message.Message)(message)))
      // the generic decoder builds its result, where the compiled one gives the parsed value back
      assert.notStrictEqual(decoded, message)
      assert.strictEqual(agrees(Message.Message, { ...message, id: "" }), "failure")
    } finally {
      globalThis.Function = compile
    }
  })
})
