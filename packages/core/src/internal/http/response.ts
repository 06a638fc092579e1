import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as PostpressError from "../../PostpressError.js"

const EXCERPT_LENGTH = 256

/** The start of a body, for error messages. */
export const excerpt = (body: string): string =>
  body.length <= EXCERPT_LENGTH ? body : `${body.slice(0, EXCERPT_LENGTH)}…`

const parseNumber = (value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === "") return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}

/**
 * Parses `Retry-After`: delay-seconds or an HTTP date, as a duration from
 * `now`. Past dates give zero; anything else is ignored.
 */
export const parseRetryAfter = (value: string | undefined, now: number): Duration.Duration | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Duration.seconds(Number(trimmed))
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Duration.millis(Math.max(0, date - now))
}

/** What an error keeps of a response's headers. */
export const metadata = (
  headers: HttpClientResponse.HttpClientResponse["headers"],
  now: number
): PostpressError.ResponseMetadata => {
  const out: {
    requestId?: string
    retryAfter?: Duration.Duration
    rateLimit?: PostpressError.RateLimitInfo
  } = {}
  const requestId = headers["x-request-id"]
  if (requestId !== undefined) out.requestId = requestId
  const retryAfter = parseRetryAfter(headers["retry-after"], now)
  if (retryAfter !== undefined) out.retryAfter = retryAfter
  const limit = parseNumber(headers["x-ratelimit-limit"])
  const remaining = parseNumber(headers["x-ratelimit-remaining"])
  const reset = parseNumber(headers["x-ratelimit-reset"])
  if (limit !== undefined || remaining !== undefined || reset !== undefined) {
    out.rateLimit = new PostpressError.RateLimitInfo({
      ...(limit === undefined ? {} : { limit }),
      ...(remaining === undefined ? {} : { remaining }),
      ...(reset === undefined ? {} : { reset })
    })
  }
  return out
}

const describeParseError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const shown = issues.slice(0, 3).map((issue) =>
    issue.path.length === 0 ? issue.message : `at ${issue.path.join(".")}: ${issue.message}`
  )
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : ""
  return shown.join("; ") + more
}

const parseJson = (body: string): Either.Either<unknown, string> => {
  try {
    return Either.right(JSON.parse(body))
  } catch (error) {
    return Either.left(`the body is not JSON (${error instanceof Error ? error.message : String(error)})`)
  }
}

const decodeEnvelope = Schema.decodeUnknownEither(PostpressError.ErrorEnvelope)

/** How each documented status's body becomes its error, from `PostpressError.documentedStatuses`. */
const statusErrors: Record<
  number,
  (body: unknown, meta: PostpressError.ResponseMetadata) => Either.Either<
    PostpressError.ApiError,
    ParseResult.ParseError
  >
> = Object.fromEntries(PostpressError.documentedStatuses.map(({ envelope, error, status }) => {
  const decode = Schema.decodeUnknownEither(envelope as Schema.Schema<PostpressError.ErrorEnvelope, unknown>)
  const make = error as unknown as new(fields: object) => PostpressError.ApiError
  return [
    status,
    (body: unknown, meta: PostpressError.ResponseMetadata) =>
      Either.map(decode(body), (fields) => new make({ ...fields, ...meta }))
  ]
}))

/** Maps a failure to read the response into a {@link PostpressError.TransportError}. */
export const transportError = (error: HttpClientError.HttpClientError): PostpressError.TransportError => {
  const cause = error.cause instanceof Error ? error.cause : undefined
  const reason = error.description ?? describeCause(cause) ?? "no further detail"
  return new PostpressError.TransportError({
    description: error._tag === "RequestError"
      ? `${error.reason} error: ${reason}`
      : `${error.reason} error reading the ${error.response.status} response: ${reason}`,
    cause: error.cause
  })
}

/** The message of a network error and, for undici's wrapped ones, of its cause (`ECONNRESET`, …). */
const describeCause = (cause: Error | undefined): string | undefined => {
  if (cause === undefined) return undefined
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : ""
  return `${cause.message}${inner}`
}

const malformed = (
  response: HttpClientResponse.HttpClientResponse,
  body: string,
  reason: string,
  now: number
): PostpressError.MalformedResponse => {
  const contentType = response.headers["content-type"]
  return new PostpressError.MalformedResponse({
    status: response.status,
    ...(contentType === undefined ? {} : { contentType }),
    reason,
    excerpt: excerpt(body),
    ...metadata(response.headers, now)
  })
}

const errorFor = (
  response: HttpClientResponse.HttpClientResponse,
  body: string,
  now: number
): PostpressError.PostpressError => {
  const status = response.status
  const json = parseJson(body)
  const documented = statusErrors[status]
  if (documented !== undefined) {
    if (Either.isLeft(json)) return malformed(response, body, json.left, now)
    const error = documented(json.right, metadata(response.headers, now))
    return Either.isRight(error)
      ? error.right
      : malformed(response, body, `the body is not a ${status} error envelope: ${describeParseError(error.left)}`, now)
  }
  const envelope = Either.flatMap(json, (value) => Either.mapLeft(decodeEnvelope(value), String))
  const envelopeField = Either.isRight(envelope) ? { envelope: envelope.right } : {}
  if (status === 429) {
    return new PostpressError.TooManyRequests({ status: 429, ...envelopeField, ...metadata(response.headers, now) })
  }
  return new PostpressError.UnexpectedStatus({
    status,
    ...envelopeField,
    excerpt: excerpt(body),
    ...metadata(response.headers, now)
  })
}

const utf8 = new TextDecoder()

/** UTF-8 bytes as text, malformed sequences replaced and a byte order mark skipped, as `Response.text()` does. */
export const decodeUtf8 = (bytes: Uint8Array | ArrayBuffer): string => utf8.decode(bytes)

/**
 * A 2xx body, read but not yet decoded: its bytes, its text and its JSON
 * (each worked out once, when first asked for), and how to decode it (or fail
 * with `MalformedResponse`).
 */
export interface Received<A> {
  readonly bytes: Uint8Array
  readonly text: string
  /** The body parsed as JSON, or why it is not JSON. */
  readonly json: Either.Either<unknown, string>
  readonly decode: Effect.Effect<A, PostpressError.MalformedResponse>
}

class ReceivedBody<A> implements Received<A> {
  private parsed: Either.Either<unknown, string> | undefined
  constructor(
    readonly bytes: Uint8Array,
    private readonly response: HttpClientResponse.HttpClientResponse,
    private readonly decodeJson: (u: unknown) => Either.Either<A, ParseResult.ParseError>,
    private readonly schemaName: string
  ) {}

  /**
   * Worked out again on each use (only errors need it after parsing): a page's
   * text is ~2× its bytes and, at ~500 KB, allocated as a large object, which a
   * young-generation collection promotes if it is still reachable then; kept
   * here, texts were promoted and piled up in the old generation until a full
   * collection.
   */
  get text(): string {
    return decodeUtf8(this.bytes)
  }

  get json(): Either.Either<unknown, string> {
    return this.parsed ??= parseJson(decodeUtf8(this.bytes))
  }

  get decode(): Effect.Effect<A, PostpressError.MalformedResponse> {
    return Effect.suspend(() => {
      const json = this.json
      const decoded = Either.isLeft(json) ? json : Either.mapLeft(
        this.decodeJson(json.right),
        (error) => `the body is not a ${this.schemaName}: ${describeParseError(error)}`
      )
      return Either.isRight(decoded)
        ? Effect.succeed(decoded.right)
        : Effect.flatMap(
          Clock.currentTimeMillis,
          (now) => Effect.fail(malformed(this.response, this.text, decoded.left, now))
        )
    })
  }
}

/**
 * Reads a response: a 2xx body as bytes (turning them into text, parsing and
 * decoding are left to the caller, so a paginator can send the next request
 * first), anything else mapped to its tagged error.
 */
export const read = <A>(
  response: HttpClientResponse.HttpClientResponse,
  decode: (u: unknown) => Either.Either<A, ParseResult.ParseError>,
  schemaName: string
): Effect.Effect<Received<A>, PostpressError.PostpressError> =>
  Effect.flatMap(
    Effect.mapError(response.arrayBuffer, transportError),
    (body): Effect.Effect<Received<A>, PostpressError.PostpressError> =>
      response.status >= 200 && response.status < 300
        ? Effect.succeed(new ReceivedBody(new Uint8Array(body), response, decode, schemaName))
        : Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(errorFor(response, decodeUtf8(body), now)))
  )

/** Turns a parse error of an input into an {@link PostpressError.InvalidRequest} naming the field. */
export const invalidRequest = (error: ParseResult.ParseError, fallbackField: string): PostpressError.InvalidRequest => {
  const [first] = ParseResult.ArrayFormatter.formatErrorSync(error)
  const field = first !== undefined && first.path.length > 0 ? String(first.path[0]) : fallbackField
  return new PostpressError.InvalidRequest({
    field,
    message: first === undefined ? error.message : `${field}: ${first.message}`
  })
}
