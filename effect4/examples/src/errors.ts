/**
 * Every error of a call, handled by tag, shown on faults the simulator injects:
 *
 *   pnpm run errors
 *
 * Each line names the tag the call landed in. `Effect.catchTags` is checked
 * by the compiler: remove one handler and `describeMessage` no longer
 * type-checks, because its declared error channel is `never`.
 *
 * Two scenarios use a client of their own: one with a short per-attempt
 * timeout (for `RequestTimeout`), one behind a load balancer that answers
 * 5xx with its own HTML page (for `MalformedResponse`). After the 429, the
 * run waits out its `Retry-After` (2 s), as every call of a client does, and
 * says so.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { PostpressClient, PostpressConfig, PostpressRetry } from "@postpress/core"
import { PostpressSimulator } from "@postpress/simulator"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { pathToFileURL } from "node:url"
import * as Target from "./Target.js"

/** The line of an outcome: the tag the call landed in, then what to tell the user. */
const landed = (error: { readonly _tag: string }, text: string) => Effect.succeed(`${error._tag}: ${text}`)

/** What a user sees for each way `messages.retrieve` can fail, after the tag it landed in. */
export const describeMessage = (messageId: string): Effect.Effect<string, never, PostpressClient.PostpressClient> =>
  Effect.gen(function*() {
    const client = yield* PostpressClient.PostpressClient
    const message = yield* client.messages.retrieve(messageId)
    return `found: ${message.id}: ${message.text ?? "(no text)"}`
  }).pipe(
    Effect.catchTags({
      Unauthorized: (error) =>
        landed(
          error,
          error.type === "errors/expired_credentials"
            ? "the account's credentials expired: reconnect it"
            : `check POSTPRESS_API_KEY (${error.type})`
        ),
      Forbidden: (error) => landed(error, `not allowed: ${error.detail ?? error.title}`),
      NotFound: (error) =>
        landed(
          error,
          error.type === "errors/invalid_resource_identifier" ? `${messageId} is not a message id` : "no such message"
        ),
      InternalServerError: (error) =>
        landed(error, `postpress failed (${error.type}); quote ${error.instance ?? error.requestId} to support`),
      ServiceUnavailable: (error) => landed(error, `postpress is unavailable (${error.type}); try again`),
      GatewayTimeout: (error) => landed(error, "the provider timed out; try again"),
      TooManyRequests: (error) =>
        landed(error, `rate limited; retry in ${error.retryAfter ? Duration.format(error.retryAfter) : "a while"}`),
      UnexpectedStatus: (error) => landed(error, `unexpected HTTP ${error.status}`),
      MalformedResponse: (error) => landed(error, `unreadable ${error.status} response: ${error.reason}`),
      TransportError: (error) => landed(error, `network failure: ${error.message}`),
      RequestTimeout: (error) => landed(error, `timed out: ${error.message}`),
      InvalidRequest: (error) => landed(error, `bad input: ${error.message}`)
    })
  )

const Fault = PostpressSimulator.Fault

/** The `Retry-After` of the 429 scenario: short, so the pause it starts is over in a moment. */
const retryAfterSeconds = 2

/** The per-attempt timeout of the `RequestTimeout` scenario's client, and the latency it does not wait out. */
const attemptTimeout = Duration.millis(200)
const latency = Duration.seconds(1)

/**
 * A load balancer in front of the API that answers its upstream's 5xx with an
 * HTML page of its own (as nginx with `proxy_intercept_errors`, or a cloud
 * load balancer with no healthy target, does).
 */
const behindLoadBalancer = (upstream: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transformResponse(
    upstream,
    Effect.map((response) =>
      response.status < 500 ? response : HttpClientResponse.fromWeb(
        response.request,
        new Response(`<html><body><h1>${response.status} Service Temporarily Unavailable</h1></body></html>`, {
          status: response.status,
          headers: { "content-type": "text/html" }
        })
      )
    )
  )

/**
 * Another client of the same simulator, with settings and a transport of its
 * own. `Layer.fresh`: Effect 4 shares what a layer built between nested
 * `Effect.provide`s, so without it `PostpressClient.layer`, already built for
 * the example's own client, would give that client again.
 */
const clientOf = (
  simulator: PostpressSimulator.Service,
  options: PostpressConfig.ResilienceOptions & { readonly httpClient?: HttpClient.HttpClient }
): Layer.Layer<PostpressClient.PostpressClient> =>
  Layer.fresh(PostpressClient.layer).pipe(
    Layer.provide(
      PostpressConfig.layer({
        ...options,
        apiKey: Redacted.make(simulator.apiKey),
        baseUrl: PostpressSimulator.inProcessBaseUrl
      })
    ),
    Layer.provide(
      Layer.succeed(HttpClient.HttpClient, options.httpClient ?? PostpressSimulator.makeHttpClient(simulator))
    )
  )

/** A fault to inject once, and the client to ask with (the example's own, unless given). */
interface FaultScenario {
  readonly name: string
  readonly fault: PostpressSimulator.Fault
  readonly client?: (simulator: PostpressSimulator.Service) => Layer.Layer<PostpressClient.PostpressClient>
  /** Printed after the outcome. */
  readonly then?: string
}

/** Each scenario: what to inject (on the simulator) and which message id to ask for. */
const scenarios = (target: Target.Target["Service"]) => {
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
  const faults: ReadonlyArray<FaultScenario> = [
    { name: "401 expired credentials", fault: Fault.Error({ status: 401, type: "errors/expired_credentials" }) },
    { name: "403 restricted account", fault: Fault.Error({ status: 403, type: "errors/account_restricted" }) },
    { name: "500 provider error", fault: Fault.Error({ status: 500, type: "errors/provider_error" }) },
    { name: "503 network down", fault: Fault.Error({ status: 503, type: "errors/network_down" }) },
    { name: "504 gateway timeout", fault: Fault.Error({ status: 504 }) },
    { name: "an undocumented 503 type", fault: Fault.Error({ status: 503, type: "errors/brand_new_outage" }) },
    {
      name: `429 with Retry-After: ${retryAfterSeconds}`,
      fault: Fault.TooManyRequests({ retryAfterSeconds }),
      then: `  waiting ${retryAfterSeconds}s: the client holds every call until the Retry-After is over`
    },
    { name: "an HTML 502 from a proxy", fault: Fault.BadGateway() },
    {
      name: "an HTML 503 from a load balancer",
      fault: Fault.Error({ status: 503 }),
      client: (simulator) =>
        clientOf(simulator, { httpClient: behindLoadBalancer(PostpressSimulator.makeHttpClient(simulator)) })
    },
    { name: "a connection reset", fault: Fault.ConnectionReset() },
    { name: "a body cut off half-way", fault: Fault.TruncatedBody() },
    {
      name: `no answer within ${Duration.format(attemptTimeout)}`,
      fault: Fault.Latency({ duration: latency }),
      client: (simulator) => clientOf(simulator, { attemptTimeout })
    }
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
  for (const scenario of faults) {
    yield* simulator.setFaults([{ fault: scenario.fault, times: 1 }])
    const outcome = scenario.client === undefined
      ? describeMessage(existing)
      : Effect.provide(describeMessage(existing), scenario.client(simulator))
    yield* Console.log(`${scenario.name.padEnd(40)} → ${yield* outcome}`)
    if (scenario.then !== undefined) yield* Console.log(scenario.then)
  }
})

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main.pipe(PostpressRetry.withPolicy(PostpressRetry.noRetries), Effect.provide(Target.layer()), NodeRuntime.runMain)
}
