/**
 * `pnpm bench`: the SDK against a raw fetch loop and unipile-node-sdk 1.9.3,
 * side by side, on the postpress simulator served over HTTP in its own
 * process. Contenders alternate within each round; medians are reported.
 *
 *   pnpm bench            the full suite (a few minutes)
 *   pnpm bench --quick    smaller sizes, one round: checks that it runs (CI)
 *
 * Prints a table, writes bench/results/latest.json and bench/results/chart.svg,
 * and never fails on timing: targets are reported, not enforced.
 */
import { PostpressClient } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Esbuild from "esbuild"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { UnipileClient } from "unipile-node-sdk"
import { renderChart } from "./chart.js"

const here = Path.dirname(fileURLToPath(import.meta.url))
const root = Path.resolve(here, "../..")
const quick = process.argv.includes("--quick")
const sizes = quick
  ? { b1: 10_000, b2: [20_000, 100_000], b3: 300, b4: 2_000, rounds: 1 }
  : { b1: 100_000, b2: [100_000, 1_000_000], b3: 5_000, b4: 10_000, rounds: 5 }

// -----------------------------------------------------------------------------
// the simulator, in its own process
// -----------------------------------------------------------------------------

interface Server {
  readonly baseUrl: string
  readonly apiKey: string
  readonly chatId: string
  readonly stop: () => void
}

const startSimulator = (messages: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const child = ChildProcess.spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        Path.join(root, "packages/simulator/src/bin/postpress-simulator.ts"),
        "--port",
        "0",
        "--chats",
        "1",
        "--messages",
        String(messages)
      ],
      { cwd: Path.join(root, "packages/simulator"), stdio: ["ignore", "pipe", "inherit"] }
    )
    let out = ""
    child.stdout!.on("data", (chunk) => {
      out += chunk
      const baseUrl = /listening on (\S+)/.exec(out)?.[1]
      const apiKey = /X-API-KEY: (\S+)/.exec(out)?.[1]
      const chatId = /a chat:\s+(\S+)/.exec(out)?.[1]
      if (baseUrl && apiKey && chatId && out.includes("curl")) {
        resolve({ baseUrl, apiKey, chatId, stop: () => child.kill() })
      }
    })
    child.on("exit", (code) => reject(new Error(`the simulator exited (${code})`)))
  })

// -----------------------------------------------------------------------------
// contenders
// -----------------------------------------------------------------------------

const sdk = (server: Server) => {
  const runtime = ManagedRuntime.make(
    NodePostpress.layer({ apiKey: Redacted.make(server.apiKey), baseUrl: server.baseUrl })
  )
  const client = runtime.runSync(PostpressClient.PostpressClient)
  return {
    stream: () => runtime.runPromise(Stream.runCount(client.chats.messages.stream(server.chatId, { limit: 250 }))),
    retrieve: (id: string) => runtime.runPromise(client.messages.retrieve(id)),
    retrieveAll: (ids: ReadonlyArray<string>, concurrency: number) =>
      runtime.runPromise(Effect.forEach(ids, (id) => client.messages.retrieve(id), { concurrency, discard: true })),
    dispose: () => runtime.dispose()
  }
}

const raw = (server: Server) => {
  const headers = { "X-API-KEY": server.apiKey, accept: "application/json" }
  const retrieve = async (id: string) => {
    const response = await fetch(`${server.baseUrl}/messages/${encodeURIComponent(id)}`, { headers })
    return JSON.parse(await response.text())
  }
  return {
    stream: async () => {
      let count = 0
      let cursor: string | null = null
      do {
        const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`
        const response = await fetch(`${server.baseUrl}/chats/${server.chatId}/messages?limit=250${query}`, { headers })
        const page = JSON.parse(await response.text())
        count += page.items.length
        cursor = page.cursor
      } while (cursor !== null)
      return count
    },
    retrieve,
    retrieveAll: async (ids: ReadonlyArray<string>, concurrency: number) => {
      let next = 0
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < ids.length) await retrieve(ids[next++]!)
      }))
    }
  }
}

const unipile = (server: Server) => {
  const client = new UnipileClient(server.baseUrl.replace(/\/api\/v1$/, ""), server.apiKey, {
    validateRequestPayload: false
  })
  return {
    stream: async () => {
      let count = 0
      let cursor: string | undefined
      do {
        const page: any = await client.messaging.getAllMessagesFromChat(
          { chat_id: server.chatId, limit: 250, cursor } as any
        )
        count += page.items.length
        cursor = page.cursor ?? undefined
      } while (cursor !== undefined)
      return count
    }
  }
}

// -----------------------------------------------------------------------------
// measurement
// -----------------------------------------------------------------------------

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
const timed = async <A>(f: () => Promise<A>): Promise<readonly [A, number]> => {
  const start = performance.now()
  const result = await f()
  return [result, performance.now() - start]
}
const log = (line: string) => process.stderr.write(`${line}\n`)

/** B1: messages per second streaming one chat, contenders alternating each round. */
const b1 = async () => {
  const server = await startSimulator(sizes.b1)
  try {
    const contenders = { sdk: sdk(server), raw: raw(server), unipile: unipile(server) }
    const runs: Record<string, Array<number>> = { sdk: [], raw: [], unipile: [] }
    await contenders.raw.stream() // warm the server and the connections
    for (let round = 0; round < sizes.rounds; round++) {
      const order = Object.keys(contenders).sort(() => (round % 2 === 0 ? 1 : -1))
      for (const name of order) {
        const [count, ms] = await timed(() => contenders[name as keyof typeof contenders].stream())
        if (count !== sizes.b1) throw new Error(`${name} streamed ${count} messages, not ${sizes.b1}`)
        runs[name]!.push(count / (ms / 1000))
        log(`B1 round ${round + 1} ${name}: ${Math.round(count / (ms / 1000))} msg/s`)
      }
    }
    await contenders.sdk.dispose()
    return Object.fromEntries(Object.entries(runs).map(([name, values]) => [name, median(values)]))
  } finally {
    server.stop()
  }
}

/**
 * The measuring process of B2, bundled as an application ships: esbuild
 * compiles and tree-shakes it with the SDK, so it runs on plain Node. (Run
 * through the tsx loader instead, the loader alone adds about 100 MB of RSS.)
 */
const bundleMemoryProcess = async (): Promise<string> => {
  const outfile = Path.join(root, "bench/dist/memory.mjs")
  await Esbuild.build({
    entryPoints: [Path.join(here, "memory.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    // undici is CommonJS and requires Node built-ins at run time
    banner: { js: `import { createRequire } from "node:module"; const require = createRequire(import.meta.url);` }
  })
  return outfile
}

/** B2: peak RSS and heap while streaming, in a fresh process per size. */
const b2 = async () => {
  const [server, memoryProcess] = await Promise.all([startSimulator(Math.max(...sizes.b2)), bundleMemoryProcess()])
  try {
    const results: Array<{ messages: number; peakRssMiB: number; peakHeapMiB: number }> = []
    for (const messages of sizes.b2) {
      const output = ChildProcess.execFileSync(
        process.execPath,
        [
          "--expose-gc",
          memoryProcess,
          server.baseUrl,
          server.apiKey,
          server.chatId,
          String(messages)
        ],
        { cwd: Path.join(root, "bench"), encoding: "utf8" }
      )
      const result = JSON.parse(output.trim().split("\n").pop()!)
      log(`B2 ${messages}: peak RSS ${result.peakRssMiB} MiB, peak heap ${result.peakHeapMiB} MiB`)
      results.push({ messages, ...result })
    }
    return results
  } finally {
    server.stop()
  }
}

/** B3 and B4: retrieve latency (sequential) and throughput (concurrency 32). */
const b3b4 = async () => {
  const server = await startSimulator(1_000)
  try {
    const contenders = { sdk: sdk(server), raw: raw(server) }
    const page: any = await contenders.raw.stream().then(async () => {
      const response = await fetch(`${server.baseUrl}/chats/${server.chatId}/messages?limit=250`, {
        headers: { "X-API-KEY": server.apiKey }
      })
      return response.json()
    })
    const ids: Array<string> = page.items.map((m: { id: string }) => m.id)
    const latencies: Record<string, Array<number>> = { sdk: [], raw: [] }
    const blocks = 10
    for (let block = 0; block < blocks; block++) {
      for (const name of block % 2 === 0 ? ["sdk", "raw"] : ["raw", "sdk"]) {
        for (let i = 0; i < sizes.b3 / blocks; i++) {
          const [, ms] = await timed(() => contenders[name as "sdk" | "raw"].retrieve(ids[i % ids.length]!))
          latencies[name]!.push(ms)
        }
      }
    }
    const b3 = Object.fromEntries(
      Object.entries(latencies).map((
        [name, values]
      ) => [name, { p50: percentile(values, 50), p99: percentile(values, 99) }])
    )
    log(`B3 sdk p50 ${b3.sdk!.p50.toFixed(3)} ms, raw p50 ${b3.raw!.p50.toFixed(3)} ms`)

    const fanOut = Array.from({ length: sizes.b4 }, (_, i) => ids[i % ids.length]!)
    const throughput: Record<string, Array<number>> = { sdk: [], raw: [] }
    for (let round = 0; round < sizes.rounds; round++) {
      for (const name of round % 2 === 0 ? ["sdk", "raw"] : ["raw", "sdk"]) {
        const [, ms] = await timed(() => contenders[name as "sdk" | "raw"].retrieveAll(fanOut, 32))
        throughput[name]!.push(fanOut.length / (ms / 1000))
        log(`B4 round ${round + 1} ${name}: ${Math.round(fanOut.length / (ms / 1000))} req/s`)
      }
    }
    await contenders.sdk.dispose()
    return { b3, b4: Object.fromEntries(Object.entries(throughput).map(([name, values]) => [name, median(values)])) }
  } finally {
    server.stop()
  }
}

// -----------------------------------------------------------------------------
// report
// -----------------------------------------------------------------------------

const main = async () => {
  log(
    `postpress bench (${quick ? "quick" : "full"}): ${Os.cpus().length} × ${
      Os.cpus()[0]?.model
    }, Node ${process.version}`
  )
  const throughput = await b1()
  const memory = await b2()
  const { b3, b4 } = await b3b4()

  const [small, large] = memory
  const targets = [
    {
      id: "B1",
      target: "SDK ≥ 1.0× raw fetch",
      value: throughput.sdk! / throughput.raw!,
      holds: throughput.sdk! >= throughput.raw!
    },
    {
      id: "B1",
      target: "SDK ≥ 1.0× unipile-node-sdk",
      value: throughput.sdk! / throughput.unipile!,
      holds: throughput.sdk! >= throughput.unipile!
    },
    {
      id: "B2",
      target: `peak RSS < 150 MB (143.05 MiB) at ${large!.messages}, in MiB`,
      value: large!.peakRssMiB,
      holds: large!.peakRssMiB * 1.048576 < 150
    },
    {
      id: "B2",
      target: `flat from ${small!.messages} to ${large!.messages} (peak live heap within 10 MiB)`,
      value: large!.peakHeapMiB - small!.peakHeapMiB,
      holds: large!.peakHeapMiB - small!.peakHeapMiB < 10
    },
    {
      id: "B3",
      target: "p50 ≤ 1.25× raw fetch",
      value: b3.sdk!.p50 / b3.raw!.p50,
      holds: b3.sdk!.p50 <= 1.25 * b3.raw!.p50
    },
    { id: "B4", target: "≥ 0.8× raw fetch", value: b4.sdk! / b4.raw!, holds: b4.sdk! >= 0.8 * b4.raw! }
  ]

  type Row = readonly [string, string, number | undefined, number | undefined, number | undefined]
  const rows: ReadonlyArray<Row> = [
    ["B1 stream msg/s", `${sizes.b1} msgs`, throughput.sdk, throughput.raw, throughput.unipile],
    ...memory.flatMap((m): ReadonlyArray<Row> => [
      [`B2 peak RSS MiB`, `${m.messages} msgs`, m.peakRssMiB, undefined, undefined],
      [`B2 peak heap MiB`, `${m.messages} msgs`, m.peakHeapMiB, undefined, undefined]
    ]),
    ["B3 retrieve p50 ms", `${sizes.b3} seq.`, b3.sdk!.p50, b3.raw!.p50, undefined],
    ["B3 retrieve p99 ms", `${sizes.b3} seq.`, b3.sdk!.p99, b3.raw!.p99, undefined],
    ["B4 retrieve req/s", `${sizes.b4} @32`, b4.sdk, b4.raw, undefined]
  ]
  const cell = (value: number | undefined) =>
    value === undefined ? "" : value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(2)
  const table = [
    "| benchmark | size | SDK | raw fetch | unipile-node-sdk |",
    "| --- | --- | ---: | ---: | ---: |",
    ...rows.map(([name, size, a, b, c]) => `| ${name} | ${size} | ${cell(a)} | ${cell(b)} | ${cell(c)} |`),
    "",
    "| target | measured | holds |",
    "| --- | ---: | --- |",
    ...targets.map((t) => `| ${t.id}: ${t.target} | ${t.value.toFixed(2)} | ${t.holds ? "yes" : "NO"} |`)
  ].join("\n")
  console.log(table)

  const results = {
    mode: quick ? "quick" : "full",
    date: new Date().toISOString(),
    machine: {
      cpus: Os.cpus().length,
      model: Os.cpus()[0]?.model,
      memoryGiB: Math.round(Os.totalmem() / 2 ** 30),
      node: process.version
    },
    sizes,
    b1: throughput,
    b2: memory,
    b3,
    b4,
    targets
  }
  const dir = Path.join(root, "bench/results")
  Fs.mkdirSync(dir, { recursive: true })
  const name = quick ? "quick" : "latest"
  Fs.writeFileSync(Path.join(dir, `${name}.json`), JSON.stringify(results, null, 2) + "\n")
  Fs.writeFileSync(Path.join(dir, `${name}.md`), table + "\n")
  Fs.writeFileSync(Path.join(dir, `${name}.svg`), await renderChart(results))
  log(`wrote bench/results/${name}.json, ${name}.md and ${name}.svg`)
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
