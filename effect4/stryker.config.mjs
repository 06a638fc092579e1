import { fileURLToPath } from "node:url"

// StrykerJS over the Effect 4 edition's core (as ../stryker.config.mjs for the Effect 3 one)'s modules that decide correctness; run it with `pnpm mutation`
// (scripts/mutation.mjs, which also checks the survivors against bench/results/mutation/survivors.json).
import * as fs from "node:fs"
import { groups as all } from "../scripts/mutation-groups.mjs"

// the Effect 3 edition's groups, less what this edition does not have (compile.ts: Schema's own decoders here)
const groups = all
  .map((g) => ({ ...g, files: g.files.filter((f) => fs.existsSync(f)) }))
  .filter((g) => g.files.length > 0)

const name = process.env.POSTPRESS_MUTATION_GROUP ?? "all"
const group = name === "all"
  ? { name, files: groups.flatMap((g) => g.files) }
  : groups.find((g) => g.name === name) ?? { name, files: [] }

/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  // named, not discovered: pnpm keeps the runner out of the core package's own node_modules
  plugins: [fileURLToPath(import.meta.resolve("@stryker-mutator/vitest-runner"))],
  vitest: { configFile: "vitest.mutation.config.ts" },
  coverageAnalysis: "perTest",
  // one group of modules per run (scripts/mutation.mjs sets POSTPRESS_MUTATION_GROUP), each with its own
  // incremental file and report, so that a run's results are kept group by group
  mutate: group.files,
  ignorePatterns: [
    "/examples",
    "/bench",
    "/MIGRATION-NOTES-*",
    "/REQUESTS.md",
    "/coverage",
    "/.stryker-tmp",
    "/reports"
  ],
  tempDirName: ".stryker-tmp",
  concurrency: 2,
  timeoutFactor: 2,
  timeoutMS: 5000,
  // a mutant in module-level code needs the whole suite (over a minute here) each: left out, and counted in the report
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `../bench/results/mutation/incremental/effect4/${group.name}.json`,
  // event-recorder: each mutant's result as it is known (report/events/), to read survivors during a long run
  reporters: ["json", "html", "progress", "event-recorder"],
  eventReporter: { baseDir: `../bench/results/mutation/report/effect4/events/${group.name}` },
  jsonReporter: { fileName: `../bench/results/mutation/report/effect4/${group.name}.json` },
  htmlReporter: { fileName: `../bench/results/mutation/report/effect4/${group.name}.html` },
  cleanTempDir: "always"
}
