/** README, "Rate limits": one limit for several processes, in Redis. */

// #region readme
import { NodePostpress } from "@postpress/node"
import * as RedisRateLimiter from "@postpress/node/RedisRateLimiter"
import { Layer } from "effect"

const Client = NodePostpress.layerConfig().pipe(
  Layer.provide(RedisRateLimiter.layer({
    redis: { url: "redis://127.0.0.1:6379" }, // or { socket: { host: "127.0.0.1", port: 6379 } }
    limit: 20,
    interval: "1 second", // for all workers together
    key: "my-postpress-account" // workers with the same key share the budget
  }))
)
// #endregion readme

export { Client }
