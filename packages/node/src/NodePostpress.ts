/**
 * Node.js wiring for `@postpress/core`: an undici `HttpClient` with keep-alive,
 * and layers that provide a ready `PostpressClient` in one `Effect.provide`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { PostpressClient } from "@postpress/core"
 * import { NodePostpress } from "@postpress/node"
 *
 * const main = Effect.gen(function*() {
 *   const client = yield* PostpressClient.PostpressClient
 *   const chat = yield* client.chats.retrieve("chat_123")
 *   yield* Effect.log(chat.name)
 * }).pipe(
 *   // POSTPRESS_API_KEY (and optionally POSTPRESS_BASE_URL) from the environment
 *   Effect.provide(NodePostpress.layerConfig())
 * )
 *
 * // the application's entry point runs it: NodeRuntime.runMain(main), from @effect/platform-node
 * ```
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Undici from "@effect/platform-node/Undici"
import * as HttpClient from "@effect/platform/HttpClient"
import { PostpressClient, PostpressConfig } from "@postpress/core"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Transport from "./internal/transport.js"

/**
 * Connection-pool options of the undici agent behind {@link layerHttpClient}.
 *
 * @since 0.1.0
 * @category options
 */
export type AgentOptions = Undici.Agent.Options

/**
 * The agent defaults: connections are kept alive for 30 s between requests
 * (undici's default is 4 s), which keeps pagination and fan-out on warm
 * sockets.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultAgentOptions: AgentOptions = {
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 10 * 60_000
}

/** A keep-alive undici agent, closed (and its sockets with it) when the scope closes. */
const makeAgent = (options?: AgentOptions) =>
  Effect.acquireRelease(
    Effect.sync(() => new Undici.Agent({ ...defaultAgentOptions, ...options })),
    (agent) => Effect.promise(() => agent.destroy())
  )

/**
 * An `HttpClient` on undici with a keep-alive agent owned by the layer: the
 * agent is closed, and its sockets with it, when the layer is released.
 *
 * This is the general-purpose client of `@effect/platform-node` (its
 * `http.client` spans included), for other requests of an application;
 * {@link layer} and {@link layerConfig} give the SDK a leaner transport of its
 * own on the same kind of agent.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient = (options?: AgentOptions): Layer.Layer<HttpClient.HttpClient> =>
  NodeHttpClient.layerUndiciWithoutDispatcher.pipe(
    Layer.provide(Layer.scoped(NodeHttpClient.Dispatcher, makeAgent(options)))
  )

/**
 * The SDK's transport: its GET requests on a keep-alive undici agent, with
 * none of the per-request work it does not need (see `internal/transport.ts`);
 * the SDK's `postpress.*` spans and `traceparent` propagation stay.
 */
const layerTransport = (
  options?: AgentOptions
): Layer.Layer<HttpClient.HttpClient | PostpressClient.PageHandoff> =>
  Layer.merge(
    Layer.scoped(HttpClient.HttpClient, Effect.map(makeAgent(options), Transport.make)),
    Layer.succeed(PostpressClient.PageHandoff, Transport.twoTurns)
  )

/**
 * The whole stack from explicit values: the client, its configuration and the
 * Node HTTP client.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: PostpressConfig.Options & { readonly agent?: AgentOptions | undefined }
): Layer.Layer<PostpressClient.PostpressClient> =>
  PostpressClient.layer.pipe(
    Layer.provide(PostpressConfig.layer(options)),
    Layer.provide(layerTransport(options.agent))
  )

/**
 * The whole stack from `Config`: by default `POSTPRESS_API_KEY` and
 * `POSTPRESS_BASE_URL` from the environment.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options?: Parameters<typeof PostpressConfig.layerConfig>[0] & { readonly agent?: AgentOptions | undefined }
): Layer.Layer<PostpressClient.PostpressClient, ConfigError.ConfigError> =>
  PostpressClient.layerConfig(options).pipe(Layer.provide(layerTransport(options?.agent)))
