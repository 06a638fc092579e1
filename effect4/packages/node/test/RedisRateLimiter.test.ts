import { assert, describe, it } from "@effect/vitest"
import { PostpressClient, PostpressRetry } from "@postpress/core"
import { NodeSimulator, PostpressSimulator } from "@postpress/simulator"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import * as ChildProcess from "node:child_process"
import * as Net from "node:net"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { NodePostpress } from "../src/index.js"
import * as RedisRateLimiter from "../src/RedisRateLimiter.js"

const hasRedis = ChildProcess.spawnSync("redis-server", ["--version"]).status === 0
const worker = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "fixtures/redis-worker.ts")

const freePort = Effect.callback<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as Net.AddressInfo).port
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** A redis-server on `port` (loopback), stopped with the scope. */
const redisServerOn = (port: number) =>
  Effect.acquireRelease(
    Effect.callback<ChildProcess.ChildProcess>((resume) => {
      const child = ChildProcess.spawn("redis-server", [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no"
      ])
      child.stdout!.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("Ready to accept connections")) resume(Effect.succeed(child))
      })
    }).pipe(Effect.timeout("10 seconds"), Effect.orDie),
    (child) =>
      Effect.callback<void>((resume) => {
        if (child.exitCode !== null) return resume(Effect.void)
        child.once("exit", () => resume(Effect.void))
        child.kill()
      })
  )

/** A throwaway redis-server on a free loopback port, stopped with the scope; its port. */
const redisServer = Effect.flatMap(freePort, (port) => Effect.as(redisServerOn(port), port))

const run = (env: Record<string, string>) =>
  Effect.callback<void, Error>((resume) => {
    const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", worker], {
      cwd: Path.resolve(Path.dirname(worker), "../.."),
      env: { ...process.env, ...env },
      stdio: ["ignore", "inherit", "pipe"]
    })
    let stderr = ""
    child.stderr!.on("data", (chunk) => (stderr += chunk))
    child.on("exit", (code) => resume(code === 0 ? Effect.void : Effect.fail(new Error(`worker failed: ${stderr}`))))
  })

describe.skipIf(!hasRedis)("RedisRateLimiter across processes", () => {
  it.live("three processes sharing one key stay together under the limit", () =>
    Effect.gen(function*() {
      const redisPort = yield* redisServer
      const context = yield* Layer.build(NodeSimulator.layer({ port: 0 }))
      const simulator = Context.get(context, PostpressSimulator.PostpressSimulator)
      const baseUrl = yield* NodeSimulator.baseUrl.pipe(Effect.provide(context))
      const limit = 10
      const perWorker = 15
      const env = {
        BASE_URL: baseUrl,
        API_KEY: simulator.apiKey,
        REDIS_PORT: String(redisPort),
        LIMIT: String(limit),
        KEY: `test-${Date.now()}`,
        REQUESTS: String(perWorker),
        // distinct ids: equal lookups in flight would share one request
        MESSAGE_IDS: Array.from({ length: perWorker }, (_, i) => simulator.dataset.messageId(0, i)).join(",")
      }
      yield* Effect.all([run(env), run(env), run(env)], { concurrency: "unbounded" })

      const times = (yield* simulator.requests).map((request) => request.at).sort((a, b) => a - b)
      assert.strictEqual(times.length, 3 * perWorker)
      // a token bucket of `limit` per second: any stretch of requests fits `limit` plus what refills meanwhile
      // (with 500 ms of slack: requests granted apart can reach the server together on a loaded machine)
      for (let i = 0; i < times.length; i++) {
        for (let j = i; j < times.length; j++) {
          const allowed = limit + (limit * (times[j]! - times[i]! + 500)) / 1000 + 1
          assert.isAtMost(j - i + 1, allowed, `requests ${i}..${j} within ${times[j]! - times[i]!} ms`)
        }
      }
      // and so 45 requests at 10/s after a burst of 10 take about 3.5 s in all
      assert.isAtLeast(times[times.length - 1]! - times[0]!, 3000)
    }), 60_000)
})

describe.skipIf(!hasRedis)("RedisRateLimiter without Redis", () => {
  /** A client limited to 2 requests a second by a Redis budget at `port`. */
  const limitedAt = (port: number) =>
    Effect.gen(function*() {
      const context = yield* Layer.build(NodeSimulator.layer({ port: 0 }))
      const simulator = Context.get(context, PostpressSimulator.PostpressSimulator)
      const baseUrl = yield* NodeSimulator.baseUrl.pipe(Effect.provide(context))
      const client = yield* Layer.build(
        NodePostpress.layer({
          apiKey: Redacted.make(simulator.apiKey),
          baseUrl,
          retryPolicy: PostpressRetry.noRetries
        }).pipe(
          Layer.provide(
            RedisRateLimiter.layer({
              redis: { socket: { host: "127.0.0.1", port } },
              limit: 2,
              interval: "1 second",
              key: `test-${Date.now()}`
            })
          )
        )
      ).pipe(Effect.map(Context.get(PostpressClient.PostpressClient)))
      const ids = Array.from({ length: 6 }, (_, i) => simulator.dataset.messageId(0, i))
      return { client, ids, simulator }
    })

  const warnings: Array<unknown> = []
  const warningsLogger = Logger.make(({ logLevel, message }) => {
    if (logLevel === "Warn") warnings.push(message)
  })

  it.live(
    "requests go through unlimited, with a warning, and the limit applies once Redis is up",
    () =>
      Effect.gen(function*() {
        const port = yield* freePort
        const { client, ids } = yield* limitedAt(port)

        // nothing listening: the layer is built all the same, and 6 requests at a limit of 2/s go at once
        const started = Date.now()
        yield* Effect.forEach(ids, (id) => client.messages.retrieve(id), { concurrency: "unbounded", discard: true })
        assert.isBelow(Date.now() - started, 1000)
        assert.isTrue(
          warnings.some((message) => String(message).includes("rate limiter is unavailable")),
          warnings.map(String).join("\n")
        )

        // Redis comes up: the client connects in the background, and the limit holds again
        yield* redisServerOn(port)
        yield* Effect.sleep("3 seconds")
        const again = Date.now()
        yield* Effect.forEach(ids, (id) => client.messages.retrieve(id), { concurrency: "unbounded", discard: true })
        // a bucket of 2 at 2/s: 6 requests take at least 2 s
        assert.isAtLeast(Date.now() - again, 1900)
      }).pipe(Effect.provide(Logger.layer([warningsLogger]))),
    30_000
  )
})
