/**
 * Every error of a call, handled by tag. `Effect.catchTags` is checked by the
 * compiler: remove one handler and `describeMessage` no longer type-checks,
 * because its declared error channel is `never`.
 */
import { PostpressClient } from "@postpress/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

/** What a user sees for each way `messages.retrieve` can fail. */
export const describeMessage = (messageId: string): Effect.Effect<string, never, PostpressClient.PostpressClient> =>
  Effect.gen(function*() {
    const client = yield* PostpressClient.PostpressClient
    const message = yield* client.messages.retrieve(messageId)
    return `${message.id}: ${message.text ?? "(no text)"}`
  }).pipe(
    Effect.catchTags({
      Unauthorized: (error) =>
        Effect.succeed(
          error.type === "errors/expired_credentials"
            ? "the account's credentials expired: reconnect it"
            : `check POSTPRESS_API_KEY (${error.type})`
        ),
      Forbidden: (error) => Effect.succeed(`not allowed: ${error.detail ?? error.title}`),
      NotFound: (error) =>
        Effect.succeed(
          error.type === "errors/invalid_resource_identifier" ? `${messageId} is not a message id` : "no such message"
        ),
      InternalServerError: (error) => Effect.succeed(`postpress failed (${error.type}), request ${error.instance}`),
      ServiceUnavailable: (error) => Effect.succeed(`postpress is unavailable (${error.type}); try again`),
      GatewayTimeout: () => Effect.succeed("the provider timed out; try again"),
      TooManyRequests: (error) =>
        Effect.succeed(`rate limited; retry in ${error.retryAfter ? Duration.format(error.retryAfter) : "a while"}`),
      UnexpectedStatus: (error) => Effect.succeed(`unexpected HTTP ${error.status}`),
      MalformedResponse: (error) => Effect.succeed(`unreadable ${error.status} response: ${error.reason}`),
      TransportError: (error) => Effect.succeed(`network failure: ${error.message}`),
      InvalidRequest: (error) => Effect.succeed(`bad input ${error.field}: ${error.message}`)
    })
  )
