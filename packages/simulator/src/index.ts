/**
 * @since 0.2.0
 */

/**
 * A faithful simulator of the postpress API in process: seeded data, injected
 * faults, a server-side rate limit and a record of every request.
 *
 * @since 0.2.0
 */
export * as PostpressSimulator from "./PostpressSimulator.js"

/**
 * The simulator served over HTTP on Node.
 *
 * @since 0.2.0
 */
export * as NodeSimulator from "./NodeSimulator.js"
