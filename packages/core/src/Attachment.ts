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
 */
export const AttachmentSize: Schema.Schema<AttachmentSize, AttachmentSizeEncoded> = namedStruct(
  "AttachmentSize",
  attachmentSizeFields
)

/**
 * @since 0.1.0
 */
export interface AttachmentSize extends Schema.Struct.Type<typeof attachmentSizeFields> {}

/**
 * `AttachmentSize` as it is on the wire.
 *
 * @since 0.1.0
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
 */
export const ImgAttachment: Schema.Schema<ImgAttachment, ImgAttachmentEncoded> = namedStruct(
  "ImgAttachment",
  imgAttachmentFields
)

/**
 * @since 0.1.0
 */
export interface ImgAttachment extends Schema.Struct.Type<typeof imgAttachmentFields> {}

/**
 * `ImgAttachment` as it is on the wire.
 *
 * @since 0.1.0
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
 */
export const VideoAttachment: Schema.Schema<VideoAttachment, VideoAttachmentEncoded> = namedStruct(
  "VideoAttachment",
  videoAttachmentFields
)

/**
 * @since 0.1.0
 */
export interface VideoAttachment extends Schema.Struct.Type<typeof videoAttachmentFields> {}

/**
 * `VideoAttachment` as it is on the wire.
 *
 * @since 0.1.0
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
 */
export const AudioAttachment: Schema.Schema<AudioAttachment, AudioAttachmentEncoded> = namedStruct(
  "AudioAttachment",
  audioAttachmentFields
)

/**
 * @since 0.1.0
 */
export interface AudioAttachment extends Schema.Struct.Type<typeof audioAttachmentFields> {}

/**
 * `AudioAttachment` as it is on the wire.
 *
 * @since 0.1.0
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
 */
export const FileAttachment: Schema.Schema<FileAttachment, FileAttachmentEncoded> = namedStruct(
  "FileAttachment",
  fileAttachmentFields
)

/**
 * @since 0.1.0
 */
export interface FileAttachment extends Schema.Struct.Type<typeof fileAttachmentFields> {}

/**
 * `FileAttachment` as it is on the wire.
 *
 * @since 0.1.0
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
 */
export const LinkedinPostAttachment: Schema.Schema<LinkedinPostAttachment, LinkedinPostAttachmentEncoded> = namedStruct(
  "LinkedinPostAttachment",
  linkedinPostAttachmentFields
)

/**
 * @since 0.1.0
 */
export interface LinkedinPostAttachment extends Schema.Struct.Type<typeof linkedinPostAttachmentFields> {}

/**
 * `LinkedinPostAttachment` as it is on the wire.
 *
 * @since 0.1.0
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
 */
export const VideoMeetingAttachment: Schema.Schema<VideoMeetingAttachment, VideoMeetingAttachmentEncoded> = namedStruct(
  "VideoMeetingAttachment",
  videoMeetingAttachmentFields
)

/**
 * @since 0.1.0
 */
export interface VideoMeetingAttachment extends Schema.Struct.Type<typeof videoMeetingAttachmentFields> {}

/**
 * `VideoMeetingAttachment` as it is on the wire.
 *
 * @since 0.1.0
 */
export interface VideoMeetingAttachmentEncoded extends Schema.Struct.Encoded<typeof videoMeetingAttachmentFields> {}

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
