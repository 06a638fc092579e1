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

/**
 * Refuses at once, naming the layer to use instead, where `undici` cannot
 * send a request: Bun answers `import "undici"` with a stand-in of its own
 * whose agents have no `request`, and a layer built on it would otherwise fail
 * only at the first call, with a `TransportError`.
 */
const requireUndici = (layer: string, instead: string): Effect.Effect<void> =>
  Effect.suspend(() =>
    typeof Undici.Agent.prototype.request === "function"
      ? Effect.void
      : Effect.dieMessage(
        `NodePostpress.${layer} cannot run here, as this runtime's undici cannot send requests (Bun replaces it): ` +
          `use ${instead} instead`
      )
  )

/** A keep-alive undici agent, closed (and its sockets with it) when the scope closes. */
const makeAgent = (options: AgentOptions | undefined, layer: string, instead: string) =>
  Effect.zipRight(
    requireUndici(layer, instead),
    Effect.acquireRelease(
      Effect.sync(() => new Undici.Agent({ ...defaultAgentOptions, ...options })),
      (agent) => Effect.promise(() => agent.destroy())
    )
  )

/**
 * An `HttpClient` on undici with a keep-alive agent owned by the layer: the
 * agent is closed, and its sockets with it, when the layer is released.
 *
 * This is the general-purpose client of `@effect/platform-node` (its
 * `http.client` spans included), for other requests of an application;
 * {@link layer} and {@link layerConfig} give the SDK a leaner transport of its
 * own on the same kind of agent. On Bun, building it fails at once with a
 * defect saying to use `FetchHttpClient.layer` (`@effect/platform`) instead.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient = (options?: AgentOptions): Layer.Layer<HttpClient.HttpClient> =>
  NodeHttpClient.layerUndiciWithoutDispatcher.pipe(
    Layer.provide(
      Layer.scoped(
        NodeHttpClient.Dispatcher,
        makeAgent(options, "layerHttpClient", "FetchHttpClient.layer from @effect/platform")
      )
    )
  )

/**
 * The SDK's transport: its GET requests on a keep-alive undici agent, with
 * none of the per-request work it does not need (see `internal/transport.ts`);
 * the SDK's `postpress.*` spans and `traceparent` propagation stay.
 */
const layerTransport = (
  options: AgentOptions | undefined,
  layer: string,
  instead: string
): Layer.Layer<HttpClient.HttpClient | PostpressClient.PageHandoff> =>
  Layer.merge(
    Layer.scoped(HttpClient.HttpClient, Effect.map(makeAgent(options, layer, instead), Transport.make)),
    Layer.succeed(PostpressClient.PageHandoff, Transport.twoTurns)
  )

/**
 * The whole stack from explicit values: the client, its configuration and the
 * Node HTTP client.
 *
 * Runs on Node and Deno. On Bun, whose `undici` cannot send requests, building
 * it fails at once with a defect saying to use `PostpressClient.layerFetch`
 * from `@postpress/core` (the platform's `fetch`) instead.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: PostpressConfig.Options & { readonly agent?: AgentOptions | undefined }
): Layer.Layer<PostpressClient.PostpressClient> =>
  PostpressClient.layer.pipe(
    Layer.provide(PostpressConfig.layer(options)),
    Layer.provide(layerTransport(options.agent, "layer", "PostpressClient.layerFetch from @postpress/core"))
  )

/**
 * The whole stack from `Config`: by default `POSTPRESS_API_KEY` and
 * `POSTPRESS_BASE_URL` from the environment.
 *
 * Runs on Node and Deno. On Bun, building it fails at once with a defect
 * saying to use `PostpressClient.layerFetchConfig` from `@postpress/core`
 * instead.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  options?: Parameters<typeof PostpressConfig.layerConfig>[0] & { readonly agent?: AgentOptions | undefined }
): Layer.Layer<PostpressClient.PostpressClient, ConfigError.ConfigError> =>
  PostpressClient.layerConfig(options).pipe(
    Layer.provide(
      layerTransport(options?.agent, "layerConfig", "PostpressClient.layerFetchConfig from @postpress/core")
    )
  )
