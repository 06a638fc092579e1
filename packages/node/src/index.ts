/**
 * @since 0.1.0
 */

/**
 * Node.js layers: the undici HTTP client and the whole stack in one layer.
 *
 * @since 0.1.0
 */
export * as NodePostpress from "./NodePostpress.js"
