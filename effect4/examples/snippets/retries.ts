/** README, "Retries": the policies, per client, per call, per region, per stream. Given: the values they act on. */
import type { Message, PostpressClient } from "@postpress/core"
import type * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"

declare const apiKey: Redacted.Redacted
declare const client: PostpressClient.Service
declare const id: string
declare const nightlySync: Effect.Effect<void, PostpressError.PostpressError, PostpressClient.PostpressClient>
declare const patientPolicy: PostpressRetry.Policy
declare const policy: PostpressRetry.Policy
declare const stream: Stream.Stream<Message.Message, PostpressError.StreamError, PostpressClient.PostpressClient>

// #region readme
import { PostpressConfig, type PostpressError, PostpressRetry } from "@postpress/core"
import { Option, Schedule, Stream } from "effect"

PostpressConfig.layer({
  apiKey,
  retryPolicy: PostpressRetry.policy({ maxRetries: 8, maxDelay: "30 seconds" }), // or any Schedule<unknown, PostpressError>
  streamRetryPolicy: PostpressRetry.policy({ maxRetries: 20 }), // each page of a stream
  retryBudget: false, // no budget
  retryAfterCap: "5 minutes",
  attemptTimeout: "10 seconds",
  timeout: "5 minutes",
  rateLimit: { limit: 20, interval: "1 second" } // a token bucket, shared by every call of the client
})

client.messages.retrieve(id).pipe(PostpressRetry.withPolicy(PostpressRetry.noRetries)) // one call
nightlySync.pipe(PostpressRetry.withPolicy(patientPolicy)) // a region
stream.pipe(Stream.provideService(PostpressRetry.CurrentPolicy, Option.some(policy))) // a stream

// any Schedule fed with the failures is a policy: every second, 3 times, transient failures only
const steady: PostpressRetry.Policy = Schedule.spaced("1 second").pipe(
  Schedule.upTo({ times: 3 }),
  Schedule.setInputType<PostpressError.PostpressError>(),
  Schedule.while(({ input }) => PostpressRetry.isTransient(input))
)
// #endregion readme

export { steady }
