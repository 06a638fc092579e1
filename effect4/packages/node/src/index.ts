/**
 * `@postpress/node`: Node.js layers for `@postpress/core`. `RedisRateLimiter`
 * is not re-exported here (it needs the optional peer `redis`): import it from
 * `@postpress/node/RedisRateLimiter`.
 *
 * @since 0.1.0
 * @category modules
 */

/**
 * Node.js layers: the undici HTTP client and the whole stack in one layer.
 *
 * @since 0.1.0
 * @category modules
 */
export * as NodePostpress from "./NodePostpress.js"
