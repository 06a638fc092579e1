import * as Schema from "effect/Schema"

/**
 * A string enumeration that stays open to values the API adds later.
 *
 * Documented values decode to their literal types. Any other string decodes
 * as itself, typed as a string branded `Unknown…`, so a `switch` over the
 * documented literals narrows exactly and its `default` branch receives only
 * the values this SDK does not know yet. Encoding gives back the wire string.
 *
 * @internal
 */
export const openStringEnum = <const Brand extends string, const Literals extends ReadonlyArray<string>>(
  brand: Brand,
  literals: Literals
) => {
  const known = new Set<string>(literals)
  return Schema.Union(
    Schema.Literal(...literals),
    Schema.String.pipe(
      Schema.filter((value) => !known.has(value), { message: () => `a value other than ${literals.join(", ")}` }),
      Schema.brand(brand)
    )
  ).annotations({ identifier: brand.replace(/^Unknown/, "") })
}

/**
 * A numeric enumeration that stays open to values the API adds later; see
 * {@link openStringEnum}.
 *
 * @internal
 */
export const openNumberEnum = <const Brand extends string, const Literals extends ReadonlyArray<number>>(
  brand: Brand,
  literals: Literals
) => {
  const known = new Set<number>(literals)
  return Schema.Union(
    Schema.Literal(...literals),
    Schema.Number.pipe(
      Schema.filter((value) => !known.has(value), { message: () => `a value other than ${literals.join(", ")}` }),
      Schema.brand(brand)
    )
  ).annotations({ identifier: brand.replace(/^Unknown/, "") })
}

/**
 * A 0/1 flag as the API sends it.
 *
 * @internal
 */
export const Flag = Schema.Literal(0, 1)

/**
 * A string of at least one character, as the reference's `length ≥ 1`.
 *
 * @internal
 */
export const NonEmptyString = Schema.String.pipe(Schema.minLength(1))
