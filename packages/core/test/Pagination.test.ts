import { assert, describe, it } from "@effect/vitest"
import * as FastCheck from "effect/FastCheck"
import { fixture, fixtureText } from "../../../conformance/fixtures/index.js"
import { trailingCursor } from "../src/internal/stream/pagination.js"

/** Strings made of what could fool a scan from the end: quotes, backslashes, keys, separators. */
const tricky = FastCheck.array(
  FastCheck.constantFrom("\"", "\\", "\\\\", ",", ":", "{", "}", "null", "cursor", "\"cursor\":", " ", "x", "é", "😀"),
  { maxLength: 12 }
).map((parts) => parts.join(""))

const value: FastCheck.Arbitrary<unknown> = FastCheck.letrec<{ value: unknown }>((tie) => ({
  value: FastCheck.oneof(
    { depthSize: "small", withCrossShrink: true },
    FastCheck.constant(null),
    FastCheck.integer(),
    tricky,
    FastCheck.array(tie("value"), { maxLength: 4 }),
    FastCheck.dictionary(FastCheck.oneof(tricky, FastCheck.constant("cursor")), tie("value"), { maxKeys: 4 })
  )
})).value

const cursor = FastCheck.oneof(FastCheck.constant(null), tricky, FastCheck.string({ unit: "grapheme" }))

const utf8 = (text: string) => new TextEncoder().encode(text)

const layouts = [
  (v: unknown) => JSON.stringify(v),
  (v: unknown) => JSON.stringify(v, null, 2),
  (v: unknown) => `\n ${JSON.stringify(v, null, "\t")} \r\n`
]

describe("trailingCursor", () => {
  it("reads the cursor of the reference's lists, as the reference writes them", () => {
    for (const name of ["message-list", "chat-list"] as const) {
      assert.strictEqual(trailingCursor(utf8(fixtureText(name))), fixture(name).cursor)
    }
  })

  it("property: a list that ends with its cursor gives that cursor, however it is laid out", () =>
    FastCheck.assert(
      FastCheck.property(
        FastCheck.array(value, { maxLength: 5 }),
        cursor,
        FastCheck.constantFrom(...layouts),
        (items, cursor, layout) => {
          assert.strictEqual(trailingCursor(utf8(layout({ object: "MessageList", items, cursor }))), cursor)
        }
      )
    ))

  it("property: on any JSON it gives nothing or the outermost object's cursor, never a nested one", () =>
    FastCheck.assert(
      FastCheck.property(value, FastCheck.constantFrom(...layouts), (json, layout) => {
        const found = trailingCursor(utf8(layout(json)))
        if (found !== undefined) {
          assert.isTrue(typeof json === "object" && json !== null && !Array.isArray(json) && "cursor" in json)
          assert.strictEqual(found, (json as { cursor: unknown }).cursor)
        }
      }),
      { numRuns: 2000 }
    ))

  it("reads a cursor alone in its object, spaced around its colon, or ending in escaped backslashes and quotes", () => {
    const cases: ReadonlyArray<readonly [string, string | null | undefined]> = [
      ["{\"cursor\":\"x\"}", "x"],
      ["{\"items\":[],\"cursor\" \t:\n \"x\"}", "x"],
      ["{\"items\":[],\"cursor\"\r\n: null }", null],
      ["{\"cursor\":\"a\\\\\"}", "a\\"],
      ["{\"cursor\":\"a\\\\\\\\\"}", "a\\\\"],
      ["{\"cursor\":\"a\\\"b\"}", "a\"b"],
      ["{\"cursor\":\"a\\\\\\\"b\"}", "a\\\"b"],
      // a value of four characters that is not null is no cursor
      ["{\"cursor\":1234}", undefined],
      ["{\"cursor\":true}", undefined]
    ]
    for (const [text, expected] of cases) {
      assert.strictEqual(trailingCursor(utf8(text)), expected, text)
      if (expected !== undefined) assert.strictEqual(expected, JSON.parse(text).cursor, text)
    }
  })

  it("gives nothing where the body does not end with a string or null cursor", () => {
    for (
      const text of [
        "",
        "}",
        "{\"cursor\":1}",
        "{\"cursor\":\"a\"",
        "{\"a\":{\"cursor\":\"x\"}}",
        "{\"xcursor\":\"x\"}",
        "{\"\\\"cursor\":\"x\"}",
        "[\"cursor\",\"x\"]",
        "{\"cursor\":\"x\\\"}",
        "\"cursor\":\"x\"}"
      ]
    ) {
      assert.strictEqual(trailingCursor(utf8(text)), undefined, text)
    }
  })
})
