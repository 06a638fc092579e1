/**
 * `pnpm bench`: the SDK against a raw fetch loop and unipile-node-sdk 1.9.3,
 * side by side, on the postpress simulator served over HTTP in its own
 * process. Contenders alternate within each round; medians are reported.
 *
 *   pnpm bench                 the full suite (B1–B4 a few minutes, B6 about 17 more)
 *   pnpm bench --quick         smaller sizes, one round: checks that it runs (CI)
 *   pnpm bench --only b6       only the benchmarks named (b1, b2, b3, b4, b5, b6, retention, profile; comma-separated
 *                              or repeated; b3 and b4 run together); their results replace
 *                              theirs in the last results, the others' are kept
 *
 * B5 (lookups) retrieves 500 distinct messages 10,000 times at concurrency 32:
 * the requests the simulator served and the wall time, for the raw loop, the
 * SDK, and the SDK under `PostpressClient.withCache`.
 *
 * B6 (chaos) streams a chat through the simulator's fault mix at 30 % (503,
 * 500 provider_error, 504, 429 with Retry-After, connection resets, truncated
 * bodies, HTML 502 pages), the SDK on its default resilience, once per
 * simulator seed, and counts what each run lost, duplicated or reordered.
 *
 * R (retention, `--only retention`, a few seconds) probes, in a child process
 * with `--expose-gc`, how much of 20 pages stays reachable for minor GCs
 * through each shape the SDK's "Node 20 GC" workarounds avoid (see
 * retention.ts), and whether each workaround's claim reproduces.
 *
 * Prints a table, writes bench/results/latest.json, latest.md and latest.svg
 * (quick.* with --quick), and never fails on timing: targets are reported, not
 * enforced.
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
import { chaosMarkdown, type ChaosResults, type ChaosRun, type Ending, expectedIds, judge, summarize } from "./chaos.js"
import { renderChart } from "./chart.js"
import { profileContenders, profileMarkdown } from "./profile.js"
import { retentionMarkdown, type RetentionResults } from "./retention.js"
import { median } from "./stats.js"

const here = Path.dirname(fileURLToPath(import.meta.url))
const root = Path.resolve(here, "../..")
const quick = process.argv.includes("--quick")
const sizes = quick
  ? {
    b1: 10_000,
    b2: [20_000, 100_000],
    b3: 300,
    b4: 2_000,
    b5: { retrieves: 1_000, ids: 50 },
    rounds: 1,
    b6: { messages: 2_500, runs: 1 },
    retention: 3
  }
  : {
    b1: 100_000,
    b2: [100_000, 1_000_000],
    b3: 5_000,
    b4: 10_000,
    // at most 10,000 retrieves: the simulator counts the requests it served from its log of the last 10,000
    b5: { retrieves: 10_000, ids: 500 },
    rounds: 5,
    b6: { messages: 100_000, runs: 10 },
    retention: 9
  }

const benchmarks = ["b1", "b2", "b3", "b4", "b5", "b6", "retention", "profile"] as const
type Benchmark = typeof benchmarks[number]
/** The benchmarks `--only` names (`--only b6`, `--only=b1,b6`, repeatable); all of them without it. */
const only = ((): ReadonlySet<Benchmark> => {
  const named = process.argv.flatMap((arg, i) =>
    arg === "--only" ? [process.argv[i + 1] ?? ""] : arg.startsWith("--only=") ? [arg.slice("--only=".length)] : []
  ).flatMap((list) => list.split(",")).map((name) => name.trim().toLowerCase()).filter((name) => name !== "")
  for (const name of named) {
    if (!benchmarks.includes(name as Benchmark)) {
      console.error(`--only: unknown benchmark ${JSON.stringify(name)} (expected ${benchmarks.join(", ")})`)
      process.exit(2)
    }
  }
  return new Set(named.length === 0 ? benchmarks : named as Array<Benchmark>)
})()

// -----------------------------------------------------------------------------
// the simulator, in its own process
// -----------------------------------------------------------------------------

interface Server {
  readonly baseUrl: string
  readonly apiKey: string
  readonly chatId: string
  readonly stop: () => void
  /** The requests the simulator served since the last call (simulator.ts only; B5). */
  readonly served?: () => Promise<number>
}

/** Starts bench/src/simulator.ts in a process of its own; it reports where it listens over IPC. */
const startSimulator = (
  messages: number,
  chaos?: { readonly seed: number; readonly faultRate: number }
): Promise<Server> =>
  new Promise((resolve, reject) => {
    const args = [String(messages), ...(chaos === undefined ? [] : [String(chaos.seed), String(chaos.faultRate)])]
    const child = ChildProcess.fork(Path.join(here, "simulator.ts"), args, {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    const served = () =>
      new Promise<number>((resolve) => {
        const onMessage = (message: unknown) => {
          if (typeof message === "object" && message !== null && "served" in message) {
            child.off("message", onMessage)
            resolve((message as { readonly served: number }).served)
          }
        }
        child.on("message", onMessage)
        child.send("served")
      })
    child.once("message", (where) => {
      const { apiKey, baseUrl, chatId } = where as Omit<Server, "stop">
      resolve({ baseUrl, apiKey, chatId, stop: () => child.kill(), served })
    })
    child.once("exit", (code) => reject(new Error(`the simulator exited (${code})`)))
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
    retrieve: (id: string) => runtime.runPromise(client.messages.retrieve(id)),
    retrieveAll: (ids: ReadonlyArray<string>, concurrency: number) =>
      runtime.runPromise(Effect.forEach(ids, (id) => client.messages.retrieve(id), { concurrency, discard: true })),
    /** B5's retrieves under a lookup cache, empty at the start of each run. */
    retrieveAllCached: (ids: ReadonlyArray<string>, concurrency: number) =>
      runtime.runPromise(
        Effect.forEach(ids, (id) => client.messages.retrieve(id), { concurrency, discard: true }).pipe(
          PostpressClient.withCache({ capacity: 10_000, timeToLive: "10 minutes" })
        )
      ),
    /** The stream of B1, each message's id pushed to `ids` as it comes; resolves with how the stream ended. */
    collect: (ids: Array<string>): Promise<Ending> =>
      runtime.runPromise(Effect.exit(
        Stream.runForEach(client.chats.messages.stream(server.chatId, { limit: 250 }), (message) =>
          Effect.sync(() => {
            ids.push(message.id)
          }))
      )),
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

// -----------------------------------------------------------------------------
// measurement
// -----------------------------------------------------------------------------

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

/** B1's servers: the simulator, and the fast server (pages rendered once, served as bytes), without and with a delay. */
const b1Servers = ["simulator", "fast", "latency"] as const
type B1Server = typeof b1Servers[number]
/** B1's contenders; `bound` is the network bound (bytes and the cursor only, nothing decoded). */
const b1Contenders = ["sdk", "raw", "unipile", "bound"] as const
type B1Contender = typeof b1Contenders[number]
/** The `latency` server's delay per response. */
const LATENCY_MS = 5
/** One contender's figures on one server: medians over the rounds, and each round's. */
interface B1Figures {
  readonly msgPerSec: number
  /** The client's CPU (user + system) per message, in µs. */
  readonly cpuMicrosPerMessage: number
  readonly rounds: ReadonlyArray<{ readonly msgPerSec: number; readonly cpuMicrosPerMessage: number }>
}
type B1Results = Partial<Record<B1Server, Record<B1Contender, B1Figures>>>

/** The servers `--b1-servers` names (comma-separated); all of them without it. */
const b1Selected = ((): ReadonlyArray<B1Server> => {
  const named = process.argv.flatMap((arg, i) =>
    arg === "--b1-servers" ? [process.argv[i + 1] ?? ""] : arg.startsWith("--b1-servers=") ? [arg.slice(13)] : []
  ).flatMap((list) => list.split(",")).map((name) => name.trim().toLowerCase()).filter((name) => name !== "")
  for (const name of named) {
    if (!b1Servers.includes(name as B1Server)) {
      console.error(`--b1-servers: unknown server ${JSON.stringify(name)} (expected ${b1Servers.join(", ")})`)
      process.exit(2)
    }
  }
  return named.length === 0 ? b1Servers : b1Servers.filter((name) => named.includes(name))
})()

/** Starts bench/src/fast-server.ts on the pages of `simulator`, in a process of its own. */
const startFastServer = (simulator: Server, delayMs: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const child = ChildProcess.fork(
      Path.join(here, "fast-server.ts"),
      [simulator.baseUrl, simulator.apiKey, simulator.chatId, String(delayMs)],
      { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }
    )
    child.once("message", (where) => {
      const { apiKey, baseUrl, chatId } = where as Omit<Server, "stop">
      resolve({ baseUrl, apiKey, chatId, stop: () => child.kill() })
    })
    child.once("exit", (code) => reject(new Error(`the fast server exited (${code})`)))
  })

/** One contender's stream of the chat, in a fresh process (b1-client.ts, bundled). */
const b1Run = (
  clientProcess: string,
  contender: B1Contender,
  server: Server
): Promise<{ messages: number; ms: number; cpuMicros: number }> =>
  new Promise((resolve, reject) =>
    ChildProcess.execFile(
      process.execPath,
      [clientProcess, contender, server.baseUrl, server.apiKey, server.chatId],
      { cwd: Path.join(root, "bench"), encoding: "utf8" },
      (error, stdout) => error === null ? resolve(JSON.parse(stdout.trim().split("\n").pop()!)) : reject(error)
    )
  )

/**
 * B1: messages per second streaming one chat, and the client's CPU per
 * message, on each server; each contender's run in a fresh process, the
 * contenders alternating each round.
 */
const b1 = async (): Promise<B1Results> => {
  const [simulator, clientProcess] = await Promise.all([startSimulator(sizes.b1), bundleProcess("b1-client")])
  const servers: Array<Server> = [simulator]
  try {
    const fast = b1Selected.some((name) => name !== "simulator") ? await startFastServer(simulator, 0) : undefined
    if (fast !== undefined) servers.push(fast)
    const latency = b1Selected.includes("latency") ? await startFastServer(simulator, LATENCY_MS) : undefined
    if (latency !== undefined) servers.push(latency)
    const on: Record<B1Server, Server | undefined> = { simulator, fast, latency }
    const results: B1Results = {}
    for (const serverName of b1Selected) {
      const server = on[serverName]!
      await b1Run(clientProcess, "bound", server) // warm the server
      const runs = Object.fromEntries(b1Contenders.map((name) => [name, [] as Array<B1Figures["rounds"][number]>]))
      for (let round = 0; round < sizes.rounds; round++) {
        // contenders alternate: each round runs them in the order opposite to the round before
        for (const name of round % 2 === 0 ? b1Contenders : [...b1Contenders].reverse()) {
          const { cpuMicros, messages, ms } = await b1Run(clientProcess, name, server)
          if (messages !== sizes.b1) throw new Error(`${name} streamed ${messages} messages, not ${sizes.b1}`)
          const figures = { msgPerSec: messages / (ms / 1000), cpuMicrosPerMessage: cpuMicros / messages }
          runs[name]!.push(figures)
          log(
            `B1 ${serverName} round ${round + 1} ${name}: ${Math.round(figures.msgPerSec)} msg/s, ${
              figures.cpuMicrosPerMessage.toFixed(2)
            } µs CPU/msg`
          )
        }
      }
      results[serverName] = Object.fromEntries(b1Contenders.map((name) => [name, {
        msgPerSec: median(runs[name]!.map((r) => r.msgPerSec)),
        cpuMicrosPerMessage: median(runs[name]!.map((r) => r.cpuMicrosPerMessage)),
        rounds: runs[name]!
      }])) as unknown as Record<B1Contender, B1Figures>
    }
    return results
  } finally {
    for (const server of servers) server.stop()
  }
}

/**
 * A measuring process (B1's b1-client.ts, B2's memory.ts, R's retention.ts), bundled as an
 * application ships: esbuild compiles and tree-shakes it with the SDK, so it
 * runs on plain Node. (Run through the tsx loader instead, the loader alone
 * adds about 100 MB of RSS.)
 */
const bundleProcess = async (name: "memory" | "retention" | "b1-client"): Promise<string> => {
  const outfile = Path.join(root, `bench/dist/${name}.mjs`)
  await Esbuild.build({
    entryPoints: [Path.join(here, `${name}.ts`)],
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
  const [server, memoryProcess] = await Promise.all([startSimulator(Math.max(...sizes.b2)), bundleProcess("memory")])
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

/** B5's contenders: the raw loop, the SDK, and the SDK under `PostpressClient.withCache`. */
const b5Contenders = ["raw", "sdk", "cached"] as const
type B5Contender = typeof b5Contenders[number]
/** One B5 contender: the requests the simulator served and the wall time, medians over the rounds, and each round's. */
interface B5Figures {
  readonly requests: number
  readonly ms: number
  readonly rounds: ReadonlyArray<{ readonly requests: number; readonly ms: number }>
}
interface B5Results {
  readonly retrieves: number
  readonly ids: number
  readonly concurrency: number
  readonly contenders: Record<B5Contender, B5Figures>
}

/**
 * B5 lookups: `sizes.b5.retrieves` message retrieves over `sizes.b5.ids`
 * distinct ids, in a fixed shuffled order (as a pipeline meets them: an id
 * sometimes looked up again while its first lookup is in flight), at
 * concurrency 32, as B4 does its retrieves. The requests are those the
 * simulator served during each run; contenders alternate each round.
 */
const b5 = async (): Promise<B5Results> => {
  const { ids: distinct, retrieves } = sizes.b5
  const server = await startSimulator(distinct)
  try {
    const headers = { "X-API-KEY": server.apiKey }
    const ids: Array<string> = []
    for (let cursor: string | null = null; ids.length === 0 || cursor !== null;) {
      const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`
      const response = await fetch(`${server.baseUrl}/chats/${server.chatId}/messages?limit=250${query}`, { headers })
      const page: { items: Array<{ id: string }>; cursor: string | null } = await response.json()
      for (const message of page.items) ids.push(message.id)
      cursor = page.cursor
    }
    if (ids.length !== distinct) throw new Error(`the simulator listed ${ids.length} messages, not ${distinct}`)
    // a fixed pseudo-random order (mulberry32, seed 5)
    let seed = 5
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
    const order = Array.from(
      { length: retrieves },
      (_, i) => i < distinct ? ids[i]! : ids[Math.floor(random() * distinct)]!
    )
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    const sdkContender = sdk(server)
    const rawContender = raw(server)
    const run: Record<B5Contender, () => Promise<void>> = {
      raw: () => rawContender.retrieveAll(order, 32),
      sdk: () => sdkContender.retrieveAll(order, 32),
      cached: () => sdkContender.retrieveAllCached(order, 32)
    }
    const rounds = Object.fromEntries(b5Contenders.map((name) => [name, [] as Array<B5Figures["rounds"][number]>]))
    await server.served!() // the listing's requests
    for (let round = 0; round < sizes.rounds; round++) {
      for (const name of round % 2 === 0 ? b5Contenders : [...b5Contenders].reverse()) {
        const [, ms] = await timed(run[name])
        const requests = await server.served!()
        rounds[name]!.push({ requests, ms })
        log(`B5 round ${round + 1} ${name}: ${requests} requests, ${Math.round(ms)} ms`)
      }
    }
    await sdkContender.dispose()
    return {
      retrieves,
      ids: distinct,
      concurrency: 32,
      contenders: Object.fromEntries(b5Contenders.map((name) => [name, {
        requests: median(rounds[name]!.map((r) => r.requests)),
        ms: median(rounds[name]!.map((r) => r.ms)),
        rounds: rounds[name]!
      }])) as unknown as Record<B5Contender, B5Figures>
    }
  } finally {
    server.stop()
  }
}

/** The share of requests B6's simulator fails. */
const CHAOS_FAULT_RATE = 0.3

/**
 * B6 chaos: the stream of B1 through 30 % faults, on the SDK's default
 * resilience (nothing passed but the key and the URL, as in B1), one run per
 * simulator seed (each its own dataset and fault draws) with a fresh
 * simulator and client. A run that fails is recorded, not retried or resumed.
 */
const b6 = async (): Promise<ChaosResults> => {
  const { messages, runs: count } = sizes.b6
  const runs: Array<ChaosRun> = []
  for (let run = 1; run <= count; run++) {
    const seed = run
    const [server, expected] = await Promise.all([
      startSimulator(messages, { seed, faultRate: CHAOS_FAULT_RATE }),
      expectedIds(seed, messages)
    ])
    try {
      if (server.chatId !== expected.chatId) {
        throw new Error(`the simulator's chat ${server.chatId} is not the dataset's`)
      }
      const contender = sdk(server)
      const received: Array<string> = []
      const [ending, ms] = await timed(() => contender.collect(received))
      await contender.dispose()
      const result = judge({ run, seed, wallSeconds: ms / 1000 }, expected.ids, received, ending)
      runs.push(result)
      log(
        `B6 run ${run}/${count} (seed ${seed}): ${
          result.completed ? "completed" : `FAILED ${result.error?.tag} (resume.pages ${result.error?.resumePages})`
        }, ${result.received} received, ${result.lost} lost, ${result.duplicated} duplicated, ${
          result.inOrder ? "in order" : "OUT OF ORDER"
        }, ${result.wallSeconds.toFixed(1)} s`
      )
    } finally {
      server.stop()
    }
  }
  return {
    date: new Date().toISOString(),
    messages,
    faultRate: CHAOS_FAULT_RATE,
    limit: 250,
    summary: summarize(runs),
    runs
  }
}

/**
 * R (retention): retention.ts, bundled, in a fresh `node --expose-gc` (it
 * calls `gc()`, minor and full); its figures are the JSON on its last line.
 */
const retention = async (): Promise<RetentionResults> => {
  const retentionProcess = await bundleProcess("retention")
  const output = ChildProcess.execFileSync(
    process.execPath,
    ["--expose-gc", retentionProcess, String(sizes.retention)],
    { cwd: Path.join(root, "bench"), encoding: "utf8" }
  )
  const results: RetentionResults = JSON.parse(output.trim().split("\n").pop()!)
  for (const c of results.cases) {
    log(`R ${c.id}: ${c.medianMB.toFixed(2)} MB / ${results.pages} pages (${c.minMB.toFixed(2)}–${c.maxMB.toFixed(2)})`)
  }
  for (const c of results.claims) {
    log(`R claim ${c.where} (${c.retaining.join(", ")}): ${c.reproduced ? "reproduced" : "NOT reproduced"}`)
  }
  return results
}

/**
 * P (profile): where the client's CPU goes on B1's fast server, for the SDK,
 * the raw loop and the network bound (profile.ts); written to
 * bench/results/latest-profile.md (quick-profile.md with --quick).
 */
const profile = async (): Promise<string> => {
  const [simulator, clientProcess] = await Promise.all([startSimulator(sizes.b1), bundleProcess("b1-client")])
  try {
    const fast = await startFastServer(simulator, 0)
    try {
      const summaries = profileContenders(clientProcess, fast, ["sdk", "raw", "bound"], sizes.b1, quick ? 1 : 3)
      for (const summary of summaries) {
        log(`P ${summary.contender}: ${(summary.profiledMs * 1000 / summary.messages).toFixed(2)} µs/msg profiled`)
      }
      return profileMarkdown(
        `P: client CPU on B1's fast server, ${sizes.b1.toLocaleString("en-US")} messages (${new Date().toISOString()})`,
        summaries
      )
    } finally {
      fast.stop()
    }
  } finally {
    simulator.stop()
  }
}

// -----------------------------------------------------------------------------
// report
// -----------------------------------------------------------------------------

type Target = { readonly id: string; readonly target: string; readonly value: number; readonly holds: boolean }

/** What a run writes; every benchmark's part is absent until it has run once. */
interface Results {
  readonly mode: string
  /** When B1–B4 ran (B6 and R have their own dates). */
  readonly date: string
  readonly machine: {
    readonly cpus: number
    readonly model: string | undefined
    readonly memoryGiB: number
    readonly node: string
  }
  readonly sizes: typeof sizes
  readonly b1?: B1Results | undefined
  readonly b2?: ReadonlyArray<{ messages: number; peakRssMiB: number; peakHeapMiB: number }> | undefined
  readonly b3?: Record<string, { p50: number; p99: number }> | undefined
  readonly b4?: Record<string, number> | undefined
  readonly b5?: B5Results | undefined
  readonly b6?: ChaosResults | undefined
  readonly retention?: RetentionResults | undefined
  readonly targets?: ReadonlyArray<Target> | undefined
}

/** A target "`measured` ≥ `factor` × `reference`": the ratio, and whether it holds. */
const atLeast = (id: string, target: string, measured: number, reference: number, factor = 1): Target => ({
  id,
  target,
  value: measured / reference,
  holds: measured >= factor * reference
})

/** A target "`measured` ≤ `factor` × `reference`": the ratio, and whether it holds. */
const atMost = (id: string, target: string, measured: number, reference: number, factor: number): Target => ({
  id,
  target,
  value: measured / reference,
  holds: measured <= factor * reference
})

/** The targets of B1–B5, for those that have results. */
const targetsOf = ({ b1: throughput, b2: memory, b3, b4, b5: lookups }: Results): ReadonlyArray<Target> => {
  const [small, large] = memory ?? []
  const simulator = throughput?.simulator
  const fast = throughput?.fast
  const latency = throughput?.latency
  return [
    ...(simulator === undefined ? [] : [
      atLeast("B1 simulator", "SDK ≥ 1.0× raw fetch", simulator.sdk.msgPerSec, simulator.raw.msgPerSec),
      atLeast("B1 simulator", "SDK ≥ 1.0× unipile-node-sdk", simulator.sdk.msgPerSec, simulator.unipile.msgPerSec)
    ]),
    ...(fast === undefined ? [] : [
      atLeast("B1 fast", "SDK ≥ 1.0× raw fetch", fast.sdk.msgPerSec, fast.raw.msgPerSec),
      atLeast("B1 fast", "SDK ≥ 1.0× unipile-node-sdk", fast.sdk.msgPerSec, fast.unipile.msgPerSec),
      atMost(
        "B1 fast",
        "SDK client CPU/message ≤ 1.2× raw fetch's",
        fast.sdk.cpuMicrosPerMessage,
        fast.raw.cpuMicrosPerMessage,
        1.2
      )
    ]),
    ...(latency === undefined ? [] : [
      atLeast("B1 latency", "SDK ≥ 0.9× the network bound", latency.sdk.msgPerSec, latency.bound.msgPerSec, 0.9)
    ]),
    ...(small === undefined || large === undefined ? [] : [
      {
        id: "B2",
        target: `peak RSS < 150 MB (143.05 MiB) at ${large.messages}, in MiB`,
        value: large.peakRssMiB,
        holds: large.peakRssMiB * 1.048576 < 150
      },
      {
        id: "B2",
        target: `flat from ${small.messages} to ${large.messages} (peak live heap within 10 MiB)`,
        value: large.peakHeapMiB - small.peakHeapMiB,
        holds: large.peakHeapMiB - small.peakHeapMiB < 10
      }
    ]),
    ...(b3 === undefined ? [] : [atMost("B3", "p50 ≤ 1.25× raw fetch", b3.sdk!.p50, b3.raw!.p50, 1.25)]),
    ...(b4 === undefined ? [] : [atLeast("B4", "≥ 0.8× raw fetch", b4.sdk!, b4.raw!, 0.8)]),
    ...(lookups === undefined ? [] : [
      atMost(
        "B5",
        "SDK + withCache sends one request per distinct id (requests / ids)",
        lookups.contenders.cached.requests,
        lookups.ids,
        1
      )
    ])
  ]
}

/** The results as Markdown: B1–B4's table and targets, then B6's runs, then R's cases and claims. */
const markdownOf = (results: Results): string => {
  const { b1: throughput, b2: memory, b3, b4, b5: lookups, b6: chaos, retention: retained } = results
  const targets = results.targets ?? []
  type Row = readonly [string, string, number | undefined, number | undefined, number | undefined]
  const rows: ReadonlyArray<Row> = [
    ...(memory ?? []).flatMap((m): ReadonlyArray<Row> => [
      [`B2 peak RSS MiB`, `${m.messages} msgs`, m.peakRssMiB, undefined, undefined],
      [`B2 peak heap MiB`, `${m.messages} msgs`, m.peakHeapMiB, undefined, undefined]
    ]),
    ...(b3 === undefined ? [] : [
      ["B3 retrieve p50 ms", `${results.sizes.b3} seq.`, b3.sdk!.p50, b3.raw!.p50, undefined] as const,
      ["B3 retrieve p99 ms", `${results.sizes.b3} seq.`, b3.sdk!.p99, b3.raw!.p99, undefined] as const
    ]),
    ...(b4 === undefined ? [] : [["B4 retrieve req/s", `${results.sizes.b4} @32`, b4.sdk, b4.raw, undefined] as const])
  ]
  const cell = (value: number | undefined) =>
    value === undefined ? "" : value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(2)
  const b1Rows = b1Servers.flatMap((server) => {
    const figures = throughput?.[server]
    return figures === undefined ? [] : [
      `| B1 ${server} msg/s | ${b1Contenders.map((name) => cell(figures[name].msgPerSec)).join(" | ")} | ${
        (figures.sdk.msgPerSec / figures.bound.msgPerSec).toFixed(2)
      } |`,
      `| B1 ${server} client CPU µs/msg | ${
        b1Contenders.map((name) => figures[name].cpuMicrosPerMessage.toFixed(2)).join(" | ")
      } | ${(figures.sdk.cpuMicrosPerMessage / figures.bound.cpuMicrosPerMessage).toFixed(2)} |`
    ]
  })
  const sections = [
    ...(b1Rows.length === 0 ? [] : [
      [
        `B1 stream, ${results.sizes.b1} messages (limit 250), medians of ${results.sizes.rounds} alternating round(s), ` +
        `each contender's run in a fresh process; servers: simulator (renders every page), fast (pages rendered once, ` +
        `served as bytes), latency (fast + ${LATENCY_MS} ms per response).`,
        "",
        "| B1 | SDK | raw fetch | unipile-node-sdk | bound (bytes + cursor) | SDK / bound |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        ...b1Rows
      ].join("\n")
    ]),
    ...(rows.length === 0 ? [] : [
      [
        "| benchmark | size | SDK | raw fetch | unipile-node-sdk |",
        "| --- | --- | ---: | ---: | ---: |",
        ...rows.map(([name, size, a, b, c]) => `| ${name} | ${size} | ${cell(a)} | ${cell(b)} | ${cell(c)} |`)
      ].join("\n")
    ]),
    ...(lookups === undefined ? [] : [
      [
        `B5 lookups: ${lookups.retrieves} messages.retrieve over ${lookups.ids} distinct ids (a fixed shuffled order) ` +
        `at concurrency ${lookups.concurrency}; the requests the simulator served, medians of ${lookups.contenders.raw.rounds.length} alternating round(s).`,
        "",
        "| B5 | requests sent | wall ms | retrieves/s |",
        "| --- | ---: | ---: | ---: |",
        ...([["raw fetch", "raw"], ["SDK", "sdk"], ["SDK + withCache", "cached"]] as const).map(([label, name]) => {
          const figures = lookups.contenders[name]
          const whole = (value: number) => Math.round(value).toLocaleString("en-US")
          return `| ${label} | ${whole(figures.requests)} | ${whole(figures.ms)} | ${
            whole(lookups.retrieves / (figures.ms / 1000))
          } |`
        })
      ].join("\n")
    ]),
    ...(targets.length === 0 ? [] : [
      [
        "| target | measured | holds |",
        "| --- | ---: | --- |",
        ...targets.map((t) => `| ${t.id}: ${t.target} | ${t.value.toFixed(2)} | ${t.holds ? "yes" : "NO"} |`)
      ].join("\n")
    ]),
    ...(chaos === undefined ? [] : [chaosMarkdown(chaos)]),
    ...(retained === undefined ? [] : [retentionMarkdown(retained)])
  ]
  return sections.join("\n\n")
}

const main = async () => {
  log(
    `postpress bench (${quick ? "quick" : "full"}${
      only.size < benchmarks.length ? `, only ${[...only].join(", ")}` : ""
    }): ${Os.cpus().length} × ${Os.cpus()[0]?.model}, Node ${process.version}`
  )
  const throughput = only.has("b1") ? await b1() : undefined
  const memory = only.has("b2") ? await b2() : undefined
  const { b3, b4 } = only.has("b3") || only.has("b4") ? await b3b4() : { b3: undefined, b4: undefined }
  const lookups = only.has("b5") ? await b5() : undefined
  const chaos = only.has("b6") ? await b6() : undefined
  const retained = only.has("retention") ? await retention() : undefined
  const profiled = only.has("profile") ? await profile() : undefined

  const dir = Path.join(root, "bench/results")
  const name = quick ? "quick" : "latest"
  // a selection replaces its benchmarks' results in the last ones and keeps the others'
  const previous: Partial<Results> = only.size < benchmarks.length && Fs.existsSync(Path.join(dir, `${name}.json`))
    ? JSON.parse(Fs.readFileSync(Path.join(dir, `${name}.json`), "utf8"))
    : {}
  // B1's results were one figure per contender before its servers: an old-shaped b1 is dropped
  const previousB1: B1Results | undefined = typeof (previous.b1 as any)?.simulator?.sdk?.msgPerSec === "number" ||
      typeof (previous.b1 as any)?.fast?.sdk?.msgPerSec === "number" ||
      typeof (previous.b1 as any)?.latency?.sdk?.msgPerSec === "number"
    ? previous.b1
    : undefined
  const measured: Results = {
    ...previous,
    mode: quick ? "quick" : "full",
    // the date of B1–B4's figures (B6 and R have their own)
    date: throughput !== undefined || memory !== undefined || b3 !== undefined || previous.date === undefined
      ? new Date().toISOString()
      : previous.date,
    machine: {
      cpus: Os.cpus().length,
      model: Os.cpus()[0]?.model,
      memoryGiB: Math.round(Os.totalmem() / 2 ** 30),
      node: process.version
    },
    sizes,
    b1: throughput === undefined ? previousB1 : { ...previousB1, ...throughput },
    ...(memory === undefined ? {} : { b2: memory }),
    ...(b3 === undefined ? {} : { b3 }),
    ...(b4 === undefined ? {} : { b4 }),
    ...(lookups === undefined ? {} : { b5: lookups }),
    ...(chaos === undefined ? {} : { b6: chaos }),
    ...(retained === undefined ? {} : { retention: retained })
  }
  const results: Results = { ...measured, targets: targetsOf(measured) }
  const table = markdownOf(results)
  console.log(table)

  Fs.mkdirSync(dir, { recursive: true })
  Fs.writeFileSync(Path.join(dir, `${name}.json`), JSON.stringify(results, null, 2) + "\n")
  Fs.writeFileSync(Path.join(dir, `${name}.md`), table + "\n")
  // the chart shows B1–B4: redrawn when one of them ran
  const { b1: chartB1, b2: chartB2, b3: chartB3, b4: chartB4 } = results
  const charted = (throughput !== undefined || memory !== undefined || b3 !== undefined) &&
    chartB1 !== undefined && chartB2 !== undefined && chartB3 !== undefined && chartB4 !== undefined
  if (charted) {
    Fs.writeFileSync(
      Path.join(dir, `${name}.svg`),
      await renderChart({ machine: results.machine, b1: chartB1, b2: chartB2, b3: chartB3, b4: chartB4 })
    )
  }
  log(`wrote bench/results/${name}.json, ${name}.md${charted ? ` and ${name}.svg` : ""}`)
  if (profiled !== undefined) {
    Fs.writeFileSync(Path.join(dir, `${name}-profile.md`), profiled + "\n")
    log(`wrote bench/results/${name}-profile.md`)
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
