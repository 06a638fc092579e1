/** README, "Errors": every error by its tag. Given: a client and a message id. */
import type { PostpressClient } from "@postpress/core"

declare const client: PostpressClient.Service
declare const messageId: string

// #region readme
import { Duration, Effect } from "effect"

const text = client.messages.retrieve(messageId).pipe(
  Effect.map((message) => message.text ?? ""),
  Effect.catchTags({
    Unauthorized: (e) => Effect.succeed(e.type === "errors/expired_credentials" ? "reconnect" : "check the key"),
    Forbidden: (e) => Effect.succeed(`not allowed: ${e.title}`),
    NotFound: () => Effect.succeed("no such message"),
    InternalServerError: (e) => Effect.succeed(`postpress failed, request ${e.instance}`),
    ServiceUnavailable: () => Effect.succeed("try again later"),
    GatewayTimeout: () => Effect.succeed("the provider timed out"),
    TooManyRequests: (e) => Effect.succeed(`slow down for ${e.retryAfter ? Duration.format(e.retryAfter) : "a while"}`),
    UnexpectedStatus: (e) => Effect.succeed(`HTTP ${e.status}`),
    MalformedResponse: (e) => Effect.succeed(e.reason),
    TransportError: (e) => Effect.succeed(e.description),
    RequestTimeout: (e) => Effect.succeed(`timed out (${e.scope})`),
    InvalidRequest: (e) => Effect.succeed(`bad ${e.field}`)
  })
) // Effect<string>: remove a handler and the error type is no longer `never`
// #endregion readme

// what the comment says: no error left
export const handled: Effect.Effect<string> = text
