/**
 * The simulator's endpoint handlers: `HttpApiBuilder` groups of the contract,
 * which decode each request with the contract's schemas and answer from the
 * dataset with the edition-neutral `shared/responses.ts`.
 */
import { Authentication, PostpressApi } from "@postpress/core/PostpressApi"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as HttpApiBuilder from "effect/http-api/HttpApiBuilder"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type { Dataset } from "./shared/dataset.js"
import * as Responses from "./shared/responses.js"

/** A 404 for a path that is no endpoint. */
export const routeNotFound = (detail: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.jsonUnsafe(Responses.notFound(detail), { status: 404 })

/** A 400 for parameters the contract or the data refuses (a bad limit, a stale or foreign cursor). */
export const badRequest = (detail: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.jsonUnsafe(Responses.badRequest(detail), { status: 400 })

/** A 401 for a refused API key. */
export const unauthorized = (body: Responses.UnauthorizedBody): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.jsonUnsafe(body, { status: 401 })

/** An answer as the handler's result: a 404 is the contract's error, a 400 a response of its own. */
const respond = <A>(
  answer: Responses.Answer<A>
): Effect.Effect<HttpServerResponse.HttpServerResponse, Responses.NotFoundBody> => {
  switch (answer.status) {
    case 200:
      return Effect.succeed(HttpServerResponse.jsonUnsafe(answer.body))
    case 404:
      return Effect.fail(answer.body)
    case 400:
      return Effect.succeed(HttpServerResponse.jsonUnsafe(answer.body, { status: 400 }))
  }
}

const millis = (dateTime: DateTime.Utc | undefined) =>
  dateTime === undefined ? undefined : DateTime.toEpochMillis(dateTime)

/** The endpoint handlers over a dataset, and the API-key check. */
export const layer = (dataset: Dataset, apiKeys: ReadonlySet<string>) => {
  const ChatsLive = HttpApiBuilder.group(PostpressApi, "chats", (handlers) =>
    handlers
      .handle("retrieve", ({ params, query }) =>
        respond(Responses.retrieveChat(dataset, { chatId: params.chat_id, accountId: query.account_id })))
      .handle("listAttendees", ({ params }) =>
        respond(Responses.listChatAttendees(dataset, { chatId: params.chat_id })))
      .handle("listMessages", ({ params, query }) =>
        respond(Responses.listChatMessages(dataset, {
          chatId: params.chat_id,
          after: millis(query.after),
          before: millis(query.before),
          senderId: query.sender_id,
          limit: query.limit,
          cursor: query.cursor
        }))))

  const ChatAttendeesLive = HttpApiBuilder.group(
    PostpressApi,
    "chatAttendees",
    (handlers) =>
      handlers.handle("listChats", ({ params, query }) =>
        respond(Responses.listAttendeeChats(dataset, {
          attendeeIds: params.attendee_id,
          accountIds: query.account_id,
          after: millis(query.after),
          before: millis(query.before),
          limit: query.limit,
          cursor: query.cursor
        })))
  )

  const MessagesLive = HttpApiBuilder.group(
    PostpressApi,
    "messages",
    (handlers) =>
      handlers.handle(
        "retrieve",
        ({ params }) => respond(Responses.retrieveMessage(dataset, { messageId: params.message_id }))
      )
  )

  const AuthenticationLive = Layer.succeed(Authentication, {
    apiKey: (httpEffect, { credential }) => {
      const refused = Responses.authenticate(apiKeys, Redacted.value(credential))
      return refused === undefined ? httpEffect : Effect.fail(refused)
    }
  })

  return HttpApiBuilder.layer(PostpressApi).pipe(
    Layer.provide([ChatsLive, ChatAttendeesLive, MessagesLive]),
    Layer.provide(AuthenticationLive)
  )
}
