import * as Schema from "effect/Schema"
import type { OpenEnum } from "../PostpressApi.js"

const openEnum = <A extends string | number>(
  base: Schema.Schema<A>,
  identifier: string,
  literals: ReadonlyArray<A>
) =>
  Object.assign(
    base.annotations({
      identifier,
      description: `One of ${literals.join(", ")}, or a value added to the API later`,
      examples: literals as any,
      arbitrary: () => (fc) => fc.constantFrom(...literals)
    }),
    { literals }
  )

/**
 * A string enumeration that stays open to values the API adds later.
 *
 * Its type is the documented literals or `string & {}`: editors complete the
 * documented values, any string can be compared or assigned, and the
 * `default` branch of a `switch` over the literals receives the rest. On the
 * wire and at run time it is a plain string, so an undocumented value never
 * fails a page.
 *
 * Internal: not part of the public API.
 */
export const openStringEnum = <const Literals extends ReadonlyArray<string>>(
  identifier: string,
  literals: Literals
): OpenEnum<Literals[number] | (string & {}), string, Literals> => openEnum(Schema.String, identifier, literals) as any

/**
 * A numeric enumeration that stays open to values the API adds later; see
 * {@link openStringEnum}.
 *
 * Internal: not part of the public API.
 */
export const openNumberEnum = <const Literals extends ReadonlyArray<number>>(
  identifier: string,
  literals: Literals
): OpenEnum<Literals[number] | (number & {}), number, Literals> => openEnum(Schema.Number, identifier, literals) as any

/**
 * A variant of a discriminated union that this SDK does not know yet:
 * decoded as `{ [discriminant]: "unknown", raw }`, where `raw` is the object
 * exactly as the server sent it, and encoded back to `raw`. The distinct
 * literal keeps the union discriminated, so a `switch` narrows every
 * documented variant and its `default` receives this one.
 *
 * Internal: not part of the public API.
 */
export const unknownVariant = <Decoded extends { readonly raw: Raw }, Raw extends object>(
  identifier: string,
  discriminant: string,
  known: ReadonlyArray<string>
): Schema.Schema<Decoded, Raw> => {
  const Raw = Schema.Struct(
    {
      [discriminant]: Schema.String.pipe(
        Schema.filter((value) => !known.includes(value), { message: () => `a value other than ${known.join(", ")}` })
      )
    },
    Schema.Record({ key: Schema.String, value: Schema.Unknown })
  )
  const Decoded = Schema.Struct({ [discriminant]: Schema.Literal("unknown"), raw: Schema.typeSchema(Raw) })
  return Schema.transform(Raw, Decoded, {
    strict: false,
    decode: (raw) => ({ [discriminant]: "unknown", raw }),
    encode: (decoded) => decoded.raw
  }).annotations({ identifier }) as any
}

/**
 * A 0/1 flag as the API sends it.
 *
 * Internal: not part of the public API.
 */
export const Flag = Schema.Literal(0, 1)

/**
 * A string of at least one character, as the reference's `length ≥ 1`.
 *
 * Internal: not part of the public API.
 */
export const NonEmptyString = Schema.String.pipe(Schema.minLength(1))

/**
 * A struct named by its `identifier` annotation, as every response type of
 * this SDK is (the name shows in errors and in derived JSON Schemas).
 *
 * Internal: not part of the public API.
 */
export const namedStruct = <Fields extends Schema.Struct.Fields>(identifier: string, fields: Fields) =>
  Schema.Struct(fields).annotations({ identifier })
