/**
 * Type-level proof that every endpoint's error channel is exactly
 * `PostpressError`, so `Effect.catchTags` over its tags is exhaustive: `pnpm
 * check` compiles this file, and each `@ts-expect-error` fails the build if
 * the line under it ever stops being an error.
 */
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type { Chat, ChatAttendee, Message, PostpressClient } from "../src/index.js"
import { PostpressError } from "../src/index.js"

declare const client: PostpressClient.Service

const handlers = {
  Unauthorized: (e: PostpressError.Unauthorized) => Effect.succeed(e.type),
  Forbidden: (e: PostpressError.Forbidden) => Effect.succeed(e.type),
  NotFound: (e: PostpressError.NotFound) => Effect.succeed(e.type),
  InternalServerError: (e: PostpressError.InternalServerError) => Effect.succeed(e.type),
  ServiceUnavailable: (e: PostpressError.ServiceUnavailable) => Effect.succeed(e.type),
  GatewayTimeout: (e: PostpressError.GatewayTimeout) => Effect.succeed(e.type),
  TooManyRequests: (e: PostpressError.TooManyRequests) => Effect.succeed(String(e.status)),
  UnexpectedStatus: (e: PostpressError.UnexpectedStatus) => Effect.succeed(String(e.status)),
  MalformedResponse: (e: PostpressError.MalformedResponse) => Effect.succeed(e.reason),
  TransportError: (e: PostpressError.TransportError) => Effect.succeed(e.description),
  RequestTimeout: (e: PostpressError.RequestTimeout) => Effect.succeed(e.scope),
  InvalidRequest: (e: PostpressError.InvalidRequest) => Effect.succeed(e.field)
}

const { NotFound: _, ...withoutNotFound } = handlers

// compile-time only: these functions are never called
export const typeLevel = () => {
  type Fails<A> = Effect.Effect<A, PostpressError.PostpressError>
  expectTypeOf(client.chats.retrieve("c")).toEqualTypeOf<Fails<Chat.ChatWithLastMessage>>()
  expectTypeOf(client.chats.attendees.list("c")).toEqualTypeOf<Fails<ChatAttendee.ChatAttendeeList>>()
  expectTypeOf(client.chats.messages.list("c")).toEqualTypeOf<Fails<Message.MessageList>>()
  expectTypeOf(client.chatAttendees.chats.list("a")).toEqualTypeOf<Fails<Chat.ChatList>>()
  expectTypeOf(client.messages.retrieve("m")).toEqualTypeOf<Fails<Message.Message>>()

  type Streams<A> = Stream.Stream<A, PostpressError.StreamError>
  expectTypeOf(client.chats.messages.stream("c")).toEqualTypeOf<Streams<Message.Message>>()
  expectTypeOf(client.chats.messages.pages("c")).toEqualTypeOf<Streams<Message.MessageList>>()
  expectTypeOf(client.chats.messages.watch("c", { interval: "1 second" })).toEqualTypeOf<
    Stream.Stream<Message.Message, PostpressError.WatchError>
  >()
  expectTypeOf(client.chatAttendees.chats.stream("a")).toEqualTypeOf<Streams<Chat.Chat>>()
  expectTypeOf(client.chatAttendees.chats.pages("a")).toEqualTypeOf<Streams<Chat.ChatList>>()

  const streamExhaustive: Stream.Stream<unknown, never> = client.chats.messages.stream("c").pipe(
    Stream.catchTags({
      ...Object.fromEntries(Object.entries(handlers).map(([tag]) => [tag, () => Stream.empty])) as {
        [K in keyof typeof handlers]: () => Stream.Stream<never>
      },
      RepeatedCursor: () => Stream.empty
    })
  )

  // every error of a stream says where to resume it
  const resumeCursor: Stream.Stream<unknown, never> = client.chats.messages.stream("c").pipe(
    Stream.catch((error) => Stream.succeed(error.resume.cursor ?? "from the start"))
  )

  const exhaustive: Effect.Effect<unknown, never> = client.messages.retrieve("m").pipe(Effect.catchTags(handlers))

  // @ts-expect-error NotFound is left unhandled, so the error channel is not `never`
  const missing: Effect.Effect<unknown, never> = client.messages.retrieve("m").pipe(Effect.catchTags(withoutNotFound))

  const typo = client.messages.retrieve("m").pipe(
    // @ts-expect-error a tag that no endpoint fails with is rejected
    Effect.catchTags({ ...handlers, NotFund: () => Effect.succeed("") })
  )

  // documented types narrow, and one fallback covers the undocumented ones
  const describe404 = (error: PostpressError.NotFound): string => {
    switch (error.type) {
      case "errors/resource_not_found":
        return "gone"
      case "errors/invalid_resource_identifier":
        return "malformed id"
      default:
        return `undocumented: ${error.type satisfies string}`
    }
  }

  return [exhaustive, missing, typo, describe404, streamExhaustive, resumeCursor]
}

describe("exhaustive error handling", () => {
  it("the union has exactly the twelve tags", () => {
    assert.deepStrictEqual(
      PostpressError.PostpressError.members.map((member) => member.fields._tag.schema.literal).sort(),
      Object.keys(handlers).sort()
    )
  })

  it.effect("catchTags with every handler sends each error to its own handler", () =>
    Effect.gen(function*() {
      const envelope = { title: "T" } as const
      // one error of every tag, each with a value only its own handler returns
      const cases: ReadonlyArray<readonly [PostpressError.PostpressError, string]> = [
        [
          new PostpressError.Unauthorized({ ...envelope, type: "errors/expired_credentials", status: 401 }),
          "errors/expired_credentials"
        ],
        [
          new PostpressError.Forbidden({ ...envelope, type: "errors/account_restricted", status: 403 }),
          "errors/account_restricted"
        ],
        [
          new PostpressError.NotFound({ ...envelope, type: "errors/resource_not_found", status: 404 }),
          "errors/resource_not_found"
        ],
        [
          new PostpressError.InternalServerError({ ...envelope, type: "errors/provider_error", status: 500 }),
          "errors/provider_error"
        ],
        [
          new PostpressError.ServiceUnavailable({ ...envelope, type: "errors/no_channel", status: 503 }),
          "errors/no_channel"
        ],
        [
          new PostpressError.GatewayTimeout({ ...envelope, type: "errors/request_timeout", status: 504 }),
          "errors/request_timeout"
        ],
        [new PostpressError.TooManyRequests({ status: 429 }), "429"],
        [new PostpressError.UnexpectedStatus({ status: 418, excerpt: "" }), "418"],
        [new PostpressError.MalformedResponse({ status: 200, reason: "not JSON", excerpt: "" }), "not JSON"],
        [new PostpressError.TransportError({ description: "reset" }), "reset"],
        [new PostpressError.RequestTimeout({ scope: "deadline", timeout: Duration.seconds(1) }), "deadline"],
        [new PostpressError.InvalidRequest({ field: "limit", message: "m" }), "limit"]
      ]
      assert.deepStrictEqual(cases.map(([error]) => error._tag).sort(), Object.keys(handlers).sort())
      // each handler says which it is, so an error that reaches another tag's handler is seen
      const signed = Object.fromEntries(
        Object.entries(handlers).map(([tag, handle]) => [tag, (e: any) => Effect.map(handle(e), (v) => `${tag}: ${v}`)])
      ) as unknown as typeof handlers
      for (const [error, expected] of cases) {
        const handled = yield* Effect.fail(error).pipe(Effect.catchTags(signed))
        assert.strictEqual(handled, `${error.constructor.name}: ${expected}`)
      }
    }))
})
