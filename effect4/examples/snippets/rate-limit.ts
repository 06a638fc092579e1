/** README, "Rate limits": a limiter of your own, in memory. */

// #region readme
import { PostpressClient, PostpressRateLimiter } from "@postpress/core"
import { Layer } from "effect"
import { RateLimiter } from "effect/persistence"

const Limiter = PostpressRateLimiter.layer({ limit: 50, interval: "1 second" }).pipe(
  Layer.provide(RateLimiter.layer),
  Layer.provide(RateLimiter.layerStoreMemory)
)
const Client = PostpressClient.layer.pipe(Layer.provide(Limiter))
// #endregion readme

export { Client }
