import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert } from "@effect/vitest"
import { PostpressSimulator } from "@postpress/simulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { PostpressClient, PostpressConfig, PostpressRetry } from "../src/index.js"

/** The API key the tests use; no rendered error may contain it. */
export const API_KEY = "pp_test_S3CRET_never_print_me"

/** The base URL the tests use. */
export const BASE_URL = "https://api.test.postpress.ai/api/v1"

/** Client settings that map each call to exactly one response: no retries, no shared `Retry-After` pause. */
export const raw: PostpressConfig.ResilienceOptions = {
  retryPolicy: PostpressRetry.noRetries,
  streamRetryPolicy: PostpressRetry.noRetries,
  retryAfterCap: 0
}

/**
 * Asserts that, for every page n but the last of `total`, the event `${next} n+1`
 * comes before `${consume} n` in `events` (the next page is asked for before a
 * page is handed on).
 */
export const assertNextBeforeConsumed = (
  events: ReadonlyArray<string>,
  next: string,
  consume: string,
  total: number
): void => {
  for (let n = 0; n + 1 < total; n++) {
    assert.isBelow(events.indexOf(`${next} ${n + 1}`), events.indexOf(`${consume} ${n}`), events.join(", "))
  }
}

/** A request the stub received. */
export interface Received {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly url: URL
}

/** What the stub answers: a web `Response`, or an `HttpClientError` for transport failures. */
export type Answer = Response | HttpClientError.HttpClientError

/**
 * An in-memory `HttpClient` (no sockets) that records every request and
 * answers with `respond`, wired into a `PostpressClient` — by default {@link raw}.
 */
export const stub = (
  respond: (received: Received) => Answer | Effect.Effect<Answer>,
  options: PostpressConfig.ResilienceOptions = raw,
  /** What the program does to the `HttpClient` before it gives it to the SDK. */
  wrap: (client: HttpClient.HttpClient) => HttpClient.HttpClient = (client) => client
) => {
  const received: Array<Received> = []
  const httpClient = HttpClient.make((request, url) =>
    Effect.suspend(() => {
      received.push({ request, url })
      const answer = respond({ request, url })
      return Effect.isEffect(answer) ? answer : Effect.succeed(answer)
    }).pipe(
      Effect.flatMap((answer) =>
        answer instanceof Response
          ? Effect.succeed(HttpClientResponse.fromWeb(request, answer))
          : Effect.fail(answer)
      )
    )
  )
  const layer = PostpressClient.layer.pipe(
    Layer.provide(PostpressConfig.layer({ ...options, apiKey: Redacted.make(API_KEY), baseUrl: BASE_URL })),
    Layer.provide(Layer.succeed(HttpClient.HttpClient, wrap(httpClient)))
  )
  return { received, layer }
}

/** A JSON response. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })

/** A transport failure, as the platform's clients report a reset connection. */
export const connectionReset = (request: HttpClientRequest.HttpClientRequest) =>
  new HttpClientError.RequestError({
    request,
    reason: "Transport",
    cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })
  })

/** Runs `f` with the client. */
export const withClient = <A, E, R>(f: (client: PostpressClient.Service) => Effect.Effect<A, E, R>) =>
  Effect.flatMap(PostpressClient.PostpressClient, f)

/** Runs `f` with a client wired to an in-process simulator (by default {@link raw}). */
export const onSimulator = <A, E>(
  options: PostpressSimulator.Options,
  f: (
    client: PostpressClient.Service,
    simulator: PostpressSimulator.Service
  ) => Effect.Effect<A, E, PostpressClient.PostpressClient | PostpressSimulator.PostpressSimulator>,
  client: PostpressConfig.ResilienceOptions = raw
) =>
  Effect.gen(function*() {
    const service = yield* PostpressClient.PostpressClient
    const simulator = yield* PostpressSimulator.PostpressSimulator
    return yield* f(service, simulator)
  }).pipe(Effect.provide(PostpressSimulator.layerClient(options, client)))
