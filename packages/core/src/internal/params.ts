import * as Arr from "effect/Array"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { InvalidRequest } from "../PostpressError.js"

/** An instant as a caller may give it. */
export type DateTimeInput = Date | DateTime.DateTime | string

/** Converts a caller's instant to UTC, or names the field that is not one. */
export const toUtc = (field: string, input: DateTimeInput): Either.Either<DateTime.Utc, InvalidRequest> => {
  const parsed = DateTime.isDateTime(input) ? Option.some(input) : DateTime.make(input)
  return Option.match(parsed, {
    onNone: () =>
      Either.left(
        new InvalidRequest({ field, message: `${field}: expected a Date, a DateTime or an ISO 8601 string` })
      ),
    onSome: (dateTime) => Either.right(DateTime.toUtc(dateTime))
  })
}

/** Splits a caller's id list: a string (itself possibly comma-separated) or an array. */
export const toIdList = (
  field: string,
  input: string | ReadonlyArray<string>
): Either.Either<Arr.NonEmptyReadonlyArray<string>, InvalidRequest> => {
  const ids = typeof input === "string" ? input.split(",") : input
  return Arr.isNonEmptyReadonlyArray(ids)
    ? Either.right(ids)
    : Either.left(new InvalidRequest({ field, message: `${field}: expected at least one id` }))
}

/**
 * Normalises the caller's list parameters to the contract's types: instants
 * to `DateTime.Utc`, id lists to arrays; other fields pass through for the
 * contract's schema to check.
 */
export const normalize = <P extends object>(
  params: P | undefined,
  idListFields: ReadonlyArray<string> = []
): Either.Either<Record<string, unknown>, InvalidRequest> => {
  const out: Record<string, unknown> = {}
  if (params === undefined) return Either.right(out)
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue
    if (key === "before" || key === "after") {
      const utc = toUtc(key, value as DateTimeInput)
      if (Either.isLeft(utc)) return Either.left(utc.left)
      out[key] = utc.right
    } else if (idListFields.includes(key)) {
      const ids = toIdList(key, value as string | ReadonlyArray<string>)
      if (Either.isLeft(ids)) return Either.left(ids.left)
      out[key] = ids.right
    } else {
      out[key] = value
    }
  }
  return Either.right(out)
}
