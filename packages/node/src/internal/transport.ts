import * as NodeStream from "@effect/platform-node/NodeStream"
import type * as Undici from "@effect/platform-node/Undici"
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import type * as Stream from "effect/Stream"
import { EventEmitter } from "node:events"

/**
 * The transport of `NodePostpress.layer`: the GET requests of the SDK on an
 * undici dispatcher, with as little per request as it takes.
 *
 * It differs from `NodeHttpClient.makeUndici` (behind `HttpClient.make`) in
 * what the SDK does not need per request: no `http.client` span of its own (the
 * SDK's `postpress.*` span is the client span, and the SDK puts its trace
 * context in `traceparent`/`b3`), no abort controller and finalization
 * registry per response (the SDK reads every body), no fiber per body read.
 * Interrupting a request, or the read of its body, aborts it.
 *
 * Why not the stock `NodeHttpClient.makeUndici` on the same agent (the SDK
 * turns its span off either way): `pnpm bench --only b1,b3` on 2026-12-03,
 * SDK against the raw loop — with this transport B1 1.08×, B3 p50 1.12×, B4
 * 0.94×; with the stock client B1 1.07×, B3 1.29× (the target is ≤ 1.25×), B4
 * 0.78× (the target is ≥ 0.8×): ~75 µs more per call.
 */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient =>
  HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (request) => Effect.flatMap(request, (request) => send(dispatcher, request)),
    Effect.succeed
  )

const send = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  if (request.body._tag !== "Empty") {
    return Effect.fail(
      new HttpClientError.RequestError({ request, reason: "Encode", description: "this transport sends no bodies" })
    )
  }
  const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
  if (url._tag === "Left") {
    return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
  }
  return Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>((resume) => {
    const fail = (cause: unknown) =>
      resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
    // undici takes an EventEmitter as the abort signal: lighter than an AbortController per request
    const abort = new EventEmitter()
    try {
      dispatcher.request({
        signal: abort,
        method: request.method,
        headers: request.headers,
        origin: url.right.origin,
        path: url.right.pathname + url.right.search,
        // timeouts are the SDK's (attempt timeout, deadline)
        headersTimeout: 0,
        bodyTimeout: 0
      }).then((source) => resume(Effect.succeed(new Response(request, source))), fail)
    } catch (cause) {
      fail(cause)
    }
    return Effect.sync(() => abort.emit("abort"))
  })
}

/**
 * The wait a stream's consumer makes before working on a prefetched page (see
 * `PostpressClient.PageHandoff`): two turns of the event loop. undici writes a
 * request on a kept-alive socket only on the second turn after the response
 * before it ended (the first resumes the connection, the second checks that
 * the server has not closed it meanwhile); work done before then holds the
 * request back. Measured with a per-page diagnostics_channel timeline: without
 * it the next page's request went out ~1.5 ms later, after the consumer's
 * decoding; NodePostpress.test.ts pins the order.
 */
export const twoTurns: Effect.Effect<void> = Effect.async<void>((resume) => {
  let immediate = setImmediate(() => {
    immediate = setImmediate(() => resume(Effect.void))
  })
  return Effect.sync(() => clearImmediate(immediate))
})

const ignore = () => {}

const utf8 = new TextDecoder()

class Response extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private body: Promise<ArrayBuffer> | undefined

  constructor(readonly request: HttpClientRequest.HttpClientRequest, readonly source: Undici.Dispatcher.ResponseData) {
    super()
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

  private decodeError = (cause: unknown) =>
    new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })

  /** The body's bytes, read once; interrupting the read aborts it. */
  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.async((resume) => {
      ;(this.body ??= this.source.body.arrayBuffer()).then(
        (bytes) => resume(Effect.succeed(bytes)),
        (cause) => resume(Effect.fail(this.decodeError(cause)))
      )
      return Effect.sync(() => this.source.body.destroy())
    })
  }

  /** The body as text: UTF-8, a byte order mark skipped, malformed sequences replaced. */
  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.map(this.arrayBuffer, (bytes) => utf8.decode(bytes))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(
      this.text,
      (text) => Effect.try({ try: () => (text === "" ? null : JSON.parse(text) as unknown), catch: this.decodeError })
    )
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(
      this.text,
      (text) => Effect.try({ try: () => UrlParams.fromInput(new URLSearchParams(text)), catch: this.decodeError })
    )
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({ try: () => this.source.body.formData() as Promise<FormData>, catch: this.decodeError })
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return NodeStream.fromReadable(() => this.source.body, this.decodeError)
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}
