/**
 * The attendees of a chat, with their provider-specific profile data.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { Flag, namedStruct, NonEmptyString, openStringEnum, unknownVariant } from "./internal/schema.js"

/**
 * How far a LinkedIn member is from the connected account (open to later
 * values, as `Chat.AccountType`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const NetworkDistance = openStringEnum("NetworkDistance", [
  "SELF",
  "DISTANCE_1",
  "DISTANCE_2",
  "DISTANCE_3",
  "OUT_OF_NETWORK"
])

/**
 * How far a LinkedIn member is from the connected account: one of the
 * documented values, or a later one as a plain string.
 *
 * @since 0.1.0
 * @category models
 */
export type NetworkDistance = typeof NetworkDistance.Type

const socialHandleFields = {
  type: Schema.String,
  name: Schema.String
}

/**
 * A social handle in a LinkedIn member's contact info.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SocialHandle: Schema.Schema<SocialHandle, SocialHandleEncoded> = namedStruct(
  "SocialHandle",
  socialHandleFields
)

/**
 * A social handle, as decoded by the `SocialHandle` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface SocialHandle extends Schema.Struct.Type<typeof socialHandleFields> {}

/**
 * `SocialHandle` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface SocialHandleEncoded extends Schema.Struct.Encoded<typeof socialHandleFields> {}

const contactInfoFields = {
  emails: Schema.optional(Schema.Array(Schema.String)),
  phone_numbers: Schema.optional(Schema.Array(Schema.String)),
  websites: Schema.optional(Schema.Array(Schema.String)),
  social_handles: Schema.optional(Schema.Array(SocialHandle))
}

/**
 * A LinkedIn member's contact info, as far as it is visible.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ContactInfo: Schema.Schema<ContactInfo, ContactInfoEncoded> = namedStruct("ContactInfo", contactInfoFields)

/**
 * A LinkedIn member's contact info, as decoded by the `ContactInfo` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface ContactInfo extends Schema.Struct.Type<typeof contactInfoFields> {}

/**
 * `ContactInfo` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface ContactInfoEncoded extends Schema.Struct.Encoded<typeof contactInfoFields> {}

const linkedInSpecificsFields = {
  provider: Schema.Literal("LINKEDIN"),
  member_urn: Schema.String,
  occupation: Schema.optional(Schema.String),
  network_distance: Schema.optional(NetworkDistance),
  pending_invitation: Schema.optional(Schema.Boolean),
  location: Schema.optional(Schema.String),
  headline: Schema.optional(Schema.String),
  contact_info: Schema.optional(ContactInfo)
}

/**
 * LinkedIn profile data of an attendee.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LinkedInSpecifics: Schema.Schema<LinkedInSpecifics, LinkedInSpecificsEncoded> = namedStruct(
  "LinkedInSpecifics",
  linkedInSpecificsFields
)

/**
 * LinkedIn profile data of an attendee, as decoded by the `LinkedInSpecifics` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface LinkedInSpecifics extends Schema.Struct.Type<typeof linkedInSpecificsFields> {}

/**
 * `LinkedInSpecifics` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface LinkedInSpecificsEncoded extends Schema.Struct.Encoded<typeof linkedInSpecificsFields> {}

const relationshipStatusFields = {
  following: Schema.optional(Schema.Boolean),
  followed_by: Schema.optional(Schema.Boolean),
  has_received_invitation: Schema.optional(Schema.Boolean),
  has_sent_invitation: Schema.optional(Schema.Boolean)
}

/**
 * How an Instagram attendee and the connected account follow each other.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RelationshipStatus: Schema.Schema<RelationshipStatus, RelationshipStatusEncoded> = namedStruct(
  "RelationshipStatus",
  relationshipStatusFields
)

/**
 * How an Instagram attendee and the connected account follow each other, as decoded by the `RelationshipStatus` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface RelationshipStatus extends Schema.Struct.Type<typeof relationshipStatusFields> {}

/**
 * `RelationshipStatus` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface RelationshipStatusEncoded extends Schema.Struct.Encoded<typeof relationshipStatusFields> {}

const instagramSpecificsFields = {
  provider: Schema.Literal("INSTAGRAM"),
  public_identifier: Schema.String,
  relationship_status: RelationshipStatus
}

/**
 * Instagram profile data of an attendee.
 *
 * @since 0.1.0
 * @category schemas
 */
export const InstagramSpecifics: Schema.Schema<InstagramSpecifics, InstagramSpecificsEncoded> = namedStruct(
  "InstagramSpecifics",
  instagramSpecificsFields
)

/**
 * Instagram profile data of an attendee, as decoded by the `InstagramSpecifics` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface InstagramSpecifics extends Schema.Struct.Type<typeof instagramSpecificsFields> {}

/**
 * `InstagramSpecifics` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface InstagramSpecificsEncoded extends Schema.Struct.Encoded<typeof instagramSpecificsFields> {}

/**
 * Profile data of a provider this SDK does not know yet, decoded as
 * `{ provider: "unknown", raw }`: `raw` is the object exactly as the server
 * sent it, and encoding gives it back.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnknownSpecifics: Schema.Schema<UnknownSpecifics, UnknownSpecifics["raw"]> = unknownVariant(
  "UnknownSpecifics",
  "provider",
  ["LINKEDIN", "INSTAGRAM"]
)

/**
 * Profile data of a provider this SDK does not know yet: `raw` holds it as the
 * server sent it, its real `provider` included.
 *
 * @since 0.1.0
 * @category models
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
 * @category schemas
 */
export const Specifics = Schema.Union(LinkedInSpecifics, InstagramSpecifics, UnknownSpecifics)

/**
 * Provider-specific attendee data, as decoded by the `Specifics` schema.
 *
 * @since 0.1.0
 * @category models
 */
export type Specifics = typeof Specifics.Type

const chatAttendeeFields = {
  object: Schema.Literal("ChatAttendee"),
  /** The postpress attendee id (`att_…`): a message's `sender_attendee_id`. */
  id: NonEmptyString,
  /** The postpress id of the connected account that knows this attendee (`acc_…`). */
  account_id: NonEmptyString,
  /**
   * The provider-native id of the attendee (for LinkedIn, `ACoAA…`): a
   * message's `sender_id`. `client.chatAttendees.chats.list` takes it as well
   * as the postpress `id`.
   */
  provider_id: Schema.String,
  name: Schema.String,
  /** 1 for the connected account itself. */
  is_self: Flag,
  hidden: Schema.optional(Flag),
  picture_url: Schema.optional(Schema.String),
  profile_url: Schema.optional(Schema.String),
  specifics: Schema.optional(Specifics)
}

/**
 * A messaging attendee of a chat.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ChatAttendee: Schema.Schema<ChatAttendee, ChatAttendeeEncoded> = namedStruct(
  "ChatAttendee",
  chatAttendeeFields
)

/**
 * A messaging attendee of a chat, as decoded by the `ChatAttendee` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChatAttendee extends Schema.Struct.Type<typeof chatAttendeeFields> {}

/**
 * `ChatAttendee` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface ChatAttendeeEncoded extends Schema.Struct.Encoded<typeof chatAttendeeFields> {}

const chatAttendeeListFields = {
  object: Schema.Literal("ChatAttendeeList"),
  items: Schema.Array(ChatAttendee),
  cursor: Schema.Null
}

/**
 * Every attendee of a chat. The endpoint is not paginated: `cursor` is always
 * `null`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ChatAttendeeList: Schema.Schema<ChatAttendeeList, ChatAttendeeListEncoded> = namedStruct(
  "ChatAttendeeList",
  chatAttendeeListFields
)

/**
 * Every attendee of a chat, as decoded by the `ChatAttendeeList` schema.
 *
 * @since 0.1.0
 * @category models
 */
export interface ChatAttendeeList extends Schema.Struct.Type<typeof chatAttendeeListFields> {}

/**
 * `ChatAttendeeList` as it is on the wire.
 *
 * @since 0.1.0
 * @category encoded
 */
export interface ChatAttendeeListEncoded extends Schema.Struct.Encoded<typeof chatAttendeeListFields> {}
