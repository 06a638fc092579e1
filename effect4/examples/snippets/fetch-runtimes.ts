/** README, "Runtimes": the one line for fetch runtimes. Given: a program and a key. */
import type { PostpressError } from "@postpress/core"

declare const program: Effect.Effect<void, PostpressError.PostpressError, PostpressClient.PostpressClient>
declare const key: string

// #region readme
import { PostpressClient } from "@postpress/core"
import { Effect, Redacted } from "effect"

program.pipe(Effect.provide(PostpressClient.layerFetchConfig()), Effect.runFork) // POSTPRESS_API_KEY, POSTPRESS_BASE_URL
program.pipe(Effect.provide(PostpressClient.layerFetch({ apiKey: Redacted.make(key) })), Effect.runFork)
// #endregion readme
