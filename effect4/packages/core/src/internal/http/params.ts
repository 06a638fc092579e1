import * as Arr from "effect/Array"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import type * as SchemaAST from "effect/SchemaAST"
import { IdList, UtcTimestamp } from "../../PostpressApi.js"
import { InvalidRequest } from "../../PostpressError.js"

/** An instant as a caller may give it. */
export type DateTimeInput = Date | DateTime.DateTime | string

/**
 * A strict ISO 8601 datetime with its offset: a date, a time to the minute,
 * second or millisecond, and `Z` or `±HH:MM`.
 */
const isoDateTime = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/

/** The instant an ISO 8601 datetime names, if it names one: `2026-02-30T…` names none. */
const parseIsoDateTime = (text: string): Date | undefined => {
  const match = isoDateTime.exec(text)
  if (match === null) return undefined
  const [year, month, day, hours, minutes] = match.slice(1, 6).map(Number) as [number, number, number, number, number]
  const seconds = Number(match[6] ?? 0)
  const millis = Number((match[7] ?? "").padEnd(3, "0"))
  const [offsetHours, offsetMinutes] = [Number(match[9] ?? 0), Number(match[10] ?? 0)]
  const wallClock = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds, millis))
  // Date.UTC rolls out-of-range parts over (30 February is 2 March): a time that reads back otherwise is none
  const readsBack = wallClock.getUTCFullYear() === year && wallClock.getUTCMonth() === month - 1 &&
    wallClock.getUTCDate() === day && wallClock.getUTCHours() === hours && wallClock.getUTCMinutes() === minutes &&
    wallClock.getUTCSeconds() === seconds
  if (!readsBack || offsetHours > 23 || offsetMinutes > 59) return undefined
  const offset = (match[8] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000
  return new Date(wallClock.getTime() - offset)
}

/**
 * Converts a caller's instant to UTC, or names the field that is not one: a
 * valid `Date`, an effect `DateTime`, or a strict ISO 8601 datetime with its
 * offset (`2026-05-01T09:30:00Z`, `2026-05-01T09:30:00.250Z`,
 * `2026-05-01T11:30:00+02:00`). Anything else — an impossible date, a bare
 * date or year, a number, a time without an offset — is refused.
 */
export const toUtc = (field: string, input: unknown): Result.Result<DateTime.Utc, InvalidRequest> => {
  if (DateTime.isDateTime(input)) return Result.succeed(DateTime.toUtc(input))
  const date = input instanceof Date ? input : typeof input === "string" ? parseIsoDateTime(input) : undefined
  return date !== undefined && !Number.isNaN(date.getTime())
    ? Result.succeed(DateTime.fromDateUnsafe(date))
    : Result.fail(
      new InvalidRequest({
        field,
        message: `${field}: expected a valid Date, a DateTime or an ISO 8601 datetime with an offset such as ` +
          `"2026-05-01T09:30:00.000Z", got ${describe(input)}`
      })
    )
}

/** A caller's value, briefly, for an error message. */
export const describe = (input: unknown): string => {
  if (input instanceof Date) return "an invalid Date"
  if (typeof input === "string") return input.length > 40 ? `"${input.slice(0, 40)}…"` : JSON.stringify(input)
  if (typeof input === "number" || typeof input === "boolean" || typeof input === "bigint") return String(input)
  return input === null ? "null" : typeof input
}

/**
 * Splits a caller's id list: a string (itself possibly comma-separated) or an
 * array. The ids themselves are checked by the contract's schema.
 */
export const toIdList = (
  field: string,
  input: unknown
): Result.Result<Arr.NonEmptyReadonlyArray<string>, InvalidRequest> => {
  const ids: ReadonlyArray<string> | undefined = typeof input === "string"
    ? input.split(",")
    : Array.isArray(input)
    ? input
    : undefined
  if (ids === undefined) {
    return Result.fail(
      new InvalidRequest({ field, message: `${field}: expected an id, ids separated by commas, or an array of ids` })
    )
  }
  return Arr.isReadonlyArrayNonEmpty(ids)
    ? Result.succeed(ids)
    : Result.fail(new InvalidRequest({ field, message: `${field}: expected at least one id` }))
}

/** The most pages a stream may fetch ahead of its consumer. */
export const MAX_PREFETCH = 32

/** A stream's read-ahead: an integer from 0 to {@link MAX_PREFETCH}, 1 when not given. */
export const toPrefetch = (input: unknown): Result.Result<number, InvalidRequest> =>
  input === undefined
    ? Result.succeed(1)
    : typeof input === "number" && Number.isInteger(input) && input >= 0 && input <= MAX_PREFETCH
    ? Result.succeed(input)
    : Result.fail(
      new InvalidRequest({
        field: "prefetch",
        message: `prefetch: expected an integer from 0 to ${MAX_PREFETCH}, got ${describe(input)}`
      })
    )

/** The shortest time between two polls of a watch. */
export const MIN_INTERVAL = Duration.millis(100)

/** A watch's time between polls: a finite duration of at least {@link MIN_INTERVAL}. */
export const toInterval = (input: unknown): Result.Result<Duration.Duration, InvalidRequest> => {
  const interval = Option.filter(
    // `fromInput` takes any input and gives none for what is not a duration
    Duration.fromInput(input as Duration.Input),
    (duration) => Duration.isFinite(duration) && Duration.isGreaterThanOrEqualTo(duration, MIN_INTERVAL)
  )
  return Option.match(interval, {
    onSome: Result.succeed,
    onNone: () =>
      Result.fail(
        new InvalidRequest({
          field: "interval",
          message: `interval: expected a finite duration of at least ${Duration.format(MIN_INTERVAL)} ` +
            `(such as "30 seconds"), got ${describe(input)}`
        })
      )
  })
}

/** How a parameter of the contract takes a caller's value: as an instant, as an id list, or as it is. */
const kindOf = (field: { readonly ast: SchemaAST.AST }): "instant" | "idList" | "asIs" => {
  const ast: SchemaAST.AST = field.ast
  const members: ReadonlyArray<SchemaAST.AST> = ast._tag === "Union" ? ast.types : [ast]
  return members.includes(UtcTimestamp.ast) ? "instant" : members.includes(IdList.ast) ? "idList" : "asIs"
}

/**
 * The normaliser of a query schema of the contract: it turns a caller's
 * options into the schema's type — instants (`UtcTimestamp` fields) to
 * `DateTime.Utc`, id lists (`IdList` fields) to arrays — or names the field
 * that is not one; other fields pass through for the schema to check when the
 * request is encoded. Which field is which is read from the schema, once.
 */
export const normalizer = <S extends Schema.Struct<Schema.Struct.Fields>>(schema: S) => {
  const kinds = new Map(Object.entries(schema.fields).map(([key, field]) => [key, kindOf(field)]))
  return (options: object | undefined): Result.Result<S["Type"], InvalidRequest> => {
    const out: Record<string, unknown> = {}
    if (options === undefined) return Result.succeed(out as S["Type"])
    if (typeof options !== "object" || options === null) {
      return Result.fail(
        new InvalidRequest({ field: "options", message: `options: expected an object, got ${describe(options)}` })
      )
    }
    for (const [key, value] of Object.entries(options)) {
      if (value === undefined) continue
      const kind = kinds.get(key)
      const normalized = kind === "instant"
        ? toUtc(key, value)
        : kind === "idList"
        ? toIdList(key, value)
        : Result.succeed(value)
      if (Result.isFailure(normalized)) return Result.fail(normalized.failure)
      out[key] = normalized.success
    }
    return Result.succeed(out as S["Type"])
  }
}
