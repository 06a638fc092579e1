// Mutation testing with StrykerJS (vitest runner, per-test coverage) over the core's modules that decide
// correctness and the node transport (the list is in stryker.config.mjs), then a summary: the score per module,
// and every surviving mutant with the reason it is left, from bench/results/mutation/survivors.json.
//
//   pnpm mutation                      incremental: only mutants in changed code (or under changed tests) run again
//   pnpm mutation --full               every mutant
//   pnpm mutation --edition effect4    the Effect 4 edition (effect4/stryker.config.mjs)
//   pnpm mutation --group stream       one group of modules (scripts/mutation-groups.mjs)
//   pnpm mutation --report             no run: the summary of the last reports
//
// Writes bench/results/mutation/latest.md (committed: date, score per module, the survivors) and, for the Effect 4
// edition, latest-effect4.md; Stryker's own HTML and JSON reports go to bench/results/mutation/report/ (ignored).
// Fails when a survivor is not explained in survivors.json (keyed by file, mutator, original and replacement
// text, so the key survives edits elsewhere in the file), or when the score is below 90 %.
// StrykerJS 10 needs Node 22 or later: on an older Node this runs it on the Effect 4 workspace's Node 24.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { groups as allGroups } from "./mutation-groups.mjs"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const args = process.argv.slice(2)
const flag = (name) => args.includes(name)
const option = (name) => {
  const i = args.indexOf(name)
  return i === -1 ? undefined : args[i + 1]
}
const edition = option("--edition") ?? "effect3"
if (edition !== "effect3" && edition !== "effect4") {
  console.error(`mutation: --edition is effect3 or effect4, not ${edition}`)
  process.exit(2)
}
const THRESHOLD = 90
const cwd = edition === "effect4" ? path.join(root, "effect4") : root
const results = path.join(root, "bench", "results", "mutation")
// the groups with a module in this edition (the Effect 4 one has no compile.ts: Schema's own decoders there)
const groups = allGroups
  .map((g) => ({ ...g, files: g.files.filter((f) => fs.existsSync(path.join(cwd, f))) }))
  .filter((g) => g.files.length > 0)
const reportDir = path.join(results, "report", edition === "effect4" ? "effect4" : "")
const only = option("--group")
if (only !== undefined && !groups.some((g) => g.name === only)) {
  console.error(`mutation: no group ${only}: ${groups.map((g) => g.name).join(", ")}`)
  process.exit(2)
}
const survivorsFile = path.join(results, "survivors.json")
const latestFile = path.join(results, edition === "effect4" ? "latest-effect4.md" : "latest.md")
const prefix = edition === "effect4" ? "effect4/" : ""

// --- run -----------------------------------------------------------------------------------------------------
let wall
if (!flag("--report")) {
  const major = Number(process.versions.node.split(".")[0])
  const node24 = path.join(root, "effect4", "node_modules", ".bin")
  const env = { ...process.env }
  if (major < 22) env.PATH = `${node24}${path.delimiter}${env.PATH ?? ""}`
  const stryker = path.join(cwd, "node_modules", "@stryker-mutator", "core", "bin", "stryker.js")
  const started = Date.now()
  for (const group of groups.filter((g) => only === undefined || g.name === only)) {
    console.log(`\nmutation: ${group.name} (${group.files.join(", ")})`)
    const t0 = Date.now()
    const run = spawnSync("node", [stryker, "run", "stryker.config.mjs", ...(flag("--full") ? ["--force"] : [])], {
      cwd,
      env: { ...env, POSTPRESS_MUTATION_GROUP: group.name },
      stdio: "inherit"
    })
    if (run.error || run.status !== 0) {
      console.error(`mutation: stryker failed on ${group.name} (${run.error?.message ?? `exit ${run.status}`})`)
      process.exit(1)
    }
    console.log(`mutation: ${group.name} took ${Math.round((Date.now() - t0) / 1000)} s`)
  }
  wall = (Date.now() - started) / 1000
}

// --- summary -------------------------------------------------------------------------------------------------
const files = {}
const missing = []
let version = ""
for (const group of groups) {
  const file = path.join(reportDir, `${group.name}.json`)
  if (!fs.existsSync(file)) {
    missing.push(group.name)
    continue
  }
  const report = JSON.parse(fs.readFileSync(file, "utf8"))
  version = report.framework?.version ?? version
  Object.assign(files, report.files)
}
// A targeted re-run after tests were added (`POSTPRESS_MUTATION_GROUP=recheck-<name>`, stryker's `-m file:lines`), newer
// than its group's report, stands for the mutants it re-tested (matched by place, mutator and replacement).
let rechecked = 0
const recheckFiles = fs.existsSync(reportDir)
  ? fs.readdirSync(reportDir).filter((f) => /^recheck.*\.json$/.test(f)).map((f) => path.join(reportDir, f))
  : []
for (const recheckFile of recheckFiles) {
  const recheck = JSON.parse(fs.readFileSync(recheckFile, "utf8"))
  const recheckTime = fs.statSync(recheckFile).mtimeMs
  for (const [file, { mutants }] of Object.entries(recheck.files)) {
    const group = groups.find((g) => g.files.includes(file))
    const groupFile = group && path.join(reportDir, `${group.name}.json`)
    if (files[file] === undefined || !fs.existsSync(groupFile) || fs.statSync(groupFile).mtimeMs > recheckTime) continue
    const place = (m) =>
      `${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.mutatorName} ${m.replacement}`
    const newer = new Map(mutants.map((m) => [place(m), m]))
    files[file] = {
      ...files[file],
      mutants: files[file].mutants.map((m) => {
        const again = newer.get(place(m))
        if (again === undefined || again.status === "Ignored") return m
        rechecked++
        return { ...m, status: again.status }
      })
    }
  }
}
if (Object.keys(files).length === 0) {
  console.error(`mutation: no report in ${path.relative(root, reportDir)}: run \`pnpm mutation\` first`)
  process.exit(1)
}
const explained = fs.existsSync(survivorsFile) ? JSON.parse(fs.readFileSync(survivorsFile, "utf8")) : {}

/** Detected: killed, timed out (an infinite loop is caught), or a runtime error. Undetected: survived, no test. */
const DETECTED = new Set(["Killed", "Timeout", "RuntimeError"])
const UNDETECTED = new Set(["Survived", "NoCoverage"])

/** The stable key of a mutant: its file, mutator, and original and replacement text (no line numbers). */
const keyOf = (file, source, mutant) => {
  const lines = source.split("\n")
  const { start, end } = mutant.location
  const original = start.line === end.line
    ? lines[start.line - 1].slice(start.column - 1, end.column - 1)
    : [
      lines[start.line - 1].slice(start.column - 1),
      ...lines.slice(start.line, end.line - 1),
      lines[end.line - 1].slice(0, end.column - 1)
    ].join("\n")
  const squash = (s) => s.replace(/\s+/g, " ").trim()
  return `${prefix}${file} | ${mutant.mutatorName} | ${squash(original)} => ${squash(mutant.replacement ?? "")}`
}

const rows = []
const survivors = []
const used = new Set()
let ignored = 0
for (const [file, { source, mutants }] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
  let detected = 0
  let undetected = 0
  let equivalent = 0
  for (const mutant of mutants) {
    if (DETECTED.has(mutant.status)) detected++
    else if (UNDETECTED.has(mutant.status)) {
      undetected++
      const key = keyOf(file, source, mutant)
      const why = explained[key]
      if (why !== undefined) used.add(key)
      if (why?.startsWith("equivalent")) equivalent++
      survivors.push({ file, line: mutant.location.start.line, status: mutant.status, key, why })
    } else ignored++
  }
  const valid = detected + undetected
  rows.push({ file, detected, undetected, equivalent, valid })
}
const pct = (n, d) => (d === 0 ? 100 : (100 * n) / d)
const total = rows.reduce(
  (t, r) => ({
    detected: t.detected + r.detected,
    undetected: t.undetected + r.undetected,
    equivalent: t.equivalent + r.equivalent,
    valid: t.valid + r.valid
  }),
  { detected: 0, undetected: 0, equivalent: 0, valid: 0 }
)
const score = pct(total.detected, total.valid)
const unexplained = survivors.filter((s) => s.why === undefined)
const stale = Object.keys(explained).filter((k) => k.startsWith(prefix === "" ? "packages/" : prefix) && !used.has(k))

const table = [
  "| module | mutants | detected | survived / no test | of which equivalent | score | score without equivalents |",
  "|---|---:|---:|---:|---:|---:|---:|",
  ...[...rows, { file: "**all**", ...total }].map((r) =>
    `| ${r.file} | ${r.valid} | ${r.detected} | ${r.undetected} | ${r.equivalent} | ${
      pct(r.detected, r.valid).toFixed(1)
    } % | ${pct(r.detected, r.valid - r.equivalent).toFixed(1)} % |`
  )
]
const date = new Date().toISOString().slice(0, 16).replace("T", " ")
const md = [
  `# Mutation testing: ${edition === "effect4" ? "Effect 4" : "Effect 3"} edition`,
  "",
  `${date} UTC, StrykerJS ${version} with the vitest runner (per-test coverage),` +
  ` \`pnpm mutation${edition === "effect4" ? " --edition effect4" : ""}\`${
    wall === undefined ? "" : `, ${Math.round(wall / 60)} min wall time for this run`
  }. Score = detected (killed or timed out) / (detected + survived + not covered); ${ignored} static mutants` +
  " (module-level code, run once at import) are left out by `ignoreStatic`." +
  (rechecked > 0
    ? ` ${rechecked} mutants have their result from a targeted re-run after tests were added (report/recheck*.json).`
    : "") +
  (missing.length > 0 ? ` **Not run yet: ${missing.join(", ")}.**` : ""),
  "",
  "The suite per mutant is `vitest.mutation.config.ts`: the core's and node's tests without the HTTP chaos test and" +
  " the multi-process Redis limiter tests, the 10,000-case properties at 100 cases and the 100,000-message stream at" +
  " 5,000 (`POSTPRESS_MUTATION`); the full suite still runs them whole.",
  "",
  ...table,
  "",
  `## Survivors (${survivors.length}; ${unexplained.length} not explained)`,
  "",
  "Each is explained in `survivors.json` (equivalent: cannot change behaviour; accepted: a behaviour not worth a" +
  " test, with why).",
  "",
  ...survivors.map((s) =>
    `- ${s.file}:${s.line} ${s.status}: \`${s.key.split(" | ").slice(1).join(" | ")}\` — ${
      s.why ?? "**NOT EXPLAINED**"
    }`
  ),
  ""
].join("\n")
fs.writeFileSync(latestFile, md)

console.log("")
for (const line of table) console.log(line.replaceAll("**", ""))
console.log(
  `\nscore ${
    score.toFixed(1)
  } % (${total.detected}/${total.valid}); survivors ${survivors.length}, not explained ${unexplained.length}`
)
for (const s of unexplained) console.log(`  not explained: ${s.key}  (line ${s.line})`)
if (stale.length > 0) {
  console.log(`explanations no survivor matches any more (remove them): ${stale.length}\n  ${stale.join("\n  ")}`)
}
console.log(`written ${path.relative(root, latestFile)}`)
if (missing.length > 0) console.log(`not run yet: ${missing.join(", ")}`)
process.exit(unexplained.length > 0 || score < THRESHOLD || missing.length > 0 ? 1 : 0)
