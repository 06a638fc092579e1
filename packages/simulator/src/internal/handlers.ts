/**
 * The simulator's endpoint handlers: `HttpApiBuilder` groups of the contract,
 * answering from the dataset with the reference's semantics.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Authentication, PostpressApi } from "@postpress/core/PostpressApi"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type { Dataset } from "./dataset.js"
import { hashString } from "./random.js"

type NotFound = {
  readonly title: string
  readonly detail: string
  readonly type: "errors/resource_not_found" | "errors/invalid_resource_identifier"
  readonly status: 404
}

const notFound = (detail: string): NotFound => ({
  title: "Not Found",
  detail,
  type: "errors/resource_not_found",
  status: 404
})

const invalidIdentifier = (detail: string): NotFound => ({
  title: "Not Found",
  detail,
  type: "errors/invalid_resource_identifier",
  status: 404
})

/** A 404 for a path that is no endpoint. */
export const routeNotFound = (detail: string) => HttpServerResponse.unsafeJson(notFound(detail), { status: 404 })

/** A 400 for parameters the contract or the data refuses (a bad limit, a stale or foreign cursor). */
export const badRequest = (detail: string) =>
  HttpServerResponse.unsafeJson({ title: "Bad Request", detail, type: "errors/invalid_parameters", status: 400 }, {
    status: 400
  })

const DEFAULT_LIMIT = 100

/** Opaque cursors: a position, and a fingerprint of the query they belong to. */
const cursors = {
  encode: (position: number, fingerprint: string): string =>
    Encoding.encodeBase64Url(JSON.stringify({ p: position, f: hashString(fingerprint) })),
  decode: (cursor: string, fingerprint: string): number | undefined => {
    const text = Encoding.decodeBase64UrlString(cursor)
    if (Either.isLeft(text)) return undefined
    try {
      const parsed = JSON.parse(text.right)
      return parsed?.f === hashString(fingerprint) && Number.isSafeInteger(parsed?.p) ? parsed.p : undefined
    } catch {
      return undefined
    }
  }
}

const millis = (dateTime: DateTime.Utc | undefined) =>
  dateTime === undefined ? undefined : DateTime.toEpochMillis(dateTime)

/** Resolves a chat id (postpress, or provider with `account_id`) to its index. */
const resolveChat = (dataset: Dataset, chatId: string, accountId: string | undefined) => {
  if (chatId.startsWith("chat_")) {
    const chat = dataset.lookupChat(chatId)
    if (chat === undefined) return Effect.fail(invalidIdentifier(`${chatId} is not a valid chat id`))
    if (chat === null) return Effect.fail(notFound(`No chat ${chatId}`))
    if (accountId !== undefined && dataset.accountId(dataset.accountOfChat(chat)) !== accountId) {
      return Effect.fail(notFound(`No chat ${chatId} in account ${accountId}`))
    }
    return Effect.succeed(chat)
  }
  if (accountId === undefined) {
    return Effect.fail(
      invalidIdentifier(`${chatId} is not a postpress chat id; pass account_id to resolve a provider chat id`)
    )
  }
  const chat = dataset.lookupChatByProviderId(chatId)
  return chat === undefined || dataset.accountId(dataset.accountOfChat(chat)) !== accountId
    ? Effect.fail(notFound(`No chat with provider id ${chatId} in account ${accountId}`))
    : Effect.succeed(chat)
}

/** The endpoint handlers over a dataset, and the API-key check. */
export const layer = (dataset: Dataset, apiKeys: ReadonlySet<string>) => {
  const ChatsLive = HttpApiBuilder.group(PostpressApi, "chats", (handlers) =>
    handlers
      .handle("retrieve", ({ path, urlParams }) =>
        Effect.map(resolveChat(dataset, path.chat_id, urlParams.account_id), (chat) => {
          const count = dataset.messageCount(chat)
          return HttpServerResponse.unsafeJson({
            ...dataset.chat(chat),
            lastMessage: count === 0 ? null : dataset.message(chat, count - 1)
          })
        }))
      .handle("listAttendees", ({ path }) =>
        Effect.map(resolveChat(dataset, path.chat_id, undefined), (chat) =>
          HttpServerResponse.unsafeJson({
            object: "ChatAttendeeList",
            items: dataset.members(chat).map(dataset.attendee),
            cursor: null
          })))
      .handle("listMessages", ({ path, urlParams }) =>
        Effect.map(resolveChat(dataset, path.chat_id, undefined), (chat) => {
          const after = millis(urlParams.after)
          const before = millis(urlParams.before)
          const lo = after === undefined ? 0 : dataset.firstIndexAfter(chat, after, true)
          const hi = before === undefined ? dataset.messageCount(chat) : dataset.firstIndexAfter(chat, before, false)
          const fingerprint = `m:${chat}:${after}:${before}:${urlParams.sender_id}`
          let position = hi - 1
          if (urlParams.cursor !== undefined) {
            const decoded = cursors.decode(urlParams.cursor, fingerprint)
            if (decoded === undefined || decoded >= hi || decoded < lo) {
              return badRequest("The cursor does not belong to this query")
            }
            position = decoded
          }
          const sender = urlParams.sender_id === undefined ? undefined : dataset.lookupAttendee(urlParams.sender_id)
          const limit = urlParams.limit ?? DEFAULT_LIMIT
          const items = []
          if (sender !== null) {
            // with a sender filter, a page scans a bounded stretch: it may come back short, even empty, with a cursor
            let budget = Math.max(1_000, limit * 20)
            while (position >= lo && items.length < limit && budget-- > 0) {
              if (sender === undefined || dataset.senderOf(chat, position) === sender) {
                items.push(dataset.message(chat, position))
              }
              position--
            }
          } else {
            position = lo - 1
          }
          return HttpServerResponse.unsafeJson({
            object: "MessageList",
            items,
            cursor: position >= lo ? cursors.encode(position, fingerprint) : null
          })
        })))

  const ChatAttendeesLive = HttpApiBuilder.group(
    PostpressApi,
    "chatAttendees",
    (handlers) =>
      handlers.handle("listChats", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const attendees = new Set<number>()
          for (const id of path.attendee_id) {
            const attendee = dataset.lookupAttendee(id)
            if (attendee === undefined) return yield* Effect.fail(invalidIdentifier(`${id} is not a valid attendee id`))
            if (attendee === null) return yield* Effect.fail(notFound(`No attendee ${id}`))
            attendees.add(attendee)
          }
          const accounts = urlParams.account_id === undefined ? undefined : new Set(urlParams.account_id)
          const after = millis(urlParams.after)
          const before = millis(urlParams.before)
          const matching = dataset.chatOrder.filter((chat) => {
            if (dataset.chatType(chat) !== 0) return false
            const [self, other] = dataset.members(chat)
            if (!attendees.has(self!) && !attendees.has(other!)) return false
            if (accounts !== undefined && !accounts.has(dataset.accountId(dataset.accountOfChat(chat)))) return false
            const last = dataset.lastActivityMs(chat)
            if (after !== undefined && (last === undefined || last <= after)) return false
            if (before !== undefined && (last === undefined || last >= before)) return false
            return true
          })
          const fingerprint = `c:${[...attendees].join(",")}:${[...(accounts ?? [])].join(",")}:${after}:${before}`
          let offset = 0
          if (urlParams.cursor !== undefined) {
            const decoded = cursors.decode(urlParams.cursor, fingerprint)
            if (decoded === undefined || decoded < 0 || decoded >= matching.length) {
              return badRequest("The cursor does not belong to this query")
            }
            offset = decoded
          }
          const end = offset + (urlParams.limit ?? DEFAULT_LIMIT)
          return HttpServerResponse.unsafeJson({
            object: "ChatList",
            items: matching.slice(offset, end).map(dataset.chat),
            cursor: end < matching.length ? cursors.encode(end, fingerprint) : null
          })
        }))
  )

  const MessagesLive = HttpApiBuilder.group(
    PostpressApi,
    "messages",
    (handlers) =>
      handlers.handle("retrieve", ({ path }) => {
        const found = dataset.lookupMessage(path.message_id)
        if (found === undefined) {
          return Effect.fail(invalidIdentifier(`${path.message_id} is not a valid message id`))
        }
        if (found === null) return Effect.fail(notFound(`No message ${path.message_id}`))
        return Effect.succeed(HttpServerResponse.unsafeJson(dataset.message(found[0], found[1])))
      })
  )

  const AuthenticationLive = Layer.succeed(
    Authentication,
    Authentication.of({
      apiKey: (key) => {
        const value = Redacted.value(key)
        if (value === "") {
          return Effect.fail(
            {
              title: "Unauthorized",
              detail: "Send your API key in the X-API-KEY header.",
              type: "errors/missing_credentials",
              status: 401
            } as const
          )
        }
        return apiKeys.has(value) ? Effect.void : Effect.fail(
          {
            title: "Unauthorized",
            detail: "The API key is not valid.",
            type: "errors/invalid_credentials",
            status: 401
          } as const
        )
      }
    })
  )

  return HttpApiBuilder.api(PostpressApi).pipe(
    Layer.provide([ChatsLive, ChatAttendeesLive, MessagesLive]),
    Layer.provide(AuthenticationLive)
  )
}
