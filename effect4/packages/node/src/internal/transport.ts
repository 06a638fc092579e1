import * as NodeStream from "@effect/platform-node/NodeStream"
import type * as Undici from "@effect/platform-node/Undici"
import * as Effect from "effect/Effect"
import * as Cookies from "effect/http/Cookies"
import * as Headers from "effect/http/Headers"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as IncomingMessage from "effect/http/HttpIncomingMessage"
import * as Url from "effect/http/Url"
import * as UrlParams from "effect/http/UrlParams"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import type * as Socket from "effect/socket/Socket"
import type * as Stream from "effect/Stream"
import { EventEmitter } from "node:events"

/**
 * The transport of `NodePostpress.layer`: the GET requests of the SDK on an
 * undici dispatcher, with as little per request as it takes.
 *
 * It differs from `NodeHttpClient.makeUndici` (behind `HttpClient.make`) in
 * what the SDK does not need per request: no span of its own (the SDK's
 * `postpress.*` span is the client span, and the SDK puts its trace context
 * in `traceparent`/`b3`), no `AbortController`, finalization registry and
 * response wrapper per request, no cached body effect per response.
 * Interrupting a request, or the read of its body, aborts it.
 *
 * Why not the stock `NodeHttpClient.layerUndiciOptions` on the same agent (it
 * passes every test of `@postpress/node` too, with the same page handoff):
 * `packages/node/bench` (`ROUNDS=6 CONTENDERS="lean stock sdk-lean sdk-stock"
 * ./run.sh`), medians of six alternating runs against a local keep-alive
 * server, on a loaded two-core machine. Through the SDK, at concurrency 32:
 * 2,529 calls/s and 242 µs of client CPU a call with this transport, 1,912
 * and 294 µs with the stock client; pages of 250 messages one after another:
 * 310 pages/s and 2.3 ms of CPU a page, against 173 and 3.0 ms; sequential
 * retrieves the same (p50 317 against 310 µs, 317 µs of CPU each). The
 * transports alone: 142 against 212 µs of CPU a sequential request, 4,648
 * against 3,702 requests/s at 32.
 */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient =>
  HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (request) => Effect.flatMap(request, (request) => send(dispatcher, request)),
    Effect.succeed
  )

const requestError = (
  request: HttpClientRequest.HttpClientRequest,
  reason: "Transport" | "Encode" | "InvalidUrl",
  cause: unknown,
  description?: string
) =>
  new HttpClientError.HttpClientError({
    reason: reason === "Transport"
      ? new HttpClientError.TransportError({ request, cause, ...(description ? { description } : {}) })
      : reason === "Encode"
      ? new HttpClientError.EncodeError({ request, cause, ...(description ? { description } : {}) })
      : new HttpClientError.InvalidUrlError({ request, cause })
  })

const send = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  if (request.body._tag !== "Empty") {
    return Effect.fail(requestError(request, "Encode", undefined, "this transport sends no bodies"))
  }
  const url = Url.make(request.url, request.urlParams, Option.getOrUndefined(request.hash))
  if (Result.isFailure(url)) {
    return Effect.fail(requestError(request, "InvalidUrl", url.failure))
  }
  return Effect.callback<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
    const fail = (cause: unknown) => resume(Effect.fail(requestError(request, "Transport", cause)))
    // undici takes an EventEmitter as the abort signal: lighter than an AbortController per request
    const abort = new EventEmitter()
    try {
      dispatcher.request({
        signal: abort,
        method: request.method,
        headers: request.headers,
        origin: url.success.origin,
        path: url.success.pathname + url.success.search,
        // timeouts are the SDK's (attempt timeout, deadline)
        headersTimeout: 0,
        bodyTimeout: 0
      }).then((source) => resume(Effect.succeed(new Response(request, source, url.success.href))), fail)
    } catch (cause) {
      fail(cause)
    }
    return Effect.sync(() => abort.emit("abort"))
  })
}

const ignore = () => {}

const utf8 = new TextDecoder()

class Response extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: typeof IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: typeof HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private body: Promise<ArrayBuffer> | undefined
  readonly request: HttpClientRequest.HttpClientRequest
  readonly source: Undici.Dispatcher.ResponseData
  readonly url: string

  constructor(request: HttpClientRequest.HttpClientRequest, source: Undici.Dispatcher.ResponseData, url: string) {
    super()
    this.request = request
    this.source = source
    this.url = url
    source.body.on("error", ignore)
  }

  get status() {
    return this.source.statusCode
  }

  get headers(): Headers.Headers {
    return Headers.fromInput(this.source.headers)
  }

  get cookies(): Cookies.Cookies {
    const header = this.source.headers["set-cookie"]
    return header === undefined ? Cookies.empty : Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private decodeError = (cause: unknown): HttpClientError.HttpClientError =>
    new HttpClientError.HttpClientError({
      reason: new HttpClientError.DecodeError({ request: this.request, response: this, cause })
    })

  /** The body's bytes, read once; interrupting the read aborts it. */
  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.HttpClientError> {
    return Effect.callback((resume) => {
      ;(this.body ??= this.source.body.arrayBuffer()).then(
        (bytes) => resume(Effect.succeed(bytes)),
        (cause) => resume(Effect.fail(this.decodeError(cause)))
      )
      return Effect.sync(() => this.source.body.destroy())
    })
  }

  /** The body as text: UTF-8, a byte order mark skipped, malformed sequences replaced. */
  get text(): Effect.Effect<string, HttpClientError.HttpClientError> {
    return Effect.map(this.arrayBuffer, (bytes) => utf8.decode(bytes))
  }

  get json(): Effect.Effect<Schema.Json, HttpClientError.HttpClientError> {
    return Effect.flatMap(
      this.text,
      (text) =>
        Effect.try({ try: () => (text === "" ? null : JSON.parse(text) as Schema.Json), catch: this.decodeError })
    )
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.HttpClientError> {
    return Effect.flatMap(
      this.text,
      (text) => Effect.try({ try: () => UrlParams.fromInput(new URLSearchParams(text)), catch: this.decodeError })
    )
  }

  get formData(): Effect.Effect<FormData, HttpClientError.HttpClientError> {
    return Effect.tryPromise({ try: () => this.source.body.formData() as Promise<FormData>, catch: this.decodeError })
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.HttpClientError> {
    return NodeStream.fromReadable({ evaluate: () => this.source.body, onError: this.decodeError })
  }

  get upgrade(): Effect.Effect<Socket.Socket, HttpClientError.HttpClientError> {
    return Effect.fail(
      new HttpClientError.HttpClientError({
        reason: new HttpClientError.StatusCodeError({
          request: this.request,
          response: this,
          description: "this transport does not upgrade connections"
        })
      })
    )
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "effect/http/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }

  pipe() {
    return pipeArguments(this, arguments)
  }
}

/**
 * The wait a stream's consumer makes before working on a prefetched page (see
 * `PostpressClient.PageHandoff`): two turns of the event loop. undici writes a
 * request on a kept-alive socket only on the second turn after the response
 * before it ended (the first resumes the connection, the second checks that
 * the server has not closed it meanwhile); work done before then holds the
 * request back. Without it the next page's request goes out after the
 * consumer's work on the page; NodePostpress.test.ts pins the order.
 */
export const twoTurns: Effect.Effect<void> = Effect.callback<void>((resume) => {
  let immediate = setImmediate(() => {
    immediate = setImmediate(() => resume(Effect.void))
  })
  return Effect.sync(() => clearImmediate(immediate))
})
