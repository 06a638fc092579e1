/**
 * Every error of a call, handled by tag, shown on faults the simulator injects:
 *
 *   pnpm --filter @postpress/examples errors
 *
 * `Effect.catchTags` is checked by the
 * compiler: remove one handler and `describeMessage` no longer type-checks,
 * because its declared error channel is `never`.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { PostpressClient, PostpressRetry } from "@postpress/core"
import { PostpressSimulator } from "@postpress/simulator"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { pathToFileURL } from "node:url"
import * as Target from "./Target.js"

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
      InternalServerError: (error) =>
        Effect.succeed(`postpress failed (${error.type}); quote ${error.instance ?? error.requestId} to support`),
      ServiceUnavailable: (error) => Effect.succeed(`postpress is unavailable (${error.type}); try again`),
      GatewayTimeout: () => Effect.succeed("the provider timed out; try again"),
      TooManyRequests: (error) =>
        Effect.succeed(`rate limited; retry in ${error.retryAfter ? Duration.format(error.retryAfter) : "a while"}`),
      UnexpectedStatus: (error) => Effect.succeed(`unexpected HTTP ${error.status}`),
      MalformedResponse: (error) => Effect.succeed(`unreadable ${error.status} response: ${error.reason}`),
      TransportError: (error) => Effect.succeed(`network failure: ${error.message}`),
      RequestTimeout: (error) => Effect.succeed(`timed out: ${error.message}`),
      InvalidRequest: (error) => Effect.succeed(`bad input: ${error.message}`)
    })
  )

const Fault = PostpressSimulator.Fault

/** Each scenario: what to inject (on the simulator) and which message id to ask for. */
const scenarios = (target: Target.Target["Type"]) => {
  const existing = Option.match(target.simulator, {
    onNone: () => Option.getOrElse(target.chatId, () => "msg_unknown"),
    onSome: (simulator) => simulator.dataset.messageId(0, 0)
  })
  const ids: ReadonlyArray<readonly [string, string]> = [
    ["a message that exists", existing],
    ["a well-formed id that matches nothing", `msg_${"0".repeat(26)}`],
    ["a malformed id", "not-a-message-id"],
    ["an empty id (rejected before sending)", ""]
  ]
  const faults: ReadonlyArray<readonly [string, PostpressSimulator.Fault]> = [
    ["401 expired credentials", Fault.Error({ status: 401, type: "errors/expired_credentials" })],
    ["403 restricted account", Fault.Error({ status: 403, type: "errors/account_restricted" })],
    ["500 provider error", Fault.Error({ status: 500, type: "errors/provider_error" })],
    ["503 network down", Fault.Error({ status: 503, type: "errors/network_down" })],
    ["504 gateway timeout", Fault.Error({ status: 504 })],
    ["an undocumented 503 type", Fault.Error({ status: 503, type: "errors/brand_new_outage" })],
    ["429 with Retry-After", Fault.TooManyRequests({ retryAfterSeconds: 30 })],
    ["an HTML 502 from a proxy", Fault.BadGateway()],
    ["a connection reset", Fault.ConnectionReset()],
    ["a body cut off half-way", Fault.TruncatedBody()]
  ]
  return { existing, ids, faults }
}

const main = Effect.gen(function*() {
  const target = yield* Target.Target
  yield* Console.log(`Every error of messages.retrieve, handled by tag, on ${target.description}`)
  yield* Console.log(
    `(retries are off here, so each fault reaches the handlers; by default the client rides them out)\n`
  )
  const { existing, faults, ids } = scenarios(target)
  for (const [name, id] of ids) {
    yield* Console.log(`${name.padEnd(40)} → ${yield* describeMessage(id)}`)
  }
  if (Option.isNone(target.simulator)) {
    return yield* Console.log("\n(faults are injected only on the simulator)")
  }
  const simulator = target.simulator.value
  for (const [name, fault] of faults) {
    yield* simulator.setFaults([{ fault, times: 1 }])
    yield* Console.log(`${name.padEnd(40)} → ${yield* describeMessage(existing)}`)
  }
})

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main.pipe(PostpressRetry.withPolicy(PostpressRetry.noRetries), Effect.provide(Target.layer()), NodeRuntime.runMain)
}
