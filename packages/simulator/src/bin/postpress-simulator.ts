#!/usr/bin/env node
/**
 * `postpress-simulator`: serves the postpress simulator on a port.
 *
 *   postpress-simulator --port 4010 --seed 42 --chats 50 --messages 1000
 *   curl -H 'X-API-KEY: pp_test_simulator' http://127.0.0.1:4010/api/v1/chats/<chat id>
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as NodeSimulator from "../NodeSimulator.js"
import * as PostpressSimulator from "../PostpressSimulator.js"

const Fault = PostpressSimulator.Fault

const options = {
  port: Options.integer("port").pipe(
    Options.withDefault(4010),
    Options.withDescription("the port; 0 picks a free one")
  ),
  host: Options.text("host").pipe(Options.withDefault("127.0.0.1"), Options.withDescription("the interface")),
  seed: Options.integer("seed").pipe(Options.withDefault(1), Options.withDescription("the dataset's seed")),
  accounts: Options.integer("accounts").pipe(Options.withDefault(3), Options.withDescription("connected accounts")),
  attendees: Options.integer("attendees").pipe(
    Options.withDefault(12),
    Options.withDescription("attendees per account")
  ),
  chats: Options.integer("chats").pipe(Options.withDefault(24), Options.withDescription("chats")),
  messages: Options.integer("messages").pipe(Options.withDefault(60), Options.withDescription("messages per chat")),
  apiKey: Options.text("api-key").pipe(
    Options.withDefault(PostpressSimulator.defaultApiKey),
    Options.withDescription("the accepted X-API-KEY")
  ),
  faultRate: Options.float("fault-rate").pipe(
    Options.withDefault(0),
    Options.withDescription("the share of requests that fail (503, 500, 504, 429, resets, truncated bodies, HTML 502s)")
  ),
  latency: Options.integer("latency").pipe(
    Options.optional,
    Options.withDescription("milliseconds added to every response")
  ),
  rateLimit: Options.integer("rate-limit").pipe(
    Options.optional,
    Options.withDescription("requests per second per API key before 429")
  )
}

const command = Command.make("postpress-simulator", options, (config) =>
  Effect.gen(function*() {
    const serverOptions: NodeSimulator.Options = {
      port: config.port,
      host: config.host,
      seed: config.seed,
      accounts: config.accounts,
      attendeesPerAccount: config.attendees,
      chats: config.chats,
      messagesPerChat: config.messages,
      apiKeys: [config.apiKey],
      faults: [
        ...Option.match(config.latency, {
          onNone: () => [],
          onSome: (millis) => [{ fault: Fault.Latency({ duration: `${millis} millis` }) }]
        }),
        ...(config.faultRate > 0 ? PostpressSimulator.faultMix(config.faultRate) : [])
      ],
      rateLimit: Option.getOrUndefined(Option.map(config.rateLimit, (requests) => ({ requests, per: "1 second" })))
    }
    yield* Effect.gen(function*() {
      const simulator = yield* PostpressSimulator.PostpressSimulator
      const baseUrl = yield* NodeSimulator.baseUrl
      const { dataset } = simulator
      const chatId = dataset.chatId(0)
      yield* Console.log(
        [
          `postpress simulator listening on ${baseUrl} (also under /v1)`,
          `  X-API-KEY: ${simulator.apiKey}`,
          `  seed ${dataset.seed}: ${dataset.accountCount} accounts, ${dataset.attendeeCount} attendees, ${dataset.chatCount} chats, ${config.messages} messages per chat`,
          `  a chat:      ${chatId}`,
          `  an attendee: ${dataset.attendeeId(dataset.selfOf(0))} (the first account's own)`,
          `  a message:   ${dataset.messageCount(0) > 0 ? dataset.messageId(0, 0) : "(none)"}`,
          ``,
          `  curl -H 'X-API-KEY: ${simulator.apiKey}' ${baseUrl}/chats/${chatId}`
        ].join("\n")
      )
      return yield* Effect.never
    }).pipe(Effect.provide(NodeSimulator.layer(serverOptions)))
  }))

const cli = Command.run(command, { name: "postpress-simulator", version: "0.2.0" })

cli(process.argv).pipe(Effect.provide(NodeContext.layer), NodeRuntime.runMain)
