/**
 * P (`pnpm bench --only profile`): where a B1 client's CPU goes. Each
 * contender streams the fast server's chat once more with its run CPU-profiled
 * (clients/driver.ts's `stream` task with `B1_CPU_PROFILE`, the start-up left out), and each
 * sample's self time is put in one bucket, by the function it was taken in:
 * its module in the bundle (esbuild writes `// <path>` before each), or the
 * runtime's own frames (the UTF-8 decoder, the garbage collector, idle).
 * Built-ins such as `JSON.parse` count in the bucket of the function that
 * called them, so the SDK's parse is in its `response` module and the raw loop's in
 * its own loop.
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { median } from "./stats.js"

interface CallFrame {
  readonly functionName: string
  readonly url: string
  readonly lineNumber: number
}

interface CpuProfile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: CallFrame }>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

/** One bucket of a profile: its time over the run, and per message. */
export interface Bucket {
  readonly name: string
  readonly ms: number
  readonly microsPerMessage: number
}

/** A contender's profile, summarised. */
export interface ProfileSummary {
  readonly contender: string
  readonly messages: number
  readonly profiledMs: number
  readonly buckets: ReadonlyArray<Bucket>
  /** The functions with the most self time, outside the runtime's own frames. */
  readonly topFrames: ReadonlyArray<Bucket>
}

/** The module starts of an esbuild bundle: `[line, path]`, in order. */
const modulesOf = (bundle: string): ReadonlyArray<readonly [number, string]> =>
  bundle.split("\n").flatMap((line, i) =>
    /^\/\/ \S+\.(?:[cm]?js|ts)$/.test(line) ? [[i + 1, line.slice(3)] as const] : []
  )

const moduleAt = (modules: ReadonlyArray<readonly [number, string]>, line: number): string => {
  let low = 0
  let high = modules.length - 1
  let found = "?"
  while (low <= high) {
    const middle = (low + high) >> 1
    if (modules[middle]![0] <= line) {
      found = modules[middle]![1]
      low = middle + 1
    } else {
      high = middle - 1
    }
  }
  return found
}

/** The bucket of a frame: what a reader of the SDK's cost asks about. */
const bucketOf = (frame: CallFrame, module: string | undefined): string => {
  if (frame.url === "") {
    if (/^[cd]\d+$/.test(frame.functionName)) return "decoding (compiled decoders)"
    if (frame.functionName === "(garbage collector)") return "garbage collector"
    if (frame.functionName === "(idle)") return "idle (waiting for the network)"
    if (frame.functionName === "(program)") return "V8 (program)"
    // functions made by `new Function` have no url: Effect 4's Schema JIT-compiles its parsers so
    if (frame.functionName === "") return "decoding (url-less compiled code: Schema's JIT)"
    return `native: ${frame.functionName}`
  }
  if (frame.url === "node:inspector") return "the profiler (node:inspector)"
  if (frame.url.endsWith("node:internal/encoding")) return "UTF-8 → text (TextDecoder)"
  if (frame.url.includes("node:internal/deps/undici")) return "Node's fetch (its undici)"
  if (frame.url.startsWith("node:")) return "Node internals (net, streams, timers)"
  if (module === undefined) return "other"
  // the SDK's modules, as built: packages/<pkg>/build/esm/… (Effect 3), effect4/packages/<pkg>/dist/… (Effect 4),
  // or their sources
  const sdk = /packages\/(core|node)\/(?:src|build\/esm|dist)\/(.*)$/.exec(module)
  if (sdk !== null) {
    const [, pkg, file] = sdk
    if (pkg === "core" && /^internal\/http\/response\./.test(file!)) return "JSON.parse (response)"
    if (pkg === "core" && /^internal\/decode\//.test(file!)) return "decoding (compiled decoders)"
    return pkg === "core" ? "SDK: core (request, policy, stream)" : "SDK: node transport"
  }
  if (/clients\/contenders\.ts$/.test(module)) return "the contender's own loop (raw: JSON.parse)"
  if (/clients\/driver\.ts$/.test(module)) return "the bench's driver (clients/driver.ts)"
  const effect = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?effect\/(?:dist\/(?:esm\/)?|src\/)?(.*)$/.exec(module)
  if (effect !== null) {
    // Effect 4's schemas decode through effect's own Schema modules (its compiled parsers)
    return /^(?:internal\/)?(?:schema|ParseResult)/i.test(effect[1]!) ? "decoding (effect/Schema)" : "effect runtime"
  }
  if (module.includes("@effect/platform")) return "@effect/platform"
  if (module.includes("/undici/")) return "undici (npm)"
  if (module.includes("unipile-node-sdk") || module.includes("axios")) return "unipile-node-sdk / axios"
  return "other"
}

/** Summarises a profile of `messages` messages taken by the process bundled as `bundleFile`. */
export const summarize = (
  contender: string,
  profileFile: string,
  bundleFile: string,
  messages: number
): ProfileSummary => {
  const profile: CpuProfile = JSON.parse(Fs.readFileSync(profileFile, "utf8"))
  const modules = modulesOf(Fs.readFileSync(bundleFile, "utf8"))
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
  const buckets = new Map<string, number>()
  const functions = new Map<string, number>()
  const bundleName = `/${Path.basename(bundleFile)}`
  let total = 0
  profile.samples.forEach((id, i) => {
    const frame = frames.get(id)!
    const micros = profile.timeDeltas[i] ?? 0
    const module = frame.url.endsWith(bundleName) ? moduleAt(modules, frame.lineNumber + 1) : undefined
    const bucket = bucketOf(frame, module)
    total += micros
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + micros)
    if (frame.url !== "" || bucket.startsWith("decoding")) {
      const where = module === undefined ? frame.url : module.replace(/^.*node_modules\//, "")
      const name = `${frame.functionName || "(anonymous)"} (${where})`
      functions.set(name, (functions.get(name) ?? 0) + micros)
    }
  })
  const asBuckets = (entries: Map<string, number>) =>
    [...entries].sort(([, a], [, b]) => b - a).map(([name, micros]) => ({
      name,
      ms: micros / 1000,
      microsPerMessage: micros / messages
    }))
  return {
    contender,
    messages,
    profiledMs: total / 1000,
    buckets: asBuckets(buckets),
    topFrames: asBuckets(functions).slice(0, 12)
  }
}

/** The summaries as Markdown: the buckets side by side, then each contender's top frames. */
export const profileMarkdown = (
  title: string,
  summaries: ReadonlyArray<ProfileSummary>
): string => {
  const names = [...new Set(summaries.flatMap((summary) => summary.buckets.map((bucket) => bucket.name)))]
  const micros = (summary: ProfileSummary, name: string) =>
    summary.buckets.find((bucket) => bucket.name === name)?.microsPerMessage ?? 0
  names.sort((a, b) => micros(summaries[0]!, b) - micros(summaries[0]!, a))
  // buckets under 0.05 µs a message for every contender are summed in one row
  const shown = names.filter((name) => summaries.some((summary) => micros(summary, name) >= 0.05))
  const rest = (summary: ProfileSummary) =>
    names.filter((name) => !shown.includes(name)).reduce((sum, name) => sum + micros(summary, name), 0)
  const cell = (value: number) => value.toFixed(2)
  return [
    `## ${title}`,
    "",
    `Main-thread time per message, µs; per bucket, the median of each contender's runs (${
      summaries.map((s) => `${s.contender}: ${cell(s.profiledMs)} ms profiled`).join("; ")
    }):`,
    "",
    `| bucket | ${summaries.map((summary) => summary.contender).join(" | ")} |`,
    `| --- | ${summaries.map(() => "---:").join(" | ")} |`,
    ...shown.map((name) => `| ${name} | ${summaries.map((summary) => cell(micros(summary, name))).join(" | ")} |`),
    `| everything else | ${summaries.map((summary) => cell(rest(summary))).join(" | ")} |`,
    `| **total** | ${
      summaries.map((summary) => `**${cell(summary.profiledMs * 1000 / summary.messages)}**`).join(" | ")
    } |`,
    "",
    ...summaries.flatMap((summary) => [
      `Top frames, ${summary.contender} (self time, µs per message):`,
      "",
      ...summary.topFrames.map((frame) => `- ${cell(frame.microsPerMessage)} ${frame.name}`),
      ""
    ])
  ].join("\n")
}

/** Where a B1 server is. */
export interface Target {
  readonly baseUrl: string
  readonly apiKey: string
  readonly chatId: string
}

/** Per bucket, the median over several summaries of one contender; the top frames of the median run. */
const medianOf = (runs: ReadonlyArray<ProfileSummary>): ProfileSummary => {
  const byTotal = [...runs].sort((a, b) => a.profiledMs - b.profiledMs)
  const middle = byTotal[byTotal.length >> 1]!
  const names = [...new Set(runs.flatMap((run) => run.buckets.map((bucket) => bucket.name)))]
  const buckets = names.map((name) => {
    const ms = median(runs.map((run) => run.buckets.find((bucket) => bucket.name === name)?.ms ?? 0))
    return { name, ms, microsPerMessage: ms * 1000 / middle.messages }
  }).sort((a, b) => b.ms - a.ms)
  return { ...middle, profiledMs: median(runs.map((run) => run.profiledMs)), buckets }
}

/** One contender to profile: its label, its bundled process and the contender it names. */
export interface Profiled {
  readonly label: string
  readonly bundle: string
  readonly contender: string
}

/**
 * Runs each contender `rounds` times (alternating, one fresh process a run,
 * on the `node` at `nodePath`) with its run profiled (clients/driver.ts's
 * `stream` task with `B1_CPU_PROFILE`), and summarises each by its medians: a
 * single profile moves by ±20 % on a busy machine, bucket by bucket.
 */
export const profileContenders = (
  nodePath: string,
  contenders: ReadonlyArray<Profiled>,
  target: Target,
  messages: number,
  rounds = 3
): ReadonlyArray<ProfileSummary> => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "b1-profile-"))
  const runs = new Map(contenders.map((c) => [c.label, [] as Array<ProfileSummary>]))
  for (let round = 0; round < rounds; round++) {
    for (const c of round % 2 === 0 ? contenders : [...contenders].reverse()) {
      const file = Path.join(dir, `${round}.cpuprofile`)
      const output = ChildProcess.execFileSync(
        nodePath,
        [c.bundle, "stream", c.contender, target.baseUrl, target.apiKey, target.chatId],
        { encoding: "utf8", env: { ...process.env, B1_CPU_PROFILE: file } }
      )
      const run = JSON.parse(output.trim().split("\n").pop()!) as { messages: number }
      if (run.messages !== messages) throw new Error(`${c.label} streamed ${run.messages} messages, not ${messages}`)
      runs.get(c.label)!.push(summarize(c.label, file, c.bundle, messages))
      Fs.rmSync(file)
    }
  }
  Fs.rmSync(dir, { recursive: true })
  return contenders.map((c) => medianOf(runs.get(c.label)!))
}
