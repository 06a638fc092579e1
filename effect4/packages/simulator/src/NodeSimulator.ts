/**
 * The postpress simulator served over HTTP on Node: the same app as the
 * in-process `PostpressSimulator`, on a real port, for any language or tool.
 * Injected connection resets destroy the socket, as a real network would, and
 * a body cut off half-way ends the connection.
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
import * as PostpressClient from "@postpress/core/PostpressClient"
import * as PostpressConfig from "@postpress/core/PostpressConfig"
import * as Effect from "effect/Effect"
import * as HttpServer from "effect/http/HttpServer"
import type * as HttpServerError from "effect/http/HttpServerError"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import type * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Layer from "effect/Layer"
import * as NetAddress from "effect/net/NetAddress"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
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
 * destroys the socket. (A body that fails half-way needs nothing here: Effect
 * 4's Node server aborts a response whose body fails after its headers went
 * out, so the client sees the cut.)
 *
 * It is interruptible, unlike what Effect 4's `HttpServer.serve` runs by
 * default: when its client goes away, a request stops (an injected latency
 * ends), as in the Effect 3 edition, and does not hold the server's shutdown.
 *
 * @since 0.1.0
 * @category constructors
 */
export const nodeApp = (
  simulator: PostpressSimulator.Service
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest | Scope.Scope> =>
  Effect.interruptible(
    Effect.flatMap(simulator.app, (response) =>
      HttpServerRequest.HttpServerRequest.useSync((request) => {
        if (response.headers[PostpressSimulator.faultHeader] === "connection-reset") {
          NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()
        }
        return response
      }))
  )

/**
 * A simulator, served on a port until the layer is released.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<PostpressSimulator.PostpressSimulator | HttpServer.HttpServer, HttpServerError.ServeError> =>
  Layer.unwrap(
    PostpressSimulator.PostpressSimulator.useSync((simulator) => HttpServer.serve(nodeApp(simulator)))
  ).pipe(
    Layer.provideMerge(PostpressSimulator.layer(options)),
    Layer.provideMerge(
      NodeHttpServer.layerServer(Http.createServer, {
        port: options.port ?? 4010,
        host: options.host ?? "127.0.0.1"
      })
    )
  )

/**
 * The base URL a served simulator answers on (`http://host:port/api/v1`).
 *
 * @since 0.1.0
 * @category accessors
 */
export const baseUrl: Effect.Effect<string, never, HttpServer.HttpServer> = HttpServer.HttpServer.useSync(
  (server) =>
    NetAddress.isUnixPathAddress(server.address)
      ? "http://localhost/api/v1"
      : `${NetAddress.formatUrlUnsafe(server.address)}/api/v1`
)

/**
 * A simulator served over HTTP on a free port (unless `options.port` names
 * one), and a `PostpressClient` pointed at it over undici: the one line that
 * tests code against the simulator through a real socket. `client` sets the
 * client's resilience (retry policy, timeouts, rate limit) and its lookup cache.
 *
 * @since 1.0.0
 * @category layers
 */
export const layerClient = (
  options: Options = {},
  client?: PostpressConfig.ResilienceOptions
): Layer.Layer<
  PostpressSimulator.PostpressSimulator | HttpServer.HttpServer | PostpressClient.PostpressClient,
  HttpServerError.ServeError
> =>
  Layer.unwrap(
    Effect.gen(function*() {
      const simulator = yield* PostpressSimulator.PostpressSimulator
      const url = yield* baseUrl
      // a client layer of this call's own: `PostpressClient.layer` is one client for the whole program
      return Layer.effect(PostpressClient.PostpressClient, PostpressClient.make).pipe(
        Layer.provide(PostpressConfig.layer({ ...client, apiKey: Redacted.make(simulator.apiKey), baseUrl: url })),
        Layer.provide(NodeHttpClient.layerUndici)
      )
    })
  ).pipe(Layer.provideMerge(layer({ ...options, port: options.port ?? 0 })))
