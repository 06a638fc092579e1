/**
 * Message attachments: one schema per variant the reference documents,
 * discriminated by `type`, plus {@link UnknownAttachment} for variants the API
 * adds later.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { namedStruct, unknownVariant } from "./internal/schema.js"

const base = {
  id: Schema.String,
  file_size: Schema.optional(Schema.Number),
  unavailable: Schema.Boolean,
  mimetype: Schema.optional(Schema.String),
  url: Schema.optional(Schema.String),
  url_expires_at: Schema.optional(Schema.Number)
}

const attachmentSizeFields = {
  width: Schema.Number,
  height: Schema.Number
}

/**
 * Pixel dimensions of an image or a video.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AttachmentSize: Schema.Codec<AttachmentSize, AttachmentSizeEncoded> = namedStruct(
  "AttachmentSize",
  attachmentSizeFields
)

/**
 * Pixel dimensions of an image or a video, as decoded by the `AttachmentSize` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface AttachmentSize extends Schema.Struct.Type<typeof attachmentSizeFields> {}

/**
 * `AttachmentSize` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface AttachmentSizeEncoded extends Schema.Struct.Encoded<typeof attachmentSizeFields> {}

const imgAttachmentFields = {
  ...base,
  type: Schema.Literal("img"),
  size: AttachmentSize,
  sticker: Schema.Boolean
}

/**
 * An image (`type: "img"`); `sticker` marks stickers.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImgAttachment: Schema.Codec<ImgAttachment, ImgAttachmentEncoded> = namedStruct(
  "ImgAttachment",
  imgAttachmentFields
)

/**
 * An image attachment, as decoded by the `ImgAttachment` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface ImgAttachment extends Schema.Struct.Type<typeof imgAttachmentFields> {}

/**
 * `ImgAttachment` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface ImgAttachmentEncoded extends Schema.Struct.Encoded<typeof imgAttachmentFields> {}

const videoAttachmentFields = {
  ...base,
  type: Schema.Literal("video"),
  size: AttachmentSize,
  gif: Schema.Boolean
}

/**
 * A video (`type: "video"`); `gif` marks animated GIFs.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VideoAttachment: Schema.Codec<VideoAttachment, VideoAttachmentEncoded> = namedStruct(
  "VideoAttachment",
  videoAttachmentFields
)

/**
 * A video attachment, as decoded by the `VideoAttachment` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface VideoAttachment extends Schema.Struct.Type<typeof videoAttachmentFields> {}

/**
 * `VideoAttachment` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface VideoAttachmentEncoded extends Schema.Struct.Encoded<typeof videoAttachmentFields> {}

const audioAttachmentFields = {
  ...base,
  type: Schema.Literal("audio"),
  duration: Schema.optional(Schema.Number),
  voice_note: Schema.Boolean
}

/**
 * An audio clip (`type: "audio"`); `voice_note` marks recorded voice notes.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AudioAttachment: Schema.Codec<AudioAttachment, AudioAttachmentEncoded> = namedStruct(
  "AudioAttachment",
  audioAttachmentFields
)

/**
 * An audio attachment, as decoded by the `AudioAttachment` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface AudioAttachment extends Schema.Struct.Type<typeof audioAttachmentFields> {}

/**
 * `AudioAttachment` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface AudioAttachmentEncoded extends Schema.Struct.Encoded<typeof audioAttachmentFields> {}

const fileAttachmentFields = {
  ...base,
  type: Schema.Literal("file"),
  file_name: Schema.String
}

/**
 * A generic file (`type: "file"`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FileAttachment: Schema.Codec<FileAttachment, FileAttachmentEncoded> = namedStruct(
  "FileAttachment",
  fileAttachmentFields
)

/**
 * A file attachment, as decoded by the `FileAttachment` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface FileAttachment extends Schema.Struct.Type<typeof fileAttachmentFields> {}

/**
 * `FileAttachment` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface FileAttachmentEncoded extends Schema.Struct.Encoded<typeof fileAttachmentFields> {}

const linkedinPostAttachmentFields = {
  ...base,
  type: Schema.Literal("linkedin_post")
}

/**
 * A shared LinkedIn post (`type: "linkedin_post"`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const LinkedinPostAttachment: Schema.Codec<LinkedinPostAttachment, LinkedinPostAttachmentEncoded> = namedStruct(
  "LinkedinPostAttachment",
  linkedinPostAttachmentFields
)

/**
 * A shared LinkedIn post, as decoded by the `LinkedinPostAttachment` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface LinkedinPostAttachment extends Schema.Struct.Type<typeof linkedinPostAttachmentFields> {}

/**
 * `LinkedinPostAttachment` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface LinkedinPostAttachmentEncoded extends Schema.Struct.Encoded<typeof linkedinPostAttachmentFields> {}

const videoMeetingAttachmentFields = {
  ...base,
  type: Schema.Literal("video_meeting"),
  starts_at: Schema.NullOr(Schema.Number),
  expires_at: Schema.NullOr(Schema.Number),
  time_range: Schema.NullOr(Schema.Number)
}

/**
 * A video meeting invitation (`type: "video_meeting"`). Times are Unix epochs,
 * `time_range` a duration in seconds; each may be `null`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VideoMeetingAttachment: Schema.Codec<VideoMeetingAttachment, VideoMeetingAttachmentEncoded> = namedStruct(
  "VideoMeetingAttachment",
  videoMeetingAttachmentFields
)

/**
 * A video meeting invitation, as decoded by the `VideoMeetingAttachment` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface VideoMeetingAttachment extends Schema.Struct.Type<typeof videoMeetingAttachmentFields> {}

/**
 * `VideoMeetingAttachment` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface VideoMeetingAttachmentEncoded extends Schema.Struct.Encoded<typeof videoMeetingAttachmentFields> {}

/**
 * The `type`s of the documented attachment variants.
 *
 * @since 0.1.0
 * @category constants
 */
export const knownTypes = ["img", "video", "audio", "file", "linkedin_post", "video_meeting"] as const

/**
 * An attachment of a variant the API added after this SDK was written,
 * decoded as `{ type: "unknown", raw }`: `raw` is the attachment exactly as the
 * server sent it (its real `type` included), and encoding gives `raw` back.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnknownAttachment: Schema.Codec<UnknownAttachment, UnknownAttachment["raw"]> = unknownVariant(
  "UnknownAttachment",
  "type",
  knownTypes
)

/**
 * An attachment of a variant this SDK does not know yet: `raw` holds it as the
 * server sent it, its real `type` included.
 *
 * @since 0.1.0
 * @category models
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
 *     case "unknown":
 *       return `an attachment of a newer kind: ${attachment.raw.type}`
 *     default:
 *       return attachment.type
 *   }
 * }
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const Attachment = Schema.Union([
  ImgAttachment,
  VideoAttachment,
  AudioAttachment,
  FileAttachment,
  LinkedinPostAttachment,
  VideoMeetingAttachment,
  UnknownAttachment
])

/**
 * Any attachment, as decoded by the `Attachment` schema: one of the
 * documented variants or an `UnknownAttachment`.
 *
 * @since 0.1.0
 * @category models
 */
export type Attachment = typeof Attachment.Type
