import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as util from "node:util"
import { PostpressConfig, PostpressRetry } from "../src/index.js"

const withProvider = (provider: ConfigProvider.ConfigProvider, layer = PostpressConfig.layerConfig()) =>
  Effect.provide(PostpressConfig.PostpressConfig, layer).pipe(
    Effect.provideService(ConfigProvider.ConfigProvider, provider)
  )

const fromEnv = (env: Record<string, string>, layer = PostpressConfig.layerConfig()) =>
  withProvider(ConfigProvider.fromEnv({ env }), layer)

const pretty = (exit: Exit.Exit<unknown, unknown>) => Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "success"

describe("PostpressConfig", () => {
  it.effect("reads POSTPRESS_API_KEY and defaults the base URL to the reference's", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv({ POSTPRESS_API_KEY: "pp_live_x" })
      assert.strictEqual(Redacted.value(config.apiKey), "pp_live_x")
      assert.strictEqual(config.baseUrl, "https://api.postpress.ai/api/v1")
      assert.strictEqual(config.baseUrl, PostpressConfig.defaultBaseUrl)
    }))

  it.effect("POSTPRESS_BASE_URL switches the base URL; trailing slashes are dropped", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv({ POSTPRESS_API_KEY: "k", POSTPRESS_BASE_URL: "https://api.postpress.ai/v1/" })
      assert.strictEqual(config.baseUrl, "https://api.postpress.ai/v1")
    }))

  it.effect("a missing key or a base URL that is not http(s) fails with a ConfigError", () =>
    Effect.gen(function*() {
      const missing = yield* Effect.exit(fromEnv({}))
      assert.isTrue(Exit.isFailure(missing))
      assert.include(pretty(missing), "POSTPRESS_API_KEY")
      const bad = yield* Effect.exit(fromEnv({ POSTPRESS_API_KEY: "k", POSTPRESS_BASE_URL: "ftp://x" }))
      assert.isTrue(Exit.isFailure(bad))
      assert.include(pretty(bad), "http(s) URL")
      assert.include(pretty(bad), "POSTPRESS_BASE_URL")
    }))

  it.effect("a missing key says, in one sentence, which variable to set and how", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(fromEnv({ POSTPRESS_BASE_URL: "https://api.postpress.ai/v1" }))
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isSuccess(exit)) return
      const error = Cause.findErrorOption(exit.cause)
      const sentence =
        "POSTPRESS_API_KEY is not set: export POSTPRESS_API_KEY=<your key>, or provide PostpressConfig.layer({ apiKey })"
      // still a ConfigError over a SchemaError: a missing key at the config's path
      assert.isTrue(Option.isSome(error) && error.value instanceof Config.ConfigError)
      if (Option.isNone(error)) return
      const cause = error.value.cause
      assert.isTrue(Schema.isSchemaError(cause))
      if (!Schema.isSchemaError(cause)) return
      assert.strictEqual(cause.issue._tag, "Pointer")
      if (cause.issue._tag !== "Pointer") return
      assert.deepStrictEqual(cause.issue.path, ["POSTPRESS_API_KEY"])
      assert.strictEqual(cause.issue.issue._tag, "MissingKey")
      // Effect 4 writes a ConfigError's message as `SchemaError(<issue>\n  at <path>)`
      assert.include(error.value.message, sentence)
      assert.include(String(error.value), sentence)
      assert.include(Cause.pretty(exit.cause), sentence)
    }))

  it.effect("a missing key under another name or prefix names that variable", () =>
    Effect.gen(function*() {
      const custom = yield* Effect.exit(
        fromEnv({}, PostpressConfig.layerConfig({ apiKey: Config.Redacted("MY_POSTPRESS_KEY") }))
      )
      assert.include(
        pretty(custom),
        "MY_POSTPRESS_KEY is not set: export MY_POSTPRESS_KEY=<your key>, or provide PostpressConfig.layer({ apiKey })"
      )
      // a prefix of the provider
      const nested = yield* Effect.exit(
        withProvider(ConfigProvider.fromEnv({ env: {} }).pipe(ConfigProvider.nested("APP")))
      )
      assert.include(pretty(nested), "APP_POSTPRESS_API_KEY is not set: export APP_POSTPRESS_API_KEY=<your key>")
      // a prefix of the config
      const configNested = yield* Effect.exit(
        fromEnv({}, PostpressConfig.layerConfig({ apiKey: Config.Redacted("KEY").pipe(Config.nested("POSTPRESS")) }))
      )
      assert.include(pretty(configNested), "POSTPRESS_KEY is not set: export POSTPRESS_KEY=<your key>")
      // both: the provider's prefix before the config's
      const both = yield* Effect.exit(
        withProvider(
          ConfigProvider.fromEnv({ env: {} }).pipe(ConfigProvider.nested("APP")),
          PostpressConfig.layerConfig({ apiKey: Config.Redacted("KEY").pipe(Config.nested("POSTPRESS")) })
        )
      )
      assert.include(pretty(both), "APP_POSTPRESS_KEY is not set: export APP_POSTPRESS_KEY=<your key>")
    }))

  it.effect("every trailing slash of a base URL is dropped, read or given", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv({ POSTPRESS_API_KEY: "k", POSTPRESS_BASE_URL: "https://api.postpress.ai/v1//" })
      assert.strictEqual(config.baseUrl, "https://api.postpress.ai/v1")
      const made = PostpressConfig.make({ apiKey: Redacted.make("k"), baseUrl: "http://localhost:1///" })
      assert.strictEqual(made.baseUrl, "http://localhost:1")
    }))

  it.effect("a base URL whose scheme only ends in http or https is refused", () =>
    Effect.gen(function*() {
      for (const url of ["git+https://api.postpress.ai/v1", "xhttp://api.postpress.ai/v1"]) {
        const exit = yield* Effect.exit(fromEnv({ POSTPRESS_API_KEY: "k", POSTPRESS_BASE_URL: url }))
        assert.isTrue(Exit.isFailure(exit), url)
        assert.include(pretty(exit), "http(s) URL")
      }
    }))

  it.effect("retryBudget: false leaves the configuration without a budget", () =>
    Effect.sync(() => {
      const apiKey = Redacted.make("k")
      assert.isUndefined(PostpressConfig.make({ apiKey, retryBudget: false }).retryBudget)
      assert.deepStrictEqual(PostpressConfig.make({ apiKey }).retryBudget, PostpressRetry.defaultBudget)
    }))

  it.effect("a key read from several variables explains every missing variable its error names", () =>
    Effect.gen(function*() {
      const sentence = (variable: string) =>
        `${variable} is not set: export ${variable}=<your key>, or provide PostpressConfig.layer({ apiKey })`
      // Effect 4's Config stops at the first variable missing from a group, and an orElse fails with its last
      // alternative's error: one variable is named (Effect 3's ConfigError has an And / an Or of both)
      const both = yield* Effect.exit(fromEnv(
        {},
        PostpressConfig.layerConfig({
          apiKey: Config.all([Config.Redacted("KEY_ID"), Config.Redacted("KEY_SECRET")]).pipe(
            Config.map(([id, secret]) => Redacted.make(`${Redacted.value(id)}.${Redacted.value(secret)}`))
          )
        })
      ))
      assert.include(pretty(both), sentence("KEY_ID"))
      const either = yield* Effect.exit(fromEnv(
        {},
        PostpressConfig.layerConfig({
          apiKey: Config.Redacted("POSTPRESS_KEY").pipe(Config.orElse(() => Config.Redacted("LEGACY_KEY")))
        })
      ))
      assert.include(pretty(either), sentence("LEGACY_KEY"))
    }))

  it.effect("a key that is there but invalid, or a failure with no variable to name, keeps its own message", () =>
    Effect.gen(function*() {
      const invalid = yield* Effect.exit(fromEnv(
        { KEY_NUMBER: "not a number" },
        PostpressConfig.layerConfig({
          apiKey: Config.Int("KEY_NUMBER").pipe(Config.map((n) => Redacted.make(String(n))))
        })
      ))
      assert.isTrue(Exit.isFailure(invalid))
      assert.notInclude(pretty(invalid), "is not set")
      assert.include(pretty(invalid), "KEY_NUMBER")
      const failed = yield* Effect.exit(fromEnv(
        {},
        PostpressConfig.layerConfig({
          apiKey: Config.fail(
            new ConfigProvider.SourceError({ message: "the key comes from the vault, which is sealed" })
          )
        })
      ))
      assert.isTrue(Exit.isFailure(failed))
      assert.include(pretty(failed), "the key comes from the vault, which is sealed")
      assert.notInclude(pretty(failed), "is not set")
      // a config with no name fails missing at no path: there is no variable to name, and its error stays as it is
      const unnamed = yield* Effect.exit(fromEnv({}, PostpressConfig.layerConfig({ apiKey: Config.Redacted() })))
      assert.isTrue(Exit.isFailure(unnamed) && Cause.hasFails(unnamed.cause) && !Cause.hasDies(unnamed.cause))
      assert.notInclude(pretty(unnamed), "is not set")
    }))

  it.effect("the layer's type is unchanged: a ConfigError, with the key Redacted", () =>
    Effect.gen(function*() {
      const layer: Layer.Layer<PostpressConfig.PostpressConfig, Config.ConfigError> = PostpressConfig.layerConfig()
      const config = yield* fromEnv({ POSTPRESS_API_KEY: "pp_live_x" }, layer)
      assert.isTrue(Redacted.isRedacted(config.apiKey))
    }))

  it.effect("other Config keys can be given", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv(
        { MY_KEY: "mine" },
        PostpressConfig.layerConfig({
          apiKey: Config.Redacted("MY_KEY"),
          baseUrl: Config.succeed("http://localhost:1")
        })
      )
      assert.strictEqual(Redacted.value(config.apiKey), "mine")
      assert.strictEqual(config.baseUrl, "http://localhost:1")
    }))

  it.effect("the key does not print: not from the config read from the environment, nor from its errors", () =>
    Effect.gen(function*() {
      const secret = "pp_live_secret_4711"
      const printed = (value: unknown) => [
        String(value),
        JSON.stringify(value),
        util.inspect(value, { depth: 20, showHidden: true, getters: true })
      ]
      // read as an application reads it, and built by hand
      const read = yield* fromEnv({ POSTPRESS_API_KEY: secret })
      const made = PostpressConfig.make({ apiKey: Redacted.make(secret) })
      assert.strictEqual(Redacted.value(read.apiKey), secret)
      // a configuration that fails for another reason (the base URL) while the key is there
      const failed = yield* Effect.exit(fromEnv({ POSTPRESS_API_KEY: secret, POSTPRESS_BASE_URL: "ftp://x" }))
      assert.isTrue(Exit.isFailure(failed))
      const texts = [
        ...printed(read),
        ...printed(made),
        ...printed(read.apiKey),
        ...printed(failed),
        pretty(failed)
      ]
      for (const text of texts) assert.notInclude(text, secret)
      // and none of that printed nothing: the service is there, with its other fields
      assert.isTrue(texts.some((text) => text.includes("https://api.postpress.ai/api/v1")))
    }))
})
