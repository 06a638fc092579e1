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
import { PostpressConfig, PostpressRetry } from "../src/index.js"

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
        assert.include(String(exit), "http(s) URL")
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
      const failure = (exit: Exit.Exit<unknown, ConfigError.ConfigError>) => {
        assert.isTrue(Exit.isFailure(exit))
        const error = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : undefined
        assert.isTrue(error?._tag === "Some" && ConfigError.isConfigError(error.value))
        return error?._tag === "Some" ? error.value : undefined
      }
      // both parts of a key made of two variables
      const both = failure(
        yield* Effect.exit(fromEnv(
          {},
          PostpressConfig.layerConfig({
            apiKey: Config.zipWith(
              Config.redacted("KEY_ID"),
              Config.redacted("KEY_SECRET"),
              (id, secret) => Redacted.make(`${Redacted.value(id)}.${Redacted.value(secret)}`)
            )
          })
        ))
      )
      assert.isTrue(both !== undefined && ConfigError.isAnd(both), both?._op)
      if (both !== undefined && ConfigError.isAnd(both)) {
        assert.strictEqual(both.left.message, sentence("KEY_ID"))
        assert.strictEqual(both.right.message, sentence("KEY_SECRET"))
      }
      // either of two names
      const either = failure(
        yield* Effect.exit(fromEnv(
          {},
          PostpressConfig.layerConfig({
            apiKey: Config.redacted("POSTPRESS_KEY").pipe(Config.orElse(() => Config.redacted("LEGACY_KEY")))
          })
        ))
      )
      assert.isTrue(either !== undefined && ConfigError.isOr(either), either?._op)
      if (either !== undefined && ConfigError.isOr(either)) {
        assert.strictEqual(either.left.message, sentence("POSTPRESS_KEY"))
        assert.strictEqual(either.right.message, sentence("LEGACY_KEY"))
      }
    }))

  it.effect("a key that is there but invalid, or a failure with no variable to name, keeps its own message", () =>
    Effect.gen(function*() {
      const invalid = yield* Effect.exit(fromEnv(
        { KEY_NUMBER: "not a number" },
        PostpressConfig.layerConfig({
          apiKey: Config.map(Config.integer("KEY_NUMBER"), (n) => Redacted.make(String(n)))
        })
      ))
      const invalidError = Exit.isFailure(invalid) ? Cause.failureOption(invalid.cause) : undefined
      assert.isTrue(
        invalidError?._tag === "Some" && ConfigError.isConfigError(invalidError.value) &&
          ConfigError.isInvalidData(invalidError.value),
        String(invalid)
      )
      assert.notInclude(String(invalid), "is not set")
      const failed = yield* Effect.exit(
        fromEnv(
          {},
          PostpressConfig.layerConfig({ apiKey: Config.fail("the key comes from the vault, which is sealed") })
        )
      )
      const failedError = Exit.isFailure(failed) ? Cause.failureOption(failed.cause) : undefined
      assert.isTrue(
        failedError?._tag === "Some" && ConfigError.isConfigError(failedError.value) &&
          ConfigError.isMissingData(failedError.value),
        String(failed)
      )
      if (failedError?._tag === "Some") {
        assert.strictEqual(failedError.value.message, "the key comes from the vault, which is sealed")
      }
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
