import type * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as TraceContext from "@effect/platform/HttpTraceContext"
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

/**
 * `Effect.withSpan` for a request, except that the span ends with the
 * request's outcome but not its value. A span keeps the exit it ended with,
 * and on Node 20 what a request's effects referenced is kept through
 * young-generation collections until a full one: spans that held pages kept
 * every page since the last full collection in memory, and every minor
 * collection copied them. `pnpm bench --only retention` (R) reproduces it:
 * ~5.8 MB kept per 20 pages by spans ending with the page, ~0.15 MB by this.
 */
const withRequestSpan = <A, E>(
  self: Effect.Effect<A, E>,
  name: string,
  options: Tracer.SpanOptions
): Effect.Effect<A, E> =>
  Effect.suspend(() => {
    let result: A | undefined
    return Effect.useSpan(name, options, (span) =>
      Effect.map(Effect.withParentSpan(self, span), (a) => {
        result = a
      })).pipe(Effect.map(() => {
        const a = result as A
        result = undefined
        return a
      }))
  })

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
 * Sends a request in the current span: its trace context goes out in
 * `traceparent`/`b3` (unless the program turned propagation off).
 */
const sendInSpan = (
  httpClient: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.withFiberRuntime<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((fiber) => {
    const span = fiber.currentSpan
    const propagate = span?._tag === "Span" && fiber.getFiberRef(FiberRef.currentTracerEnabled) &&
      fiber.getFiberRef(HttpClient.currentTracerPropagation)
    return httpClient.execute(propagate ? HttpClientRequest.setHeaders(request, TraceContext.toHeaders(span)) : request)
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
  const httpClient = HttpClient.withTracerDisabledWhen(givenHttpClient, () => true)
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

    const received = (path: Path, urlParams?: UrlParams): Effect.Effect<Response.Received<Success>, PostpressError> => {
      const encodedPath = encodePath(path)
      if (Either.isLeft(encodedPath)) {
        return Effect.withSpan(Effect.fail(Response.invalidRequest(encodedPath.left, "path")), spanName, spanOptions)
      }
      let query: Record<string, string | ReadonlyArray<string>> = {}
      if (Option.isSome(encodeUrlParams) && urlParams !== undefined) {
        const encoded = encodeUrlParams.value(urlParams)
        if (Either.isLeft(encoded)) {
          return Effect.withSpan(Effect.fail(Response.invalidRequest(encoded.left, "query")), spanName, spanOptions)
        }
        query = encoded.right
      }
      const attributes: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(encodedPath.right)) attributes[`postpress.${key}`] = value
      for (const [key, value] of Object.entries(query)) attributes[`postpress.${key}`] = String(value)
      const request = HttpClientRequest.get(config.baseUrl + buildPath(encodedPath.right), {
        urlParams: query,
        headers
      })
      return policy(
        sendInSpan(httpClient, request).pipe(
          Effect.mapError(Response.transportError),
          Effect.flatMap((response) => Response.read(response, decode, schemaName))
        )
      ).pipe((request) => withRequestSpan(request, spanName, { ...spanOptions, attributes }))
    }
    const call = (path: Path, urlParams?: UrlParams) => Effect.flatMap(received(path, urlParams), (body) => body.decode)
    return Object.assign(call, { received })
  }
}
