import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Result from "effect/Result"
import * as SchemaIssue from "effect/SchemaIssue"
import * as SchemaParser from "effect/SchemaParser"
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

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

/** The first issues of a failed decoding, one line each: `at a.b: message`. */
export const describeIssue = (issue: SchemaIssue.Issue): string => {
  const issues = formatIssues(issue).issues
  const shown = issues.slice(0, 3).map((issue) =>
    issue.path === undefined || issue.path.length === 0
      ? issue.message
      : `at ${
        issue.path.map((segment) => typeof segment === "object" ? String(segment.key) : String(segment)).join(".")
      }: ${issue.message}`
  )
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : ""
  return shown.join("; ") + more
}

const parseJson = (body: string): Result.Result<unknown, string> => {
  try {
    return Result.succeed(JSON.parse(body))
  } catch (error) {
    return Result.fail(`the body is not JSON (${error instanceof Error ? error.message : String(error)})`)
  }
}

const decodeEnvelope = SchemaParser.decodeUnknownResult(PostpressError.ErrorEnvelope)

/** How each documented status's body becomes its error, from `PostpressError.documentedStatuses`. */
const statusErrors: Record<
  number,
  (body: unknown, meta: PostpressError.ResponseMetadata) => Result.Result<PostpressError.ApiError, SchemaIssue.Issue>
> = Object.fromEntries(PostpressError.documentedStatuses.map(({ envelope, error, status }) => {
  const decode = SchemaParser.decodeUnknownResult(envelope as unknown as typeof PostpressError.ErrorEnvelope)
  const make = error as unknown as new(fields: object) => PostpressError.ApiError
  return [
    status,
    (body: unknown, meta: PostpressError.ResponseMetadata) =>
      Result.map(decode(body), (fields) => new make({ ...fields, ...meta }))
  ]
}))

/** The message of a network error and, for undici's wrapped ones, of its cause (`ECONNRESET`, …). */
const describeCause = (cause: Error | undefined): string | undefined => {
  if (cause === undefined) return undefined
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : ""
  return `${cause.message}${inner}`
}

/** Maps a failure to send the request or read the response into a {@link PostpressError.TransportError}. */
export const transportError = (error: HttpClientError.HttpClientError): PostpressError.TransportError => {
  const reason = error.reason
  const detail = reason.description ?? describeCause(reason.cause instanceof Error ? reason.cause : undefined) ??
    "no further detail"
  // `TransportError` → `Transport`, as Effect 3 named the reasons
  const kind = reason._tag.replace(/Error$/, "")
  return new PostpressError.TransportError({
    description: "response" in reason
      ? `${kind} error reading the ${reason.response.status} response: ${detail}`
      : `${kind} error: ${detail}`,
    ...(reason.cause === undefined ? {} : { cause: reason.cause })
  })
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
    if (Result.isFailure(json)) return malformed(response, body, json.failure, now)
    const error = documented(json.success, metadata(response.headers, now))
    return Result.isSuccess(error)
      ? error.success
      : malformed(response, body, `the body is not a ${status} error envelope: ${describeIssue(error.failure)}`, now)
  }
  const envelope = Result.flatMap(json, (value) => Result.mapError(decodeEnvelope(value), String))
  const envelopeField = Result.isSuccess(envelope) ? { envelope: envelope.success } : {}
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
  readonly json: Result.Result<unknown, string>
  readonly decode: Effect.Effect<A, PostpressError.MalformedResponse>
}

/** A decoder of response bodies: the decoded value, or the issue that says why it is not one. */
export type Decoder<A> = (input: unknown) => Result.Result<A, SchemaIssue.Issue>

class ReceivedBody<A> implements Received<A> {
  private parsed: Result.Result<unknown, string> | undefined
  readonly bytes: Uint8Array
  private readonly response: HttpClientResponse.HttpClientResponse
  private readonly decodeJson: Decoder<A>
  private readonly schemaName: string
  constructor(
    bytes: Uint8Array,
    response: HttpClientResponse.HttpClientResponse,
    decodeJson: Decoder<A>,
    schemaName: string
  ) {
    this.bytes = bytes
    this.response = response
    this.decodeJson = decodeJson
    this.schemaName = schemaName
  }

  /** Worked out again on each use: only errors need it once the body is parsed. */
  get text(): string {
    return decodeUtf8(this.bytes)
  }

  get json(): Result.Result<unknown, string> {
    return this.parsed ??= parseJson(decodeUtf8(this.bytes))
  }

  get decode(): Effect.Effect<A, PostpressError.MalformedResponse> {
    return Effect.suspend(() => {
      const json = this.json
      const decoded = Result.isFailure(json) ? json : Result.mapError(
        this.decodeJson(json.success),
        (issue) => `the body is not a ${this.schemaName}: ${describeIssue(issue)}`
      )
      return Result.isSuccess(decoded)
        ? Effect.succeed(decoded.success)
        : Effect.flatMap(
          Clock.currentTimeMillis,
          (now) => Effect.fail(malformed(this.response, this.text, decoded.failure, now))
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
  decode: Decoder<A>,
  schemaName: string
): Effect.Effect<Received<A>, PostpressError.PostpressError> =>
  Effect.flatMap(
    Effect.mapError(response.arrayBuffer, transportError),
    (body): Effect.Effect<Received<A>, PostpressError.PostpressError> =>
      response.status >= 200 && response.status < 300
        ? Effect.succeed(new ReceivedBody(new Uint8Array(body), response, decode, schemaName))
        : Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(errorFor(response, decodeUtf8(body), now)))
  )

/** Turns an issue of an input into an {@link PostpressError.InvalidRequest} naming the field. */
export const invalidRequest = (issue: SchemaIssue.Issue, fallbackField: string): PostpressError.InvalidRequest => {
  const [first] = formatIssues(issue).issues
  const key = first?.path?.[0]
  const field = key === undefined ? fallbackField : String(typeof key === "object" ? key.key : key)
  return new PostpressError.InvalidRequest({
    field,
    message: first === undefined ? String(issue) : `${field}: ${first.message}`
  })
}
