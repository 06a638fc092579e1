/**
 * `@postpress/core`: an Effect SDK for the postpress messaging API, with typed
 * endpoints, tagged errors and lazy pagination. Each module is re-exported here
 * as a namespace, and can be imported on its own as `@postpress/core/<Module>`.
 *
 * @since 0.1.0
 * @category modules
 */

/**
 * Message attachments, discriminated by `type`.
 *
 * @since 0.1.0
 * @category modules
 */
export * as Attachment from "./Attachment.js"

/**
 * Chats: `Chat`, `ChatWithLastMessage`, `ChatList`.
 *
 * @since 0.1.0
 * @category modules
 */
export * as Chat from "./Chat.js"

/**
 * Chat attendees and their provider-specific profile data.
 *
 * @since 0.1.0
 * @category modules
 */
export * as ChatAttendee from "./ChatAttendee.js"

/**
 * Messages: `Message`, `MessageList`.
 *
 * @since 0.1.0
 * @category modules
 */
export * as Message from "./Message.js"

/**
 * The wire contract as an `HttpApi`.
 *
 * @since 0.1.0
 * @category modules
 */
export * as PostpressApi from "./PostpressApi.js"

/**
 * The client service.
 *
 * @since 0.1.0
 * @category modules
 */
export * as PostpressClient from "./PostpressClient.js"

/**
 * A rate limiter to share across processes.
 *
 * @since 0.1.0
 * @category modules
 */
export * as PostpressRateLimiter from "./PostpressRateLimiter.js"

/**
 * Retry policies, the retry budget, and scoped overrides.
 *
 * @since 0.1.0
 * @category modules
 */
export * as PostpressRetry from "./PostpressRetry.js"

/**
 * The client's configuration.
 *
 * @since 0.1.0
 * @category modules
 */
export * as PostpressConfig from "./PostpressConfig.js"

/**
 * Every error a call can fail with.
 *
 * @since 0.1.0
 * @category modules
 */
export * as PostpressError from "./PostpressError.js"
