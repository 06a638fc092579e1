/**
 * Message attachments: one class per variant the reference documents,
 * discriminated by `type`, plus {@link UnknownAttachment} for variants the API
 * adds later.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { unknownVariant } from "./internal/schema.js"

const base = {
  id: Schema.String,
  file_size: Schema.optional(Schema.Number),
  unavailable: Schema.Boolean,
  mimetype: Schema.optional(Schema.String),
  url: Schema.optional(Schema.String),
  url_expires_at: Schema.optional(Schema.Number)
}

/**
 * Pixel dimensions of an image or a video.
 *
 * @since 0.1.0
 */
export class AttachmentSize extends Schema.Class<AttachmentSize>("AttachmentSize")({
  width: Schema.Number,
  height: Schema.Number
}) {}

/**
 * An image (`type: "img"`); `sticker` marks stickers.
 *
 * @since 0.1.0
 */
export class ImgAttachment extends Schema.Class<ImgAttachment>("ImgAttachment")({
  ...base,
  type: Schema.Literal("img"),
  size: AttachmentSize,
  sticker: Schema.Boolean
}) {}

/**
 * A video (`type: "video"`); `gif` marks animated GIFs.
 *
 * @since 0.1.0
 */
export class VideoAttachment extends Schema.Class<VideoAttachment>("VideoAttachment")({
  ...base,
  type: Schema.Literal("video"),
  size: AttachmentSize,
  gif: Schema.Boolean
}) {}

/**
 * An audio clip (`type: "audio"`); `voice_note` marks recorded voice notes.
 *
 * @since 0.1.0
 */
export class AudioAttachment extends Schema.Class<AudioAttachment>("AudioAttachment")({
  ...base,
  type: Schema.Literal("audio"),
  duration: Schema.optional(Schema.Number),
  voice_note: Schema.Boolean
}) {}

/**
 * A generic file (`type: "file"`).
 *
 * @since 0.1.0
 */
export class FileAttachment extends Schema.Class<FileAttachment>("FileAttachment")({
  ...base,
  type: Schema.Literal("file"),
  file_name: Schema.String
}) {}

/**
 * A shared LinkedIn post (`type: "linkedin_post"`).
 *
 * @since 0.1.0
 */
export class LinkedinPostAttachment extends Schema.Class<LinkedinPostAttachment>("LinkedinPostAttachment")({
  ...base,
  type: Schema.Literal("linkedin_post")
}) {}

/**
 * A video meeting invitation (`type: "video_meeting"`). Times are Unix epochs,
 * `time_range` a duration in seconds; each may be `null`.
 *
 * @since 0.1.0
 */
export class VideoMeetingAttachment extends Schema.Class<VideoMeetingAttachment>("VideoMeetingAttachment")({
  ...base,
  type: Schema.Literal("video_meeting"),
  starts_at: Schema.NullOr(Schema.Number),
  expires_at: Schema.NullOr(Schema.Number),
  time_range: Schema.NullOr(Schema.Number)
}) {}

/**
 * The `type`s of the documented attachment variants.
 *
 * @since 0.1.0
 */
export const knownTypes = ["img", "video", "audio", "file", "linkedin_post", "video_meeting"] as const

/**
 * An attachment of a variant the API added after this SDK was written,
 * decoded as `{ type: "unknown", raw }`: `raw` is the attachment exactly as the
 * server sent it (its real `type` included), and encoding gives `raw` back.
 *
 * @since 0.1.0
 */
export const UnknownAttachment: Schema.Schema<UnknownAttachment, UnknownAttachment["raw"]> = unknownVariant(
  "UnknownAttachment",
  "type",
  knownTypes
)

/**
 * @since 0.1.0
 */
export interface UnknownAttachment {
  readonly type: "unknown"
  /** The attachment as the server sent it. */
  readonly raw: { readonly type: string; readonly [field: string]: unknown }
}

/**
 * Any attachment. A `switch` on `type` narrows to each documented variant
 * and to {@link UnknownAttachment} (`type: "unknown"`).
 *
 * @example
 * ```ts
 * import type { Attachment } from "@postpress/core"
 *
 * const describe = (attachment: Attachment.Attachment): string => {
 *   switch (attachment.type) {
 *     case "img":
 *       return `image ${attachment.size.width}x${attachment.size.height}`
 *     case "file":
 *       return `file ${attachment.file_name}`
 *     default:
 *       return `an attachment of a newer kind: ${attachment.raw.type}`
 *   }
 * }
 * ```
 *
 * @since 0.1.0
 */
export const Attachment = Schema.Union(
  ImgAttachment,
  VideoAttachment,
  AudioAttachment,
  FileAttachment,
  LinkedinPostAttachment,
  VideoMeetingAttachment,
  UnknownAttachment
)

/**
 * @since 0.1.0
 */
export type Attachment = typeof Attachment.Type
