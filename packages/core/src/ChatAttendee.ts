/**
 * The attendees of a chat, with their provider-specific profile data.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Flag, NonEmptyString, openStringEnum, unknownVariant } from "./internal/schema.js"

/**
 * How far a LinkedIn member is from the connected account (open to later
 * values, as `Chat.AccountType`).
 *
 * @since 0.1.0
 */
export const NetworkDistance = openStringEnum("NetworkDistance", [
  "SELF",
  "DISTANCE_1",
  "DISTANCE_2",
  "DISTANCE_3",
  "OUT_OF_NETWORK"
])

/**
 * @since 0.1.0
 */
export type NetworkDistance = typeof NetworkDistance.Type

/**
 * A social handle in a LinkedIn member's contact info.
 *
 * @since 0.1.0
 */
export class SocialHandle extends Schema.Class<SocialHandle>("SocialHandle")({
  type: Schema.String,
  name: Schema.String
}) {}

/**
 * A LinkedIn member's contact info, as far as it is visible.
 *
 * @since 0.1.0
 */
export class ContactInfo extends Schema.Class<ContactInfo>("ContactInfo")({
  emails: Schema.optional(Schema.Array(Schema.String)),
  phone_numbers: Schema.optional(Schema.Array(Schema.String)),
  websites: Schema.optional(Schema.Array(Schema.String)),
  social_handles: Schema.optional(Schema.Array(SocialHandle))
}) {}

/**
 * LinkedIn profile data of an attendee.
 *
 * @since 0.1.0
 */
export class LinkedInSpecifics extends Schema.Class<LinkedInSpecifics>("LinkedInSpecifics")({
  provider: Schema.Literal("LINKEDIN"),
  member_urn: Schema.String,
  occupation: Schema.optional(Schema.String),
  network_distance: Schema.optional(NetworkDistance),
  pending_invitation: Schema.optional(Schema.Boolean),
  location: Schema.optional(Schema.String),
  headline: Schema.optional(Schema.String),
  contact_info: Schema.optional(ContactInfo)
}) {}

/**
 * How an Instagram attendee and the connected account follow each other.
 *
 * @since 0.1.0
 */
export class RelationshipStatus extends Schema.Class<RelationshipStatus>("RelationshipStatus")({
  following: Schema.optional(Schema.Boolean),
  followed_by: Schema.optional(Schema.Boolean),
  has_received_invitation: Schema.optional(Schema.Boolean),
  has_sent_invitation: Schema.optional(Schema.Boolean)
}) {}

/**
 * Instagram profile data of an attendee.
 *
 * @since 0.1.0
 */
export class InstagramSpecifics extends Schema.Class<InstagramSpecifics>("InstagramSpecifics")({
  provider: Schema.Literal("INSTAGRAM"),
  public_identifier: Schema.String,
  relationship_status: RelationshipStatus
}) {}

/**
 * Profile data of a provider this SDK does not know yet, decoded as
 * `{ provider: "unknown", raw }`: `raw` is the object exactly as the server
 * sent it, and encoding gives it back.
 *
 * @since 0.1.0
 */
export const UnknownSpecifics: Schema.Schema<UnknownSpecifics, UnknownSpecifics["raw"]> = unknownVariant(
  "UnknownSpecifics",
  "provider",
  ["LINKEDIN", "INSTAGRAM"]
)

/**
 * @since 0.1.0
 */
export interface UnknownSpecifics {
  readonly provider: "unknown"
  /** The profile data as the server sent it. */
  readonly raw: { readonly provider: string; readonly [field: string]: unknown }
}

/**
 * Provider-specific attendee data; a `switch` on `provider` narrows to each
 * documented variant and to {@link UnknownSpecifics} (`provider: "unknown"`).
 *
 * @since 0.1.0
 */
export const Specifics = Schema.Union(LinkedInSpecifics, InstagramSpecifics, UnknownSpecifics)

/**
 * @since 0.1.0
 */
export type Specifics = typeof Specifics.Type

/**
 * A messaging attendee of a chat.
 *
 * @since 0.1.0
 */
export class ChatAttendee extends Schema.Class<ChatAttendee>("ChatAttendee")({
  object: Schema.Literal("ChatAttendee"),
  id: NonEmptyString,
  account_id: NonEmptyString,
  provider_id: Schema.String,
  name: Schema.String,
  /** 1 for the connected account itself. */
  is_self: Flag,
  hidden: Schema.optional(Flag),
  picture_url: Schema.optional(Schema.String),
  profile_url: Schema.optional(Schema.String),
  specifics: Schema.optional(Specifics)
}) {}

/**
 * Every attendee of a chat. The endpoint is not paginated: `cursor` is always
 * `null`.
 *
 * @since 0.1.0
 */
export class ChatAttendeeList extends Schema.Class<ChatAttendeeList>("ChatAttendeeList")({
  object: Schema.Literal("ChatAttendeeList"),
  items: Schema.Array(ChatAttendee),
  cursor: Schema.Null
}) {}
