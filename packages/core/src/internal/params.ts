import * as Arr from "effect/Array"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { InvalidRequest } from "../PostpressError.js"

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
export const toUtc = (field: string, input: unknown): Either.Either<DateTime.Utc, InvalidRequest> => {
  if (DateTime.isDateTime(input)) return Either.right(DateTime.toUtc(input))
  const date = input instanceof Date ? input : typeof input === "string" ? parseIsoDateTime(input) : undefined
  return date !== undefined && !Number.isNaN(date.getTime())
    ? Either.right(DateTime.unsafeFromDate(date))
    : Either.left(
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
): Either.Either<Arr.NonEmptyReadonlyArray<string>, InvalidRequest> => {
  const ids = typeof input === "string" ? input.split(",") : Array.isArray(input) ? input : undefined
  if (ids === undefined) {
    return Either.left(
      new InvalidRequest({ field, message: `${field}: expected an id, ids separated by commas, or an array of ids` })
    )
  }
  return Arr.isNonEmptyReadonlyArray(ids)
    ? Either.right(ids)
    : Either.left(new InvalidRequest({ field, message: `${field}: expected at least one id` }))
}

/** The most pages a stream may fetch ahead of its consumer. */
export const MAX_PREFETCH = 32

/** A stream's read-ahead: an integer from 0 to {@link MAX_PREFETCH}, 1 when not given. */
export const toPrefetch = (input: unknown): Either.Either<number, InvalidRequest> =>
  input === undefined
    ? Either.right(1)
    : typeof input === "number" && Number.isInteger(input) && input >= 0 && input <= MAX_PREFETCH
    ? Either.right(input)
    : Either.left(
      new InvalidRequest({
        field: "prefetch",
        message: `prefetch: expected an integer from 0 to ${MAX_PREFETCH}, got ${describe(input)}`
      })
    )

/** The shortest time between two polls of a watch. */
export const MIN_INTERVAL = Duration.millis(100)

/** A watch's time between polls: a finite duration of at least {@link MIN_INTERVAL}. */
export const toInterval = (input: unknown): Either.Either<Duration.Duration, InvalidRequest> => {
  const interval = Option.filter(
    Duration.decodeUnknown(input),
    (duration) => Duration.isFinite(duration) && Duration.greaterThanOrEqualTo(duration, MIN_INTERVAL)
  )
  return Option.match(interval, {
    onSome: Either.right,
    onNone: () =>
      Either.left(
        new InvalidRequest({
          field: "interval",
          message: `interval: expected a finite duration of at least ${Duration.format(MIN_INTERVAL)} ` +
            `(such as "30 seconds"), got ${describe(input)}`
        })
      )
  })
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
      const utc = toUtc(key, value)
      if (Either.isLeft(utc)) return Either.left(utc.left)
      out[key] = utc.right
    } else if (idListFields.includes(key)) {
      const ids = toIdList(key, value)
      if (Either.isLeft(ids)) return Either.left(ids.left)
      out[key] = ids.right
    } else {
      out[key] = value
    }
  }
  return Either.right(out)
}
