import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"
import type { OpenEnum } from "../PostpressApi.js"

const describe = (identifier: string, literals: ReadonlyArray<string | number>) => ({
  identifier,
  description: `One of ${literals.join(", ")}, or a value added to the API later`
})

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
): OpenEnum<Literals[number] | (string & {}), string, Literals> =>
  Schema.make(Schema.String.annotate({ ...describe(identifier, literals), examples: literals }).ast, { literals })

/**
 * A numeric enumeration that stays open to values the API adds later; see
 * {@link openStringEnum}.
 *
 * Internal: not part of the public API.
 */
export const openNumberEnum = <const Literals extends ReadonlyArray<number>>(
  identifier: string,
  literals: Literals
): OpenEnum<Literals[number] | (number & {}), number, Literals> =>
  Schema.make(Schema.Number.annotate({ ...describe(identifier, literals), examples: literals }).ast, { literals })

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
): Schema.Codec<Decoded, Raw> => {
  const Raw = Schema.StructWithRest(
    Schema.Struct({
      [discriminant]: Schema.String.check(
        Schema.makeFilter((value) => !known.includes(value), {
          expected: `a value other than ${known.join(", ")}`
        })
      )
    }),
    [Schema.Record(Schema.String, Schema.Unknown)]
  )
  const Decoded = Schema.Struct({ [discriminant]: Schema.Literal("unknown"), raw: Schema.toType(Raw) })
  const schema = Raw.pipe(
    Schema.decodeTo(
      Decoded,
      SchemaTransformation.transform({
        decode: (raw) => ({ [discriminant]: "unknown", raw }),
        encode: (decoded) => decoded["raw"]
      })
    )
  ).annotate({ identifier })
  // the discriminant is a run-time key: the schema's computed type is an index signature, so it is given its real one here
  return schema as unknown as Schema.Codec<Decoded, Raw>
}

/**
 * A 0/1 flag as the API sends it.
 *
 * Internal: not part of the public API.
 */
export const Flag = Schema.Literals([0, 1])

/**
 * A string of at least one character, as the reference's `length ≥ 1`.
 *
 * Internal: not part of the public API.
 */
export const NonEmptyString = Schema.NonEmptyString

/**
 * A struct named by its `identifier` annotation, as every response type of
 * this SDK is (the name shows in errors and in derived JSON Schemas).
 *
 * Internal: not part of the public API.
 */
export const namedStruct = <const Fields extends Schema.Struct.Fields>(identifier: string, fields: Fields) =>
  Schema.Struct(fields).annotate({ identifier })
