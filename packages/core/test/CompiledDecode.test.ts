import { assert, describe, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { makeDataset } from "../../simulator/src/internal/dataset.js"
import { Chat, ChatAttendee, Message } from "../src/index.js"
import * as CompiledDecode from "../src/internal/decode/compile.js"
import { fixture } from "../../../conformance/fixtures/index.js"

const schemas = {
  MessageList: Message.MessageList,
  Message: Message.Message,
  ChatList: Chat.ChatList,
  ChatWithLastMessage: Chat.ChatWithLastMessage,
  ChatAttendeeList: ChatAttendee.ChatAttendeeList
} as const

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** Applies one edit to a copy of `value`: drop a key, add one, or replace a value, somewhere inside it. */
const mutate = (value: Json, [where, edit, replacement]: readonly [number, number, Json]): Json => {
  const copy = structuredClone(value) as any
  const containers: Array<any> = []
  const walk = (node: any) => {
    if (typeof node !== "object" || node === null) return
    containers.push(node)
    for (const child of Object.values(node)) walk(child)
  }
  walk(copy)
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
const agrees = (schema: Schema.Schema<any, any>, input: unknown): "same" | "copy" | "failure" => {
  const generic = Schema.decodeUnknownEither(schema)(input)
  const fast = CompiledDecode.decodeUnknownEither(schema)(input)
  if (Either.isLeft(generic)) {
    assert.strictEqual(Either.isLeft(fast) && fast.left.message, generic.left.message)
    return "failure"
  }
  assert.deepStrictEqual(Either.getOrThrow(fast), generic.right)
  return Either.getOrThrow(fast) === input ? "same" : "copy"
}

describe("CompiledDecode", () => {
  for (const [name, schema] of Object.entries(schemas) as Array<[string, Schema.Schema<any, any>]>) {
    it(`${name}: gives Schema.decodeUnknownEither's results on generated and mutated values`, () => {
      const encoded = Arbitrary.make(Schema.encodedSchema(schema)) as FastCheck.Arbitrary<Json>
      const edits = FastCheck.array(FastCheck.tuple(FastCheck.nat(), FastCheck.nat(3), FastCheck.jsonValue()), {
        maxLength: 3
      }) as FastCheck.Arbitrary<ReadonlyArray<readonly [number, number, Json]>>
      const outcomes = { same: 0, copy: 0, failure: 0 }
      FastCheck.assert(
        FastCheck.property(encoded, edits, (value, changes) => {
          outcomes[agrees(schema, changes.reduce(mutate, value))]++
        }),
        { numRuns: 1_000 }
      )
      // the generated cases reach both successes and failures
      assert.isAbove(outcomes.failure, 0)
      assert.isAbove(outcomes.same + outcomes.copy, 0)
    })
  }

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
