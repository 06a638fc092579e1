// Copies the simulator's edition-neutral sources (the dataset generator and
// the simulated API's data behaviour: paging, filters, cursors, errors, fault
// choice) from the Effect 3 edition's package into the Effect 4 edition's, so
// both simulators serve the same bytes from one source while each package
// stays self-contained and publishable.
//
//   node effect4/scripts/sync-shared.mjs           writes the copies
//   node effect4/scripts/sync-shared.mjs --check   exits 1, naming them, when a copy is missing or stale
//
// The copies (effect4/packages/simulator/src/internal/shared/, ignored by git)
// are read-only and start with a line naming their source: edit the source.
// Both modes first check that the sources are edition-neutral (no `effect`
// import: see notNeutral) and exit 1 when one is not.
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
const sourceDir = "packages/simulator/src/internal"
const targetDir = path.join(root, "effect4/packages/simulator/src/internal/shared")

/** The edition-neutral modules: no `effect` import, relative imports among themselves only. */
const files = ["random.ts", "dataset.ts", "cursor.ts", "responses.ts", "faults.ts"]

/**
 * Why a source is not edition-neutral, if it is not: it may import only the
 * other listed modules (`./x.js`) and, as types only, the names both
 * editions' `@postpress/core` declare; never `effect`, `@effect/*` or any
 * other package.
 */
const notNeutral = (file, text) => {
  const problems = []
  for (
    const [statement, typeOnly, specifier] of text.matchAll(
      /^\s*(?:import|export)\s+(type\s+)?[^;]*?from\s+["']([^"']+)["']/gm
    )
  ) {
    const local = specifier.startsWith("./") && files.includes(specifier.slice(2).replace(/\.js$/, ".ts"))
    const coreType = typeOnly !== undefined && specifier.startsWith("@postpress/core/")
    if (!local && !coreType) problems.push(`${file}: ${statement.trim().split("\n")[0]}`)
  }
  if (/\b(?:import|require)\s*\(\s*["'`]/.test(text)) problems.push(`${file}: a dynamic import() or require()`)
  return problems
}

const header = (file) =>
  `// Generated from ${sourceDir}/${file} by effect4/scripts/sync-shared.mjs: edit the source, not this copy\n`

const expected = (file) => header(file) + fs.readFileSync(path.join(root, sourceDir, file), "utf8")

const problems = files.flatMap((file) => notNeutral(file, fs.readFileSync(path.join(root, sourceDir, file), "utf8")))
if (problems.length > 0) {
  for (const problem of problems) console.error(`sync-shared: not edition-neutral: ${problem}`)
  process.exit(1)
}

if (process.argv.includes("--check")) {
  const stale = files.filter((file) => {
    const target = path.join(targetDir, file)
    return !fs.existsSync(target) || fs.readFileSync(target, "utf8") !== expected(file)
  })
  const extra = fs.existsSync(targetDir) ? fs.readdirSync(targetDir).filter((file) => !files.includes(file)) : []
  if (stale.length > 0 || extra.length > 0) {
    for (const file of stale) console.error(`sync-shared: ${file} is missing or differs from ${sourceDir}/${file}`)
    for (const file of extra) console.error(`sync-shared: ${file} has no source (not in the list)`)
    console.error("sync-shared: run `node effect4/scripts/sync-shared.mjs`")
    process.exit(1)
  }
} else {
  fs.mkdirSync(targetDir, { recursive: true })
  for (const file of fs.readdirSync(targetDir)) {
    if (!files.includes(file)) fs.rmSync(path.join(targetDir, file), { force: true })
  }
  for (const file of files) {
    const target = path.join(targetDir, file)
    const content = expected(file)
    if (fs.existsSync(target) && fs.readFileSync(target, "utf8") === content) continue
    fs.rmSync(target, { force: true })
    fs.writeFileSync(target, content, { mode: 0o444 })
  }
}
