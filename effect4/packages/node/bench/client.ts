/**
 * One contender of the transport bench (run.sh runs each in a fresh process:
 * `node --import tsx client.ts <contender> <port>`, against server.ts).
 *
 * Contenders: `raw` (undici's `Agent.request` and `JSON.parse`), `lean` (the lean transport of
 * `NodePostpress.layer`, src/internal/transport.ts), `stock` (`NodeHttpClient`'s undici client on the same
 * agent, its span off as the SDK turns it off), `stock+span` (its span on), and `sdk-lean` / `sdk-stock` (the
 * SDK's calls, `messages.retrieve` and `chats.messages.list`, over `lean` / `stock`).
 *
 * B3: 5,000 sequential GETs of a small JSON body (p50 latency); B4: 10,000 at concurrency 32; PAGES: 500
 * sequential pages of 250 messages. Prints one JSON line: requests/s, p50 and the client's CPU per request
 * (user + system).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Undici from "@effect/platform-node/Undici"
import { PostpressClient, PostpressConfig } from "@postpress/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Transport from "../src/internal/transport.js"

const [contender, port] = [process.argv[2]!, Number(process.argv[3])]
const base = `http://127.0.0.1:${port}/api/v1`
const agentOptions = { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 10 * 60_000 }
const headers = { "x-api-key": "pp_bench_key", accept: "application/json" }

type Send = (url: string) => Promise<unknown>

const rawSend = (agent: Undici.Dispatcher): Send => async (url) => {
  const u = new URL(url)
  const response = await agent.request({ method: "GET", origin: u.origin, path: u.pathname + u.search, headers })
  return JSON.parse(new TextDecoder().decode(await response.body.arrayBuffer()))
}

const effectSend = (client: HttpClient.HttpClient, tracer: boolean): Send => {
  const run = (url: string) =>
    client.execute(HttpClientRequest.get(url, { headers })).pipe(
      Effect.flatMap((response) => response.arrayBuffer),
      Effect.map((bytes) => JSON.parse(new TextDecoder().decode(bytes)) as unknown),
      tracer ? (self) => self : Effect.provideService(HttpClient.TracerDisabledWhen, () => true)
    )
  return (url) => Effect.runPromise(run(url))
}

const makeSend = async (): Promise<Send> => {
  const agent = new Undici.Agent(agentOptions)
  if (contender.startsWith("sdk-")) {
    // the SDK's calls (retrieve by id, list a page) over the lean transport or the stock undici client
    const transport = contender === "sdk-lean"
      ? Layer.succeed(HttpClient.HttpClient, Transport.make(agent))
      : NodeHttpClient.layerUndiciNoDispatcher.pipe(Layer.provide(Layer.succeed(NodeHttpClient.Dispatcher, agent)))
    const client = await Effect.runPromise(
      Effect.scoped(Layer.build(
        PostpressClient.layer.pipe(
          Layer.provide(PostpressConfig.layer({ apiKey: Redacted.make("pp_bench_key"), baseUrl: base })),
          Layer.provide(transport)
        )
      )).pipe(Effect.map(Context.get(PostpressClient.PostpressClient)))
    )
    let n = 0
    return (url) =>
      url.endsWith("/messages")
        ? Effect.runPromise(client.chats.messages.list("chat_1", { limit: 250 }))
        : Effect.runPromise(client.messages.retrieve(`msg_${n++}`))
  }
  switch (contender) {
    case "raw":
      return rawSend(agent)
    case "lean":
      return effectSend(Transport.make(agent), false)
    case "stock":
    case "stock+span": {
      const layer = NodeHttpClient.layerUndiciNoDispatcher.pipe(
        Layer.provide(Layer.succeed(NodeHttpClient.Dispatcher, agent))
      )
      const client = await Effect.runPromise(
        Effect.scoped(Layer.build(layer)).pipe(
          Effect.map(Context.get(HttpClient.HttpClient))
        )
      )
      return effectSend(client, contender === "stock+span")
    }
  }
  throw new Error(`unknown contender ${contender}`)
}

const send = await makeSend()

const measure = async (n: number, concurrency: number, path: string) => {
  const latencies: Array<number> = []
  const cpu = process.cpuUsage()
  const started = performance.now()
  let next = 0
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      next++
      const t = performance.now()
      await send(`${base}${path}`)
      latencies.push(performance.now() - t)
    }
  }))
  const wall = performance.now() - started
  const used = process.cpuUsage(cpu)
  latencies.sort((a, b) => a - b)
  return {
    rps: Math.round(n / (wall / 1000)),
    p50us: Math.round(latencies[Math.floor(n / 2)]! * 1000),
    cpuUsPerReq: Math.round((used.user + used.system) / n)
  }
}

// warm-up
await measure(2_000, 8, "/messages/msg_1")
const b3 = await measure(5_000, 1, "/messages/msg_1")
const b4 = await measure(10_000, 32, "/messages/msg_1")
const pages = await measure(500, 1, "/chats/chat_1/messages")
process.stdout.write(JSON.stringify({ contender, b3, b4, pages }) + "\n")
process.exit(0)
