/** README, "Lookups and caching": a cache for one region. Given: a pipeline of lookups. */
import { PostpressClient, type PostpressError } from "@postpress/core"
import type * as Effect from "effect/Effect"

declare const pipeline: Effect.Effect<void, PostpressError.PostpressError, PostpressClient.PostpressClient>

// #region readme
const enriched = pipeline.pipe(PostpressClient.withCache({ capacity: 10_000, timeToLive: "5 minutes" }))
// #endregion readme

export { enriched }
