/**
 * @since 0.1.0
 */

/**
 * Message attachments, discriminated by `type`.
 *
 * @since 0.1.0
 */
export * as Attachment from "./Attachment.js"

/**
 * Chats: `Chat`, `ChatWithLastMessage`, `ChatList`.
 *
 * @since 0.1.0
 */
export * as Chat from "./Chat.js"

/**
 * Chat attendees and their provider-specific profile data.
 *
 * @since 0.1.0
 */
export * as ChatAttendee from "./ChatAttendee.js"

/**
 * Messages: `Message`, `MessageList`.
 *
 * @since 0.1.0
 */
export * as Message from "./Message.js"

/**
 * The wire contract as an `HttpApi`.
 *
 * @since 0.1.0
 */
export * as PostpressApi from "./PostpressApi.js"

/**
 * The client service.
 *
 * @since 0.1.0
 */
export * as PostpressClient from "./PostpressClient.js"

/**
 * A rate limiter to share across processes.
 *
 * @since 0.1.0
 */
export * as PostpressRateLimiter from "./PostpressRateLimiter.js"

/**
 * Retry policies, the retry budget, and scoped overrides.
 *
 * @since 0.1.0
 */
export * as PostpressRetry from "./PostpressRetry.js"

/**
 * The client's configuration.
 *
 * @since 0.1.0
 */
export * as PostpressConfig from "./PostpressConfig.js"

/**
 * Every error a call can fail with.
 *
 * @since 0.1.0
 */
export * as PostpressError from "./PostpressError.js"
