/**
 * `@postpress/simulator`: a simulator of the postpress API for tests and demos,
 * in process or over HTTP.
 *
 * @since 0.2.0
 * @category modules
 */

/**
 * A faithful simulator of the postpress API in process: seeded data, injected
 * faults, a server-side rate limit and a record of every request.
 *
 * @since 0.2.0
 * @category modules
 */
export * as PostpressSimulator from "./PostpressSimulator.js"

/**
 * The simulator served over HTTP on Node.
 *
 * @since 0.2.0
 * @category modules
 */
export * as NodeSimulator from "./NodeSimulator.js"
