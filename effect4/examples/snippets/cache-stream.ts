/** README, "Lookups and caching": a cache for one stream. Given: the stream. */
import { type Message, PostpressClient, type PostpressError } from "@postpress/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

declare const stream: Stream.Stream<Message.Message, PostpressError.StreamError, PostpressClient.PostpressClient>

// #region readme
stream.pipe(
  Stream.provideServiceEffect(
    PostpressClient.LookupCache,
    Effect.map(PostpressClient.makeCache({ capacity: 1_000, timeToLive: "10 minutes" }), Option.some)
  )
)
// #endregion readme
