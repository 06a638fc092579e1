/**
 * Where the examples run: the real postpress API when `POSTPRESS_API_KEY` is
 * set (and `POSTPRESS_BASE_URL`, if given), otherwise an embedded, seeded
 * simulator — so every example runs on a fresh machine with no account.
 */
import type { PostpressClient } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import { PostpressSimulator } from "@postpress/simulator"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"

/** What the examples know of their target. */
export class Target extends Context.Service<Target, {
  /** A line saying where requests go. */
  readonly description: string
  /** An attendee to start from: `POSTPRESS_ATTENDEE_ID`, or the simulator's first account's own. */
  readonly attendeeId: Option.Option<string>
  /** A chat to start from: `POSTPRESS_CHAT_ID`, or the simulator's first chat. */
  readonly chatId: Option.Option<string>
  /** The simulator, when the examples run on it (to inject faults). */
  readonly simulator: Option.Option<PostpressSimulator.Service>
}>()("examples/Target") {}

/**
 * The dataset the examples' simulator serves: seed 2026, 3 accounts, 90 chats
 * of 5,000 messages; `POSTPRESS_SIMULATOR_SEED`, `POSTPRESS_SIMULATOR_CHATS`
 * and `POSTPRESS_SIMULATOR_MESSAGES` (per chat) change it.
 */
const simulatorOptions = Config.all({
  seed: Config.Int("POSTPRESS_SIMULATOR_SEED").pipe(Config.withDefault(2026)),
  chats: Config.Int("POSTPRESS_SIMULATOR_CHATS").pipe(Config.withDefault(90)),
  messagesPerChat: Config.Int("POSTPRESS_SIMULATOR_MESSAGES").pipe(Config.withDefault(5_000))
})

const fromEnv = Config.all({
  attendeeId: Config.option(Config.String("POSTPRESS_ATTENDEE_ID")),
  chatId: Config.option(Config.String("POSTPRESS_CHAT_ID"))
})

/** The client and the {@link Target}: the real API or the simulator (`overrides` adjust the simulator). */
export const layer = (
  overrides: Partial<PostpressSimulator.Options> = {}
): Layer.Layer<PostpressClient.PostpressClient | Target, Config.ConfigError> =>
  Layer.unwrap(
    Effect.gen(function*() {
      const apiKey = yield* Config.option(Config.Redacted("POSTPRESS_API_KEY"))
      const env = yield* fromEnv
      if (Option.isSome(apiKey)) {
        const baseUrl = yield* Config.String("POSTPRESS_BASE_URL").pipe(Config.withDefault("the default base URL"))
        return Layer.merge(
          NodePostpress.layerConfig(),
          Layer.succeed(Target, {
            description: `the postpress API (${baseUrl})`,
            ...env,
            simulator: Option.none()
          })
        )
      }
      const TargetLive = Layer.effect(
        Target,
        PostpressSimulator.PostpressSimulator.useSync((simulator) => ({
          description:
            `the embedded postpress simulator (seed ${simulator.dataset.seed}; set POSTPRESS_API_KEY for the real API)`,
          attendeeId: Option.orElse(
            env.attendeeId,
            () => Option.some(simulator.dataset.attendeeId(simulator.dataset.selfOf(0)))
          ),
          chatId: Option.orElse(env.chatId, () => Option.some(simulator.dataset.chatId(0))),
          simulator: Option.some(simulator)
        }))
      )
      const options = yield* simulatorOptions
      return TargetLive.pipe(
        Layer.provideMerge(PostpressSimulator.layerClient({ accounts: 3, ...options, ...overrides }))
      )
    })
  )

/** The value of an option, or a clear failure naming the variable to set. */
export const required = (value: Option.Option<string>, variable: string): Effect.Effect<string, Error> =>
  Option.match(value, {
    onNone: () => Effect.fail(new Error(`Set ${variable} to run this example against the real API`)),
    onSome: Effect.succeed
  })
