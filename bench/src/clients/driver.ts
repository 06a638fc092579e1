/**
 * What every measuring process of the bench does, whichever client it holds:
 * the edition-neutral half of `clients/effect3.ts`, `clients/contenders.ts` and
 * `effect4/bench/src/effect4.ts`, each bundled by run.ts (esbuild, as an
 * application ships) and run on plain Node, a fresh process per run. It reads
 * its task from the command line, runs it with the contender named, and prints
 * its figures as JSON on its last line. No Effect here: each edition's entry
 * brings its own.
 *
 *   node dist/<entry>.mjs stream  <contender> <baseUrl> <apiKey> <chatId>                 B1 (B1_CPU_PROFILE=<file>: P)
 *   node --expose-gc dist/<entry>.mjs memory <contender> <baseUrl> <apiKey> <chatId> <count>    B2
 *   node dist/<entry>.mjs retrieve <contender> <baseUrl> <apiKey> <chatId> <idsFile> <sequential> <fanOut>   B3, B4
 *   node dist/<entry>.mjs lookups <contender> <baseUrl> <apiKey> <chatId> <orderFile> <concurrency>   B5
 *   node dist/<entry>.mjs chaos   <contender> <baseUrl> <apiKey> <chatId> <idsOutFile>     B6
 */
import * as Fs from "node:fs"
import * as Inspector from "node:inspector"

/** Where the server is. */
export interface Where {
  readonly baseUrl: string
  readonly apiKey: string
  readonly chatId: string
}

/** How a B6 stream ended: completed, or the error's tag (`defect`, `interrupted`) and its `resume.pages`. */
export interface Ending {
  readonly completed: boolean
  readonly tag?: string | undefined
  readonly resumePages?: number | undefined
}

/** One contender of one process: what it can do (a task it cannot do fails the run). */
export interface Contender {
  /** B1: streams every message of the chat once (pages of 250); resolves with the messages seen. */
  readonly stream?: () => Promise<number>
  /** B3: retrieves one message. */
  readonly retrieve?: (id: string) => Promise<unknown>
  /** B4, B5: retrieves every id, `concurrency` at a time. */
  readonly retrieveAll?: (ids: ReadonlyArray<string>, concurrency: number) => Promise<void>
  /** B2: the first `count` messages of the chat through its pages, `onMessage` called for each. */
  readonly memory?: (count: number, onMessage: () => void) => Promise<void>
  /** B6: the chat's stream, `onId` called with each message's id; resolves with how it ended, never rejects. */
  readonly collect?: (onId: (id: string) => void) => Promise<Ending>
  readonly dispose?: () => Promise<void>
}

/** The chat's messages, a page at a time, as B1's stream asks for them. */
export const LIMIT = 250

/**
 * With `B1_CPU_PROFILE=<file>`, the run (and only the run: not the start-up)
 * is CPU-profiled through the inspector (100 µs sampling) and the profile
 * written there, for profile.ts to summarise.
 */
const profiled = async <A>(run: () => Promise<A>): Promise<A> => {
  const file = process.env.B1_CPU_PROFILE
  if (file === undefined) return run()
  const session = new Inspector.Session()
  session.connect()
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, params, (error, result) => error === null ? resolve(result) : reject(error))
    )
  await post("Profiler.enable")
  await post("Profiler.setSamplingInterval", { interval: 100 })
  await post("Profiler.start")
  const result = await run()
  const { profile } = await post("Profiler.stop")
  Fs.writeFileSync(file, JSON.stringify(profile))
  session.disconnect()
  return result
}

const need = <K extends keyof Contender>(contender: Contender, name: string, key: K): NonNullable<Contender[K]> => {
  const f = contender[key]
  if (f === undefined) throw new Error(`${name} has no ${key}`)
  return f as NonNullable<Contender[K]>
}

const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10

/** The tasks; each resolves with the figures the process prints. */
const tasks: Record<string, (contender: Contender, name: string, args: ReadonlyArray<string>) => Promise<object>> = {
  /**
   * B1: `{ messages, ms, cpuMicros }`: the wall time and this process's CPU
   * (`process.cpuUsage()`, user + system) over the stream alone, client
   * construction excluded, JIT warm-up included.
   */
  stream: async (contender, name) => {
    const run = need(contender, name, "stream")
    const cpu = process.cpuUsage()
    const start = performance.now()
    const messages = await profiled(run)
    const ms = performance.now() - start
    const { system, user } = process.cpuUsage(cpu)
    return { messages, ms, cpuMicros: user + system }
  },
  /**
   * B2: `{ peakRssMiB, peakHeapMiB }`: the peak RSS (sampled every 5 ms) and
   * the peak heap still in use after a full GC (sampled every 10,000 messages):
   * garbage not yet collected is not memory the stream holds.
   */
  memory: async (contender, name, [count = "0"]) => {
    const run = need(contender, name, "memory")
    const gc = (globalThis as { gc?: () => void }).gc
    if (gc === undefined) throw new Error("memory needs node --expose-gc")
    let peakRss = 0
    let peakHeap = 0
    let seen = 0
    const sample = () => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
    }
    const sampler = setInterval(sample, 5)
    await run(Number(count), () => {
      if (++seen % 10_000 === 0) {
        gc()
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
      }
    })
    sample()
    clearInterval(sampler)
    return { messages: seen, peakRssMiB: mib(peakRss), peakHeapMiB: mib(peakHeap) }
  },
  /**
   * B3 then B4, in one process as one client would: `sequential` retrieves one
   * after the other (`{ p50, p99 }` in ms), then `fanOut` at concurrency 32
   * (`perSec`), over the ids of `idsFile` in turn.
   */
  retrieve: async (contender, name, [idsFile = "", sequential = "0", fanOut = "0"]) => {
    const retrieve = need(contender, name, "retrieve")
    const retrieveAll = need(contender, name, "retrieveAll")
    const ids: ReadonlyArray<string> = JSON.parse(Fs.readFileSync(idsFile, "utf8"))
    const latencies: Array<number> = []
    for (let i = 0; i < Number(sequential); i++) {
      const start = performance.now()
      await retrieve(ids[i % ids.length]!)
      latencies.push(performance.now() - start)
    }
    const all = Array.from({ length: Number(fanOut) }, (_, i) => ids[i % ids.length]!)
    const start = performance.now()
    await retrieveAll(all, 32)
    const ms = performance.now() - start
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSec: all.length / (ms / 1000) }
  },
  /** B5: the ids of `orderFile`, in that order, at `concurrency`: `{ ms }`. */
  lookups: async (contender, name, [orderFile = "", concurrency = "32"]) => {
    const retrieveAll = need(contender, name, "retrieveAll")
    const order: ReadonlyArray<string> = JSON.parse(Fs.readFileSync(orderFile, "utf8"))
    const start = performance.now()
    await retrieveAll(order, Number(concurrency))
    return { ms: performance.now() - start }
  },
  /** B6: the ids received, in order, written to `idsOutFile` as JSON; `{ ending, ms }`. */
  chaos: async (contender, name, [idsOutFile = ""]) => {
    const collect = need(contender, name, "collect")
    const received: Array<string> = []
    const start = performance.now()
    const ending = await collect((id) => received.push(id))
    const ms = performance.now() - start
    Fs.writeFileSync(idsOutFile, JSON.stringify(received))
    return { ending, ms }
  }
}

/** Runs the task the command line names with the contender it names, and prints its figures; then exits. */
export const main = async (
  contenders: Record<string, (where: Where) => Contender | Promise<Contender>>
): Promise<never> => {
  const [task = "", name = "", baseUrl = "", apiKey = "", chatId = "", ...args] = process.argv.slice(2)
  const run = tasks[task]
  if (run === undefined) {
    throw new Error(`unknown task ${JSON.stringify(task)} (expected ${Object.keys(tasks).join(", ")})`)
  }
  const make = contenders[name]
  if (make === undefined) {
    throw new Error(`unknown contender ${JSON.stringify(name)} (expected ${Object.keys(contenders).join(", ")})`)
  }
  const contender = await make({ baseUrl, apiKey, chatId })
  const figures = await run(contender, name, args)
  await contender.dispose?.()
  console.log(JSON.stringify(figures))
  process.exit(0)
}
