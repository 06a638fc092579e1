import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import { constTrue } from "effect/Function"
import type * as HttpApiEndpoint from "effect/http-api/HttpApiEndpoint"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as TraceContext from "effect/http/HttpTraceContext"
import * as Redacted from "effect/Redacted"
import * as References from "effect/References"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import * as SchemaParser from "effect/SchemaParser"
import * as Tracer from "effect/Tracer"
import { apiKeySecurity, type EndpointName, endpoints } from "../../PostpressApi.js"
import type * as PostpressConfig from "../../PostpressConfig.js"
import type { PostpressError } from "../../PostpressError.js"
import * as Decode from "./decode.js"
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
  const error = cause.reasons.find(Cause.isFailReason)?.error
  if (error === undefined) return
  span.attribute(SpanAttributes.errorType, error._tag)
  const requestId = requestIdOf(error)
  if (requestId !== undefined) span.attribute(SpanAttributes.requestId, requestId)
}

/** What the attempts of one call saw: how many went out, and the status of the last one's response, if any. */
interface Tally {
  attempts: number
  status: number | undefined
}

/**
 * `Effect.withSpan` for a request, except that the span ends with the
 * request's outcome but not its value: a span keeps the exit it ended with,
 * and a span that ended with a page would keep the page.
 *
 * `send` is given the span and a tally its attempts keep: the span gets the
 * attempt count as each attempt starts (so an interrupted call has it too),
 * and the last attempt's status and the failure's tag and request id as the
 * call ends.
 */
const withRequestSpan = <A>(
  name: string,
  options: Tracer.SpanOptionsNoTrace,
  send: (span: Tracer.Span, tally: Tally) => Effect.Effect<A, PostpressError>
): Effect.Effect<A, PostpressError> =>
  Effect.suspend(() => {
    let result: A | undefined
    return Effect.useSpan(name, options, (span) => {
      const tally: Tally = { attempts: 0, status: undefined }
      return Effect.matchCauseEffect(Effect.withParentSpan(send(span, tally), span, { captureStackTrace: false }), {
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

/** Calls one endpoint: validated inputs in, the decoded body or a tagged error out. */
export interface Call<Path, UrlParams, Success> {
  (path: Path, urlParams?: UrlParams): Effect.Effect<Success, PostpressError>
  /** The same request, with the body read but not yet parsed or decoded. */
  readonly received: (path: Path, urlParams?: UrlParams) => Effect.Effect<Response.Received<Success>, PostpressError>
}

type EndpointOf<Name extends EndpointName> = (typeof endpoints)[Name]
type PathOf<Name extends EndpointName> = HttpApiEndpoint.Params<EndpointOf<Name>>["Type"]
type UrlParamsOf<Name extends EndpointName> = HttpApiEndpoint.Query<EndpointOf<Name>>["Type"]
type SuccessOf<Name extends EndpointName> = HttpApiEndpoint.Success<EndpointOf<Name>>["Type"]

/**
 * Sends a request in `span`: its trace context goes out in `traceparent`/`b3`
 * (unless the program turned tracing or propagation off), as the `HttpClient`
 * would have sent its own span's.
 */
const sendInSpan = (
  httpClient: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  span: Tracer.Span
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.withFiber((fiber) => {
    const propagate = fiber.getRef(References.TracerEnabled) && !fiber.getRef(Tracer.DisablePropagation) &&
      fiber.getRef(HttpClient.TracerPropagationEnabled)
    return httpClient.execute(propagate ? HttpClientRequest.setHeaders(request, TraceContext.toHeaders(span)) : request)
  })

/**
 * Builds the caller of every endpoint from the contract: paths from the
 * endpoint's template, parameters encoded (and so validated) by its schemas,
 * responses decoded by its success schema (Effect's compiled decoders, with
 * a faster twin in front: `decode.ts`).
 *
 * The SDK decides the spans its requests make: each call is one `postpress.*`
 * client span, and the `HttpClient` it is given makes none of its own
 * (`HttpClient.TracerDisabledWhen`). A platform client's `http.client` span
 * records the request's URL and, when asked to, its headers (the API key among
 * them, unless the program's `Headers.CurrentRedactedNames` names it).
 */
export const makeCaller = (
  httpClient: HttpClient.HttpClient,
  config: PostpressConfig.Service,
  policy: RequestPolicy
) => {
  const headers = {
    [apiKeySecurity.key.toLowerCase()]: Redacted.value(config.apiKey),
    accept: "application/json"
  }
  const spanOptions = { kind: "client" } as const
  const execute = (request: HttpClientRequest.HttpClientRequest, span: Tracer.Span) =>
    Effect.provideService(sendInSpan(httpClient, request, span), HttpClient.TracerDisabledWhen, constTrue)

  return <Name extends EndpointName>(
    name: Name
  ): Call<PathOf<Name>, UrlParamsOf<Name>, SuccessOf<Name>> => {
    type Path = PathOf<Name>
    type UrlParams = UrlParamsOf<Name>
    type Success = SuccessOf<Name>
    const endpoint = endpoints[name]
    const spanName = `postpress.${name}`
    const buildPath = compilePath(endpoint.path)
    const encodePath = SchemaParser.encodeUnknownResult(
      endpoint.params as unknown as Schema.Codec<Path, Readonly<Record<string, string>>>
    )
    const encodeUrlParams = endpoint.query === undefined
      ? undefined
      : SchemaParser.encodeUnknownResult(
        endpoint.query as unknown as Schema.Codec<UrlParams, Readonly<Record<string, string>>>
      )
    const [successSchema] = endpoint.success as ReadonlySet<Schema.Decoder<Success>>
    if (successSchema === undefined) throw new Error(`${spanName} has no success schema`)
    const decode = Decode.decoder(successSchema)
    const schemaName = SchemaAST.resolveIdentifier(successSchema.ast) ?? endpoint.identifier

    // the method and the path template (never the raw path): the same for every call of the endpoint
    const endpointAttributes = {
      [SpanAttributes.method]: endpoint.method,
      [SpanAttributes.urlTemplate]: urlTemplate(endpoint.path)
    }
    const invalid = (error: PostpressError) =>
      Effect.withSpan(Effect.fail(error), spanName, {
        ...spanOptions,
        captureStackTrace: false,
        attributes: { ...endpointAttributes, [SpanAttributes.attempts]: 0, [SpanAttributes.errorType]: error._tag }
      })

    const received = (path: Path, urlParams?: UrlParams): Effect.Effect<Response.Received<Success>, PostpressError> => {
      const encodedPath = encodePath(path)
      if (Result.isFailure(encodedPath)) return invalid(Response.invalidRequest(encodedPath.failure, "path"))
      let query: Readonly<Record<string, string>> = {}
      if (encodeUrlParams !== undefined && urlParams !== undefined) {
        const encoded = encodeUrlParams(urlParams)
        if (Result.isFailure(encoded)) return invalid(Response.invalidRequest(encoded.failure, "query"))
        query = encoded.success
      }
      // the parameters as sent (ids, a cursor, a limit); the key is a header, and headers are never attributes
      const attributes: Record<string, unknown> = { ...endpointAttributes }
      for (const [key, value] of Object.entries(encodedPath.success)) attributes[`postpress.${key}`] = value
      for (const [key, value] of Object.entries(query)) attributes[`postpress.${key}`] = String(value)
      const request = HttpClientRequest.get(config.baseUrl + buildPath(encodedPath.success), {
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
          return execute(request, span)
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
