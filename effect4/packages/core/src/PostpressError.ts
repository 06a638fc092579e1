/**
 * Every way a postpress call can fail, as tagged errors.
 *
 * The six documented statuses each have an error carrying the API's error
 * envelope (`title`, `detail`, `instance`, `type`, `status`) with `type` typed
 * as that status's documented union. Alongside them: {@link TooManyRequests}
 * (429), {@link UnexpectedStatus} (any other status), {@link MalformedResponse}
 * (a body that is not the documented JSON), {@link TransportError} (the request
 * never got a response), {@link RequestTimeout} and {@link InvalidRequest} (an input rejected before
 * anything was sent).
 *
 * Every endpoint fails with exactly {@link PostpressError}, so
 * `Effect.catchTags` over its twelve tags is exhaustive and checked by the
 * compiler.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PostpressClient } from "@postpress/core"
 *
 * const program = Effect.gen(function*() {
 *   const client = yield* PostpressClient.PostpressClient
 *   return yield* client.messages.retrieve("msg_1")
 * }).pipe(
 *   Effect.catchTags({
 *     NotFound: (error) => Effect.succeed(error.type === "errors/invalid_resource_identifier" ? "bad id" : "gone"),
 *     Unauthorized: () => Effect.succeed("check POSTPRESS_API_KEY"),
 *     // …one handler per remaining tag
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { openStringEnum } from "./internal/schema.js"

// -----------------------------------------------------------------------------
// identity
// -----------------------------------------------------------------------------

/**
 * The brand every postpress error carries: {@link isPostpressError} checks it,
 * so an error of another library whose `_tag` happens to be `"NotFound"` is not
 * taken for one.
 *
 * @since 0.2.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@postpress/core/PostpressError")

/**
 * The type of {@link TypeId}.
 *
 * @since 0.2.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * Where a failed paginated stream resumes: pass `cursor` as the `cursor`
 * option of the same `pages` / `stream` call (with the same filters) and the
 * new stream starts with the first page the failed one did not emit — nothing
 * lost, nothing twice. No `cursor` means from where the failed stream started
 * (its own `cursor` option, or the first page).
 *
 * @since 0.2.0
 * @category resuming
 */
export const ResumePoint = Schema.Struct({
  /** The cursor to resume from. */
  cursor: Schema.optional(Schema.String),
  /** The pages the failed stream emitted before it failed. */
  pages: Schema.Number
}).annotate({ identifier: "ResumePoint" })

/**
 * Where a failed paginated stream resumes, as decoded by the `ResumePoint`
 * schema.
 *
 * @since 0.2.0
 * @category resuming
 */
export interface ResumePoint extends Schema.Schema.Type<typeof ResumePoint> {}

/** Fields every error has: where a stream resumes, when the error ended one. */
const resumeFields = {
  /** Set when the error ended a paginated stream: where to resume it (see {@link ResumePoint}). */
  resume: Schema.optional(ResumePoint)
}

// -----------------------------------------------------------------------------
// documented error types
// -----------------------------------------------------------------------------

/**
 * The documented `type`s of a 401 Unauthorized. An undocumented one still
 * decodes (typed `string & {}`), so a `switch` over the documented types
 * needs one `default`.
 *
 * @since 0.1.0
 * @category error types
 */
export const UnauthorizedType = openStringEnum("UnauthorizedType", [
  "errors/missing_credentials",
  "errors/multiple_sessions",
  "errors/invalid_checkpoint_solution",
  "errors/invalid_proxy_credentials",
  "errors/checkpoint_error",
  "errors/invalid_credentials",
  "errors/expired_credentials",
  "errors/insufficient_privileges",
  "errors/disconnected_account",
  "errors/disconnected_feature",
  "errors/invalid_credentials_but_valid_account_imap",
  "errors/expired_link",
  "errors/wrong_account"
])

/**
 * The documented `type`s of a 403 Forbidden (open, as {@link UnauthorizedType}).
 *
 * @since 0.1.0
 * @category error types
 */
export const ForbiddenType = openStringEnum("ForbiddenType", [
  "errors/account_restricted",
  "errors/account_mismatch",
  "errors/insufficient_permissions",
  "errors/session_mismatch",
  "errors/feature_not_subscribed",
  "errors/subscription_required",
  "errors/unknown_authentication_context",
  "errors/action_required",
  "errors/resource_access_restricted"
])

/**
 * The documented `type`s of a 404 Not Found (open, as {@link UnauthorizedType}).
 *
 * @since 0.1.0
 * @category error types
 */
export const NotFoundType = openStringEnum("NotFoundType", [
  "errors/resource_not_found",
  "errors/invalid_resource_identifier"
])

/**
 * The documented `type`s of a 500 Internal Server Error (open, as
 * {@link UnauthorizedType}).
 *
 * @since 0.1.0
 * @category error types
 */
export const InternalServerErrorType = openStringEnum("InternalServerErrorType", [
  "errors/unexpected_error",
  "errors/provider_error",
  "errors/authentication_intent_error"
])

/**
 * The documented `type`s of a 503 Service Unavailable (open, as
 * {@link UnauthorizedType}).
 *
 * @since 0.1.0
 * @category error types
 */
export const ServiceUnavailableType = openStringEnum("ServiceUnavailableType", [
  "errors/no_client_session",
  "errors/no_channel",
  "errors/no_handler",
  "errors/network_down",
  "errors/service_unavailable"
])

/**
 * The documented `type`s of a 504 Gateway Timeout (open, as
 * {@link UnauthorizedType}).
 *
 * @since 0.1.0
 * @category error types
 */
export const GatewayTimeoutType = openStringEnum("GatewayTimeoutType", ["errors/request_timeout"])

// -----------------------------------------------------------------------------
// envelopes (the wire format)
// -----------------------------------------------------------------------------

const envelopeFields = <const Status extends number, Type extends Schema.Top>(status: Status, type: Type) => ({
  /** A short error title. */
  title: Schema.String,
  /** A human-readable explanation. */
  detail: Schema.optional(Schema.String),
  /** The request identifier to give support. */
  instance: Schema.optional(Schema.String),
  /** The error type identifier, such as `errors/invalid_credentials`. */
  type,
  /** The HTTP status code. */
  status: Schema.Literal(status)
})

/**
 * The error envelope every error response shares, with any `type` and
 * `status`.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const ErrorEnvelope = Schema.Struct({
  title: Schema.String,
  detail: Schema.optional(Schema.String),
  instance: Schema.optional(Schema.String),
  type: Schema.String,
  status: Schema.Number
}).annotate({ identifier: "ErrorEnvelope" })

/**
 * The error envelope, as decoded by the `ErrorEnvelope` schema.
 *
 * @since 0.1.0
 * @category envelopes
 */
export type ErrorEnvelope = typeof ErrorEnvelope.Type

/**
 * The body of a 401 response.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const UnauthorizedEnvelope = Schema.Struct(envelopeFields(401, UnauthorizedType))

/**
 * The body of a 403 response.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const ForbiddenEnvelope = Schema.Struct(envelopeFields(403, ForbiddenType))

/**
 * The body of a 404 response.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const NotFoundEnvelope = Schema.Struct(envelopeFields(404, NotFoundType))

/**
 * The body of a 500 response.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const InternalServerErrorEnvelope = Schema.Struct(envelopeFields(500, InternalServerErrorType))

/**
 * The body of a 503 response.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const ServiceUnavailableEnvelope = Schema.Struct(envelopeFields(503, ServiceUnavailableType))

/**
 * The body of a 504 response.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const GatewayTimeoutEnvelope = Schema.Struct(envelopeFields(504, GatewayTimeoutType))

// -----------------------------------------------------------------------------
// response metadata
// -----------------------------------------------------------------------------

/**
 * The rate-limit headers of a response (`x-ratelimit-limit`,
 * `x-ratelimit-remaining`, `x-ratelimit-reset`), where present.
 *
 * @since 0.1.0
 * @category response metadata
 */
export class RateLimitInfo extends Schema.Class<RateLimitInfo>("RateLimitInfo")({
  /** Requests allowed in the current window. */
  limit: Schema.optional(Schema.Number),
  /** Requests left in the current window. */
  remaining: Schema.optional(Schema.Number),
  /** Seconds until the window resets. */
  reset: Schema.optional(Schema.Number)
}) {}

/**
 * What an error keeps of the response headers.
 *
 * @since 0.1.0
 * @category response metadata
 */
export const ResponseMetadata = Schema.Struct({
  /** The `x-request-id` response header: quote it to support. */
  requestId: Schema.optional(Schema.String),
  /** The `Retry-After` header (seconds or an HTTP date) as a duration from when the response arrived. */
  retryAfter: Schema.optional(Schema.DurationFromMillis),
  rateLimit: Schema.optional(RateLimitInfo)
})

/**
 * What an error keeps of the response headers, as decoded by the
 * `ResponseMetadata` schema.
 *
 * @since 0.1.0
 * @category response metadata
 */
export type ResponseMetadata = typeof ResponseMetadata.Type

const describeEnvelope = (
  error: ErrorEnvelope & { readonly requestId?: string | undefined }
): string => {
  const detail = error.detail === undefined ? "" : `: ${error.detail}`
  const request = error.requestId === undefined ? "" : ` (request ${error.requestId})`
  return `${error.status} ${error.type} - ${error.title}${detail}${request}`
}

// -----------------------------------------------------------------------------
// documented statuses
// -----------------------------------------------------------------------------

/**
 * 401: credentials are missing, expired or otherwise invalid.
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>("@postpress/core/Unauthorized")("Unauthorized", {
  ...UnauthorizedEnvelope.fields,
  ...ResponseMetadata.fields,
  ...resumeFields
}) {
  /**
   * The brand {@link isPostpressError} checks.
   *
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId
  /**
   * The error's tag, as in Effect 3 (Effect 4 would name it after the schema
   * identifier, `@postpress/core/<tag>`).
   *
   * @since 1.0.0
   */
  override get name(): string {
    return this._tag
  }
  override get message(): string {
    return describeEnvelope(this)
  }
}

/**
 * 403: authenticated, but the account is restricted or the action not allowed.
 *
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends Schema.TaggedError<Forbidden>("@postpress/core/Forbidden")("Forbidden", {
  ...ForbiddenEnvelope.fields,
  ...ResponseMetadata.fields,
  ...resumeFields
}) {
  /**
   * The brand {@link isPostpressError} checks.
   *
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId
  /**
   * The error's tag, as in Effect 3 (Effect 4 would name it after the schema
   * identifier, `@postpress/core/<tag>`).
   *
   * @since 1.0.0
   */
  override get name(): string {
    return this._tag
  }
  override get message(): string {
    return describeEnvelope(this)
  }
}

/**
 * 404: the id matches nothing visible to this API key
 * (`errors/resource_not_found`), or is not a valid id
 * (`errors/invalid_resource_identifier`).
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>("@postpress/core/NotFound")("NotFound", {
  ...NotFoundEnvelope.fields,
  ...ResponseMetadata.fields,
  ...resumeFields
}) {
  /**
   * The brand {@link isPostpressError} checks.
   *
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId
  /**
   * The error's tag, as in Effect 3 (Effect 4 would name it after the schema
   * identifier, `@postpress/core/<tag>`).
   *
   * @since 1.0.0
   */
  override get name(): string {
    return this._tag
  }
  override get message(): string {
    return describeEnvelope(this)
  }
}

/**
 * 500: something went wrong at postpress or at the provider.
 *
 * @since 0.1.0
 * @category errors
 */
export class InternalServerError
  extends Schema.TaggedError<InternalServerError>("@postpress/core/InternalServerError")("InternalServerError", {
    ...InternalServerErrorEnvelope.fields,
    ...ResponseMetadata.fields,
    ...resumeFields
  })
{
  /**
   * The brand {@link isPostpressError} checks.
   *
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId
  /**
   * The error's tag, as in Effect 3 (Effect 4 would name it after the schema
   * identifier, `@postpress/core/<tag>`).
   *
   * @since 1.0.0
   */
  override get name(): string {
    return this._tag
  }
  override get message(): string {
    return describeEnvelope(this)
  }
}

/**
 * 503: postpress is temporarily unable to handle the request.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServiceUnavailable
  extends Schema.TaggedError<ServiceUnavailable>("@postpress/core/ServiceUnavailable")("ServiceUnavailable", {
    ...ServiceUnavailableEnvelope.fields,
    ...ResponseMetadata.fields,
    ...resumeFields
  })
{
  /**
   * The brand {@link isPostpressError} checks.
   *
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId
  /**
   * The error's tag, as in Effect 3 (Effect 4 would name it after the schema
   * identifier, `@postpress/core/<tag>`).
   *
   * @since 1.0.0
   */
  override get name(): string {
    return this._tag
  }
  override get message(): string {
    return describeEnvelope(this)
  }
}

/**
 * 504: the provider did not answer in time.
 *
 * @since 0.1.0
 * @category errors
 */
export class GatewayTimeout extends Schema.TaggedError<GatewayTimeout>("@postpress/core/GatewayTimeout")(
  "GatewayTimeout",
  { ...GatewayTimeoutEnvelope.fields, ...ResponseMetadata.fields, ...resumeFields }
) {
  /**
   * The brand {@link isPostpressError} checks.
   *
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId
  /**
   * The error's tag, as in Effect 3 (Effect 4 would name it after the schema
   * identifier, `@postpress/core/<tag>`).
   *
   * @since 1.0.0
   */
  override get name(): string {
    return this._tag
  }
  override get message(): string {
    return describeEnvelope(this)
  }
}

// -----------------------------------------------------------------------------
// everything else
// -----------------------------------------------------------------------------

/**
 * 429: too many requests. `retryAfter` is the parsed `Retry-After` header;
 * `envelope` the body, when it was the documented envelope.
 *
 * @since 0.1.0
 * @category errors
 */
export class TooManyRequests extends Schema.TaggedError<TooManyRequests>("@postpress/core/TooManyRequests")(
  "TooManyRequests",
  {
    status: Schema.Literal(429),
    envelope: Schema.optional(ErrorEnvelope),
    ...ResponseMetadata.fields,
    ...resumeFields
  }
) {
  /**
   * The brand {@link isPostpressError} checks.
   *
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId
  /**
   * The error's tag, as in Effect 3 (Effect 4 would name it after the schema
   * identifier, `@postpress/core/<tag>`).
   *
   * @since 1.0.0
   */
  override get name(): string {
    return this._tag
  }
  override get message(): string {
    const wait = this.retryAfter === undefined ? "" : `, retry after ${Duration.format(this.retryAfter)}`
    return `429 Too Many Requests${wait}`
  }
}

/**
 * A status the reference does not document (400, 409, 502, …). `envelope` is
 * the body when it was the documented envelope; `excerpt` the start of the
 * body otherwise.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnexpectedStatus extends Schema.TaggedError<UnexpectedStatus>("@postpress/core/UnexpectedStatus")(
  "UnexpectedStatus",
  {
    status: Schema.Number,
    envelope: Schema.optional(ErrorEnvelope),
    excerpt: Schema.String,
    ...ResponseMetadata.fields,
    ...resumeFields
  }
) {
  /**
   * The brand {@link isPostpressError} checks.
   *
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId
  /**
   * The error's tag, as in Effect 3 (Effect 4 would name it after the schema
   * identifier, `@postpress/core/<tag>`).
   *
   * @since 1.0.0
   */
  override get name(): string {
    return this._tag
  }
  override get message(): string {
    return this.envelope === undefined
      ? `Unexpected status ${this.status}: ${JSON.stringify(this.excerpt)}`
      : `Unexpected status: ${describeEnvelope(this.envelope)}`
  }
}

/**
 * A response whose body is not the documented JSON: an HTML page from a proxy,
 * a truncated body, or JSON of the wrong shape. `reason` says what failed;
 * `excerpt` is the start of the body.
 *
 * @since 0.1.0
 * @category errors
 */
export class MalformedResponse extends Schema.TaggedError<MalformedResponse>("@postpress/core/MalformedResponse")(
  "MalformedResponse",
  {
    status: Schema.Number,
    contentType: Schema.optional(Schema.String),
    reason: Schema.String,
    excerpt: Schema.String,
    ...ResponseMetadata.fields,
    ...resumeFields
  }
) {
  /**
   * The brand {@link isPostpressError} checks.
   *
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId
  /**
   * The error's tag, as in Effect 3 (Effect 4 would name it after the schema
   * identifier, `@postpress/core/<tag>`).
   *
   * @since 1.0.0
   */
  override get name(): string {
    return this._tag
  }
  override get message(): string {
    return `Malformed ${this.status} response: ${this.reason}; body starts ${JSON.stringify(this.excerpt)}`
  }
}

/**
 * The request got no response: the connection failed, was reset, or the body
 * could not be read. `cause` is the underlying network error.
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>("@postpress/core/TransportError")(
  "TransportError",
  {
    description: Schema.String,
    cause: Schema.optional(Schema.Defect()),
    ...resumeFields
  }
) {
  /**
   * The brand {@link isPostpressError} checks.
   *
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId
  /**
   * The error's tag, as in Effect 3 (Effect 4 would name it after the schema
   * identifier, `@postpress/core/<tag>`).
   *
   * @since 1.0.0
   */
  override get name(): string {
    return this._tag
  }
  override get message(): string {
    return this.description
  }
}

/**
 * The call took too long: one attempt exceeded the per-attempt timeout
 * (`scope: "attempt"`, retried like a transport failure), or the call with
 * its retries exceeded the overall deadline (`scope: "deadline"`).
 *
 * @since 0.1.0
 * @category errors
 */
export class RequestTimeout extends Schema.TaggedError<RequestTimeout>("@postpress/core/RequestTimeout")(
  "RequestTimeout",
  {
    scope: Schema.Literals(["attempt", "deadline"]),
    timeout: Schema.DurationFromMillis,
    ...resumeFields
  }
) {
  /**
   * The brand {@link isPostpressError} checks.
   *
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId
  /**
   * The error's tag, as in Effect 3 (Effect 4 would name it after the schema
   * identifier, `@postpress/core/<tag>`).
   *
   * @since 1.0.0
   */
  override get name(): string {
    return this._tag
  }
  override get message(): string {
    return this.scope === "attempt"
      ? `The request got no response within ${Duration.format(this.timeout)}`
      : `The call did not complete within its deadline of ${Duration.format(this.timeout)}`
  }
}

/**
 * An input the client rejected before sending anything; `field` names it
 * (`limit`, `before`, `chat_id`, …).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>("@postpress/core/InvalidRequest")(
  "InvalidRequest",
  {
    field: Schema.String,
    message: Schema.String,
    ...resumeFields
  }
) {
  /**
   * The brand {@link isPostpressError} checks.
   *
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId
  /**
   * The error's tag, as in Effect 3 (Effect 4 would name it after the schema
   * identifier, `@postpress/core/<tag>`).
   *
   * @since 1.0.0
   */
  override get name(): string {
    return this._tag
  }
}

/**
 * Every error a postpress call can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export const PostpressError = Schema.Union([
  Unauthorized,
  Forbidden,
  NotFound,
  InternalServerError,
  ServiceUnavailable,
  GatewayTimeout,
  TooManyRequests,
  UnexpectedStatus,
  MalformedResponse,
  TransportError,
  RequestTimeout,
  InvalidRequest
])

/**
 * Every error a postpress call can fail with: the union of the twelve
 * tagged errors, as decoded by the `PostpressError` schema.
 *
 * @since 0.1.0
 * @category errors
 */
export type PostpressError = typeof PostpressError.Type

/**
 * The documented error statuses, one row each: the status, its title, its
 * documented `type`s, its envelope (the wire format) and the error the client
 * fails with. The contract (`PostpressApi`), the client's reading of
 * responses and the simulator all read this table, so a new documented status
 * is a row here (with its types, envelope and error class above).
 *
 * @since 0.2.0
 * @category documented statuses
 */
export const documentedStatuses = [
  { status: 401, title: "Unauthorized", types: UnauthorizedType, envelope: UnauthorizedEnvelope, error: Unauthorized },
  { status: 403, title: "Forbidden", types: ForbiddenType, envelope: ForbiddenEnvelope, error: Forbidden },
  { status: 404, title: "Not Found", types: NotFoundType, envelope: NotFoundEnvelope, error: NotFound },
  {
    status: 500,
    title: "Internal Server Error",
    types: InternalServerErrorType,
    envelope: InternalServerErrorEnvelope,
    error: InternalServerError
  },
  {
    status: 503,
    title: "Service Unavailable",
    types: ServiceUnavailableType,
    envelope: ServiceUnavailableEnvelope,
    error: ServiceUnavailable
  },
  {
    status: 504,
    title: "Gateway Timeout",
    types: GatewayTimeoutType,
    envelope: GatewayTimeoutEnvelope,
    error: GatewayTimeout
  }
] as const

/**
 * A documented error status.
 *
 * @since 0.2.0
 * @category documented statuses
 */
export type DocumentedStatus = (typeof documentedStatuses)[number]["status"]

/**
 * The errors that carry a documented error envelope.
 *
 * @since 0.1.0
 * @category errors
 */
export type ApiError =
  | Unauthorized
  | Forbidden
  | NotFound
  | InternalServerError
  | ServiceUnavailable
  | GatewayTimeout

/**
 * Whether a value is one of the {@link PostpressError}s.
 *
 * @since 0.1.0
 * @category guards
 */
export const isPostpressError = (u: unknown): u is PostpressError | RepeatedCursor => Predicate.hasProperty(u, TypeId)

/**
 * A paginated stream stopped because the server handed back a cursor it had
 * already given (the same page would be fetched forever). The pages before it
 * were emitted.
 *
 * @since 0.1.0
 * @category errors
 */
export class RepeatedCursor extends Schema.TaggedError<RepeatedCursor>("@postpress/core/RepeatedCursor")(
  "RepeatedCursor",
  { cursor: Schema.String, ...resumeFields }
) {
  /**
   * The brand {@link isPostpressError} checks.
   *
   * @since 0.2.0
   */
  readonly [TypeId]: TypeId = TypeId
  /**
   * The error's tag, as in Effect 3 (Effect 4 would name it after the schema
   * identifier, `@postpress/core/<tag>`).
   *
   * @since 1.0.0
   */
  override get name(): string {
    return this._tag
  }
  override get message(): string {
    return `The server repeated the cursor ${JSON.stringify(this.cursor)}; stopping instead of looping`
  }
}

/**
 * Every error a paginated `Stream` can fail with: those of the calls, and
 * {@link RepeatedCursor}; each carries where the stream resumes
 * ({@link ResumePoint}).
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { type Message, PostpressClient } from "@postpress/core"
 *
 * declare const save: (message: Message.Message) => Effect.Effect<void>
 * declare const saveCheckpoint: (chatId: string, cursor: string | undefined) => Effect.Effect<void>
 *
 * const exportFrom = (chatId: string, cursor?: string) =>
 *   Effect.flatMap(PostpressClient.PostpressClient, (client) =>
 *     client.chats.messages.stream(chatId, { cursor }).pipe(
 *       Stream.runForEach((message) => save(message)),
 *       // store the cursor (a checkpoint), or try again from it later
 *       Effect.tapError((error) => saveCheckpoint(chatId, error.resume.cursor))
 *     ))
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export type StreamError = (PostpressError | RepeatedCursor) & { readonly resume: ResumePoint }

/**
 * Every error `chats.messages.watch` can fail with. A watch resumes by its
 * `since` option (the timestamp of the last message it emitted), not by a
 * cursor.
 *
 * @since 0.2.0
 * @category errors
 */
export type WatchError = PostpressError | RepeatedCursor

/**
 * Marks an error as the one that ended a stream at `resume` (a copy of it,
 * with {@link ResumePoint}).
 *
 * @since 0.2.0
 * @category resuming
 */
export const withResume = <E extends PostpressError | RepeatedCursor>(
  error: E,
  resume: ResumePoint
): E & { readonly resume: ResumePoint } => {
  const Self = error.constructor as
    & (new(props: object) => E & { readonly resume: ResumePoint })
    & { readonly fields: Schema.Struct.Fields }
  // the declared fields, read one by one: `cause` is not an enumerable own property of an `Error`
  const props: Record<string, unknown> = { resume }
  for (const key of Object.keys(Self.fields)) {
    const value = key === "resume" ? undefined : error[key as keyof E]
    if (value !== undefined) props[key] = value
  }
  return new Self(props)
}
