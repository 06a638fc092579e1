/**
 * The simulator's endpoint handlers: `HttpApiBuilder` groups of the contract,
 * which decode each request with the contract's schemas and answer from the
 * dataset with the edition-neutral `responses.ts`.
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Authentication, PostpressApi } from "@postpress/core/PostpressApi"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type { Dataset } from "./dataset.js"
import * as Responses from "./responses.js"

/** A 404 for a path that is no endpoint. */
export const routeNotFound = (detail: string) =>
  HttpServerResponse.unsafeJson(Responses.notFound(detail), { status: 404 })

/** A 400 for parameters the contract or the data refuses (a bad limit, a stale or foreign cursor). */
export const badRequest = (detail: string) =>
  HttpServerResponse.unsafeJson(Responses.badRequest(detail), { status: 400 })

/** An answer as the handler's result: a 404 is the contract's error, a 400 a response of its own. */
const respond = <A>(answer: Responses.Answer<A>) => {
  switch (answer.status) {
    case 200:
      return Effect.succeed(HttpServerResponse.unsafeJson(answer.body))
    case 404:
      return Effect.fail(answer.body)
    case 400:
      return Effect.succeed(HttpServerResponse.unsafeJson(answer.body, { status: 400 }))
  }
}

const millis = (dateTime: DateTime.Utc | undefined) =>
  dateTime === undefined ? undefined : DateTime.toEpochMillis(dateTime)

/** The endpoint handlers over a dataset, and the API-key check. */
export const layer = (dataset: Dataset, apiKeys: ReadonlySet<string>) => {
  const ChatsLive = HttpApiBuilder.group(PostpressApi, "chats", (handlers) =>
    handlers
      .handle("retrieve", ({ path, urlParams }) =>
        respond(Responses.retrieveChat(dataset, { chatId: path.chat_id, accountId: urlParams.account_id })))
      .handle("listAttendees", ({ path }) =>
        respond(Responses.listChatAttendees(dataset, { chatId: path.chat_id })))
      .handle("listMessages", ({ path, urlParams }) =>
        respond(Responses.listChatMessages(dataset, {
          chatId: path.chat_id,
          after: millis(urlParams.after),
          before: millis(urlParams.before),
          senderId: urlParams.sender_id,
          limit: urlParams.limit,
          cursor: urlParams.cursor
        }))))

  const ChatAttendeesLive = HttpApiBuilder.group(
    PostpressApi,
    "chatAttendees",
    (handlers) =>
      handlers.handle("listChats", ({ path, urlParams }) =>
        respond(Responses.listAttendeeChats(dataset, {
          attendeeIds: path.attendee_id,
          accountIds: urlParams.account_id,
          after: millis(urlParams.after),
          before: millis(urlParams.before),
          limit: urlParams.limit,
          cursor: urlParams.cursor
        })))
  )

  const MessagesLive = HttpApiBuilder.group(
    PostpressApi,
    "messages",
    (handlers) =>
      handlers.handle(
        "retrieve",
        ({ path }) => respond(Responses.retrieveMessage(dataset, { messageId: path.message_id }))
      )
  )

  const AuthenticationLive = Layer.succeed(
    Authentication,
    Authentication.of({
      apiKey: (key) => {
        const refused = Responses.authenticate(apiKeys, Redacted.value(key))
        return refused === undefined ? Effect.void : Effect.fail(refused)
      }
    })
  )

  return HttpApiBuilder.api(PostpressApi).pipe(
    Layer.provide([ChatsLive, ChatAttendeesLive, MessagesLive]),
    Layer.provide(AuthenticationLive)
  )
}
