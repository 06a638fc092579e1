import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as util from "node:util"
import { PostpressConfig } from "../src/index.js"

const fromEnv = (env: Record<string, string>, layer = PostpressConfig.layerConfig()) =>
  PostpressConfig.PostpressConfig.pipe(
    Effect.provide(layer),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  )

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
      assert.include(String(missing), "POSTPRESS_API_KEY")
      const bad = yield* Effect.exit(fromEnv({ POSTPRESS_API_KEY: "k", POSTPRESS_BASE_URL: "ftp://x" }))
      assert.isTrue(Exit.isFailure(bad))
      assert.include(String(bad), "http(s) URL")
    }))

  it.effect("a missing key says, in one sentence, which variable to set and how", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(fromEnv({ POSTPRESS_BASE_URL: "https://api.postpress.ai/v1" }))
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isSuccess(exit)) return
      const error = Cause.failureOption(exit.cause)
      assert.isTrue(
        error._tag === "Some" && ConfigError.isConfigError(error.value) && ConfigError.isMissingData(error.value)
      )
      const sentence =
        "POSTPRESS_API_KEY is not set: export POSTPRESS_API_KEY=<your key>, or provide PostpressConfig.layer({ apiKey })"
      if (error._tag === "Some") {
        assert.strictEqual(error.value.message, sentence)
        assert.include(String(error.value), sentence)
      }
      assert.include(Cause.pretty(exit.cause), sentence)
    }))

  it.effect("a missing key under another name or prefix names that variable", () =>
    Effect.gen(function*() {
      const pretty = (exit: Exit.Exit<unknown, unknown>) => Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "success"
      const custom = yield* Effect.exit(
        fromEnv({}, PostpressConfig.layerConfig({ apiKey: Config.redacted("MY_POSTPRESS_KEY") }))
      )
      assert.include(
        pretty(custom),
        "MY_POSTPRESS_KEY is not set: export MY_POSTPRESS_KEY=<your key>, or provide PostpressConfig.layer({ apiKey })"
      )
      const nested = yield* PostpressConfig.PostpressConfig.pipe(
        Effect.provide(PostpressConfig.layerConfig()),
        Effect.withConfigProvider(
          ConfigProvider.fromMap(new Map(), { pathDelim: "_" }).pipe(ConfigProvider.nested("APP"))
        ),
        Effect.exit
      )
      assert.include(pretty(nested), "APP_POSTPRESS_API_KEY is not set: export APP_POSTPRESS_API_KEY=<your key>")
    }))

  it.effect("the layer's type is unchanged: a ConfigError, with the key Redacted", () =>
    Effect.gen(function*() {
      const layer: Layer.Layer<PostpressConfig.PostpressConfig, ConfigError.ConfigError> = PostpressConfig.layerConfig()
      const config = yield* fromEnv({ POSTPRESS_API_KEY: "pp_live_x" }, layer)
      assert.isTrue(Redacted.isRedacted(config.apiKey))
    }))

  it.effect("other Config keys can be given", () =>
    Effect.gen(function*() {
      const config = yield* fromEnv(
        { MY_KEY: "mine" },
        PostpressConfig.layerConfig({
          apiKey: Config.redacted("MY_KEY"),
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
        Exit.isFailure(failed) ? Cause.pretty(failed.cause) : ""
      ]
      for (const text of texts) assert.notInclude(text, secret)
      // and none of that printed nothing: the service is there, with its other fields
      assert.isTrue(texts.some((text) => text.includes("https://api.postpress.ai/api/v1")))
    }))
})
