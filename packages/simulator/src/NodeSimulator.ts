/**
 * The postpress simulator served over HTTP on Node: the same app as the
 * in-process `PostpressSimulator`, on a real port, for any language or tool.
 * Injected connection resets destroy the socket, as a real network would.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { PostpressClient } from "@postpress/core"
 * import { NodeSimulator } from "@postpress/simulator"
 *
 * // http://127.0.0.1:4010/api/v1, key "pp_test_simulator", until interrupted
 * // (run it with NodeRuntime.runMain(serve), from @effect/platform-node)
 * const serve = NodeSimulator.layer({ port: 4010, seed: 42 }).pipe(Layer.launch)
 *
 * // a test's own server on a free port, closed when the effect ends
 * const withServer = Effect.gen(function*() {
 *   const baseUrl = yield* NodeSimulator.baseUrl // e.g. http://127.0.0.1:38021/api/v1
 *   return baseUrl
 * }).pipe(Effect.provide(NodeSimulator.layer({ port: 0 })))
 *
 * // in one line: a server on a free port and a client over HTTP pointed at it
 * const overHttp = Effect.gen(function*() {
 *   const client = yield* PostpressClient.PostpressClient
 *   return yield* client.chats.attendees.list("chat_…")
 * }).pipe(Effect.provide(NodeSimulator.layerClient({ seed: 42 })))
 * ```
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as PostpressClient from "@postpress/core/PostpressClient"
import * as PostpressConfig from "@postpress/core/PostpressConfig"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import * as PostpressSimulator from "./PostpressSimulator.js"

/**
 * Where and how to serve.
 *
 * @since 0.1.0
 * @category options
 */
export interface Options extends PostpressSimulator.Options {
  /** The port; 0 picks a free one. Default 4010 ({@link layerClient}: 0). */
  readonly port?: number | undefined
  /** The interface. Default `127.0.0.1`. */
  readonly host?: string | undefined
}

/**
 * The simulator's app with its socket-level faults enacted: a connection reset
 * destroys the socket, and a body that fails half-way ends it at once, so the
 * client sees the cut instead of waiting for the rest.
 *
 * @since 0.1.0
 * @category constructors
 */
export const nodeApp = (simulator: PostpressSimulator.Service) =>
  Effect.flatMap(simulator.app, (response) =>
    Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
      const socket = NodeHttpServerRequest.toIncomingMessage(request).socket
      if (response.headers[PostpressSimulator.faultHeader] === "connection-reset") {
        socket.destroy()
        return response
      }
      const body = response.body
      if (body._tag !== "Stream") return response
      return HttpServerResponse.setBody(
        response,
        HttpBody.stream(
          Stream.onError(body.stream, () => Effect.sync(() => socket.destroySoon())),
          body.contentType,
          body.contentLength
        )
      )
    }))

/**
 * A simulator, served on a port until the layer is released.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<PostpressSimulator.PostpressSimulator | HttpServer.HttpServer, HttpServerError.ServeError> =>
  Layer.unwrapEffect(
    Effect.map(PostpressSimulator.PostpressSimulator, (simulator) => HttpServer.serve(nodeApp(simulator)))
  ).pipe(
    Layer.provideMerge(PostpressSimulator.layer(options)),
    Layer.provideMerge(
      NodeHttpServer.layer(Http.createServer, { port: options.port ?? 4010, host: options.host ?? "127.0.0.1" })
    )
  )

/**
 * The base URL a served simulator answers on (`http://host:port/api/v1`).
 *
 * @since 0.1.0
 * @category accessors
 */
export const baseUrl: Effect.Effect<string, never, HttpServer.HttpServer> = Effect.map(
  HttpServer.HttpServer,
  (server) => {
    const address = server.address
    return address._tag === "TcpAddress"
      ? `http://${address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${address.port}/api/v1`
      : `http://localhost/api/v1`
  }
)

/**
 * A simulator served over HTTP on a free port (unless `options.port` names
 * one), and a `PostpressClient` pointed at it over undici (`@effect/platform-node`'s
 * `NodeHttpClient.layerUndici`): the one line that tests code against the
 * simulator through a real socket. `client` sets the client's resilience
 * (retry policy, timeouts, rate limit) and its lookup cache.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PostpressClient } from "@postpress/core"
 * import { NodeSimulator, PostpressSimulator } from "@postpress/simulator"
 *
 * const firstChatName = Effect.gen(function*() {
 *   const simulator = yield* PostpressSimulator.PostpressSimulator
 *   const client = yield* PostpressClient.PostpressClient
 *   const chat = yield* client.chats.retrieve(simulator.dataset.chatId(0))
 *   return chat.name
 * }).pipe(Effect.provide(NodeSimulator.layerClient({ seed: 42, chats: 3 })))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const layerClient = (
  options: Options = {},
  client?: PostpressConfig.ResilienceOptions
): Layer.Layer<
  PostpressSimulator.PostpressSimulator | HttpServer.HttpServer | PostpressClient.PostpressClient,
  HttpServerError.ServeError
> =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const simulator = yield* PostpressSimulator.PostpressSimulator
      const url = yield* baseUrl
      return PostpressClient.layer.pipe(
        Layer.provide(PostpressConfig.layer({ ...client, apiKey: Redacted.make(simulator.apiKey), baseUrl: url })),
        Layer.provide(NodeHttpClient.layerUndici)
      )
    })
  ).pipe(Layer.provideMerge(layer({ ...options, port: options.port ?? 0 })))
