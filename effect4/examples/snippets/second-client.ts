/** README, "Configuration": a second client for one part of a program. Given: a key and a lookup. */
import type { Chat, PostpressError } from "@postpress/core"
import type * as Redacted from "effect/Redacted"

declare const apiKey: Redacted.Redacted
declare const lookup: Effect.Effect<Chat.Chat, PostpressError.PostpressError, PostpressClient.PostpressClient>

// #region readme
import { PostpressClient, PostpressConfig } from "@postpress/core"
import { Effect, Layer } from "effect"
import { FetchHttpClient } from "effect/http"

// a second client, with a short per-attempt timeout, for one part of a program that has its own client
const Impatient = Layer.fresh(PostpressClient.layer).pipe(
  Layer.provide(PostpressConfig.layer({ apiKey, attemptTimeout: "2 seconds" })),
  Layer.provide(FetchHttpClient.layer)
)
const quick = Effect.provide(lookup, Impatient) // or Effect.provide(lookup, layer, { local: true })
// #endregion readme

export { quick }
