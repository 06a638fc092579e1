import type * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as TraceContext from "@effect/platform/HttpTraceContext"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import type * as Tracer from "effect/Tracer"
import { apiKeySecurity, type EndpointName, endpoints } from "../../PostpressApi.js"
import type * as PostpressConfig from "../../PostpressConfig.js"
import type { PostpressError } from "../../PostpressError.js"
import * as CompiledDecode from "../decode/compile.js"
import type { RequestPolicy } from "./policy.js"
import * as Response from "./response.js"

/**
 * Encodes a path parameter as exactly one segment. Commas stay literal: they
 * separate the ids of a list and are legal in a segment.
 */
export const encodeSegment = (value: string): string => encodeURIComponent(value).replaceAll("%2C", ",")

const compilePath = (template: string): (params: Readonly<Record<string, string>>) => string => {
  const parts = template.split("/").map((part) => part.startsWith(":") ? { param: part.slice(1) } : part)
  return (params) =>
    parts.map((part) => typeof part === "string" ? part : encodeSegment(params[part.param] ?? "")).join("/")
}

/** The span attributes of a call (OpenTelemetry's HTTP client names where there is one). */
const SpanAttributes = {
  method: "http.request.method",
  urlTemplate: "url.template",
  statusCode: "http.response.status_code",
  /** The HTTP requests the call sent, retries included (0 if none went out). */
  attempts: "postpress.attempts",
  /** The retries among them, set once there is one, as OpenTelemetry counts resends. */
  resendCount: "http.request.resend_count",
  /** The failure's tag, e.g. `NotFound`. */
  errorType: "error.type",
  /** The failure's request id: its envelope's `instance`, else the `x-request-id` header. */
  requestId: "postpress.request_id"
} as const

/** `/chats/:chat_id` as `url.template` writes it: `/chats/{chat_id}`. */
const urlTemplate = (path: string): string =>
  path.split("/").map((part) => part.startsWith(":") ? `{${part.slice(1)}}` : part).join("/")

/** The id a failure gives for support: the envelope's `instance`, else the `x-request-id` header. */
const requestIdOf = (error: PostpressError): string | undefined =>
  ("instance" in error ? error.instance : "envelope" in error ? error.envelope?.instance : undefined) ??
    ("requestId" in error ? error.requestId : undefined)

/**
 * What a failed call's span says of its outcome, written before the span ends
 * (an OpenTelemetry span drops attributes set after): strings and numbers
 * only, never an object (a response, a body), which the span would keep.
 */
const annotateFailure = (span: Tracer.Span, status: number | undefined, cause: Cause.Cause<PostpressError>) => {
  if (status !== undefined) span.attribute(SpanAttributes.statusCode, status)
  const error = Cause.failureOption(cause)
  if (Option.isNone(error)) return
  span.attribute(SpanAttributes.errorType, error.value._tag)
  const requestId = requestIdOf(error.value)
  if (requestId !== undefined) span.attribute(SpanAttributes.requestId, requestId)
}

/**
 * `Effect.withSpan` for a request, except that the span ends with the
 * request's outcome but not its value. A span keeps the exit it ended with,
 * and on Node 20 what a request's effects referenced is kept through
 * young-generation collections until a full one: spans that held pages kept
 * every page since the last full collection in memory, and every minor
 * collection copied them. `pnpm bench --only retention` (R) reproduces it:
 * ~5.8 MB kept per 20 pages by spans ending with the page, ~0.15 MB by this.
 *
 * `send` is given the span and a tally its attempts keep: the span gets the
 * attempt count as each attempt starts (so an interrupted call has it too),
 * and the last attempt's status and the failure's tag and request id as the
 * call ends.
 */
const withRequestSpan = <A>(
  name: string,
  options: Tracer.SpanOptions,
  send: (span: Tracer.Span, tally: Tally) => Effect.Effect<A, PostpressError>
): Effect.Effect<A, PostpressError> =>
  Effect.suspend(() => {
    let result: A | undefined
    return Effect.useSpan(name, options, (span) => {
      const tally: Tally = { attempts: 0, status: undefined }
      return Effect.matchCauseEffect(Effect.withParentSpan(send(span, tally), span), {
        onFailure: (cause) => {
          annotateFailure(span, tally.status, cause)
          return Effect.failCause(cause)
        },
        onSuccess: (a) => {
          if (tally.status !== undefined) span.attribute(SpanAttributes.statusCode, tally.status)
          result = a
          return Effect.void
        }
      })
    }).pipe(Effect.map(() => {
      const a = result as A
      result = undefined
      return a
    }))
  })

/** What the attempts of one call saw: how many went out, and the status of the last one's response, if any. */
interface Tally {
  attempts: number
  status: number | undefined
}

/** A GET endpoint of the contract with path parameters, and query parameters or none. */
export type GetEndpoint<Path, UrlParams, Success> = HttpApiEndpoint.HttpApiEndpoint<
  string,
  "GET",
  Path,
  UrlParams,
  never,
  never,
  Success
>

type EndpointOf<Name extends EndpointName> = (typeof endpoints)[Name]
type PathOf<Name extends EndpointName> = HttpApiEndpoint.HttpApiEndpoint.PathParsed<EndpointOf<Name>>
type UrlParamsOf<Name extends EndpointName> = HttpApiEndpoint.HttpApiEndpoint.UrlParams<EndpointOf<Name>>
type SuccessOf<Name extends EndpointName> = HttpApiEndpoint.HttpApiEndpoint.Success<EndpointOf<Name>>

/** Calls one endpoint: validated inputs in, the decoded body or a tagged error out. */
export interface Call<Path, UrlParams, Success> {
  (path: Path, urlParams?: UrlParams): Effect.Effect<Success, PostpressError>
  /** The same request, with the body read but not yet parsed or decoded. */
  readonly received: (path: Path, urlParams?: UrlParams) => Effect.Effect<Response.Received<Success>, PostpressError>
}

/**
 * A request with the current span's trace context in `traceparent`/`b3`,
 * unless propagation is off: for the program (`HttpClient.currentTracerPropagation`,
 * the tracer disabled) or for the client the SDK was given
 * (`HttpClient.withTracerPropagation(client, false)`, which holds while the
 * client runs its request: hence a step of that client, not of the caller).
 */
const withTraceContext = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientRequest.HttpClientRequest> =>
  Effect.withFiberRuntime((fiber) => {
    const span = fiber.currentSpan
    const propagate = span?._tag === "Span" && fiber.getFiberRef(FiberRef.currentTracerEnabled) &&
      fiber.getFiberRef(HttpClient.currentTracerPropagation)
    return Effect.succeed(propagate ? HttpClientRequest.setHeaders(request, TraceContext.toHeaders(span)) : request)
  })

/**
 * Builds the caller of every endpoint from the contract: paths from the
 * endpoint's template, parameters encoded (and so validated) by its schemas,
 * responses decoded by its success schema.
 *
 * The SDK decides the spans its requests make: each call is one `postpress.*`
 * client span, and the `HttpClient` it is given makes none of its own. A
 * platform client's `http.client` span records the request's headers (the API
 * key among them, unless the program's `Headers.currentRedactedNames` names
 * it) and keeps the request in its exit.
 */
export const makeCaller = (
  givenHttpClient: HttpClient.HttpClient,
  config: PostpressConfig.Service,
  policy: RequestPolicy
) => {
  const httpClient = HttpClient.withTracerDisabledWhen(
    HttpClient.mapRequestEffect(givenHttpClient, withTraceContext),
    () => true
  )
  const headers = {
    [apiKeySecurity.key.toLowerCase()]: Redacted.value(config.apiKey),
    accept: "application/json"
  }
  const spanOptions = { kind: "client", captureStackTrace: false } as const

  return <Name extends EndpointName>(
    name: Name
  ): Call<PathOf<Name>, UrlParamsOf<Name>, SuccessOf<Name>> => {
    type Path = PathOf<Name>
    type UrlParams = UrlParamsOf<Name>
    type Success = SuccessOf<Name>
    const endpoint: GetEndpoint<Path, UrlParams, Success> = endpoints[name] as any
    const spanName = `postpress.${name}`
    const buildPath = compilePath(endpoint.path)
    const encodePath = Schema.encodeEither(
      Option.getOrThrow(endpoint.pathSchema) as Schema.Schema<Path, Readonly<Record<string, string>>>
    )
    const encodeUrlParams = Option.map(
      endpoint.urlParamsSchema,
      (schema) => Schema.encodeEither(schema as Schema.Schema<UrlParams, Readonly<Record<string, string>>>)
    )
    const decode = CompiledDecode.decodeUnknownEither(endpoint.successSchema as Schema.Schema<Success, any>)
    const ast = endpoint.successSchema.ast
    const schemaName = Option.getOrElse(
      SchemaAST.getIdentifierAnnotation(SchemaAST.isTransformation(ast) ? ast.to : ast),
      () => endpoint.name
    )

    // the method and the path template (never the raw path): the same for every call of the endpoint
    const endpointAttributes = {
      [SpanAttributes.method]: endpoint.method,
      [SpanAttributes.urlTemplate]: urlTemplate(endpoint.path)
    }
    const invalid = (error: PostpressError) =>
      Effect.withSpan(Effect.fail(error), spanName, {
        ...spanOptions,
        attributes: { ...endpointAttributes, [SpanAttributes.attempts]: 0, [SpanAttributes.errorType]: error._tag }
      })

    const received = (path: Path, urlParams?: UrlParams): Effect.Effect<Response.Received<Success>, PostpressError> => {
      const encodedPath = encodePath(path)
      if (Either.isLeft(encodedPath)) return invalid(Response.invalidRequest(encodedPath.left, "path"))
      let query: Record<string, string | ReadonlyArray<string>> = {}
      if (Option.isSome(encodeUrlParams) && urlParams !== undefined) {
        const encoded = encodeUrlParams.value(urlParams)
        if (Either.isLeft(encoded)) return invalid(Response.invalidRequest(encoded.left, "query"))
        query = encoded.right
      }
      // the parameters as sent (ids, a cursor, a limit); the key is a header, and headers are never attributes
      const attributes: Record<string, unknown> = { ...endpointAttributes }
      for (const [key, value] of Object.entries(encodedPath.right)) attributes[`postpress.${key}`] = value
      for (const [key, value] of Object.entries(query)) attributes[`postpress.${key}`] = String(value)
      const request = HttpClientRequest.get(config.baseUrl + buildPath(encodedPath.right), {
        urlParams: query,
        headers
      })
      return withRequestSpan(spanName, { ...spanOptions, attributes }, (span, tally) => {
        // one run of this is one HTTP attempt: the policy runs it once per attempt, after the limiter lets it go
        const attempt = Effect.suspend(() => {
          const attempts = ++tally.attempts
          tally.status = undefined
          span.attribute(SpanAttributes.attempts, attempts)
          if (attempts > 1) span.attribute(SpanAttributes.resendCount, attempts - 1)
          return httpClient.execute(request)
        }).pipe(
          Effect.mapError(Response.transportError),
          Effect.flatMap((response) => {
            tally.status = response.status
            return Response.read(response, decode, schemaName)
          })
        )
        return policy(attempt)
      })
    }
    const call = (path: Path, urlParams?: UrlParams) => Effect.flatMap(received(path, urlParams), (body) => body.decode)
    return Object.assign(call, { received })
  }
}
