// The test map: every test of the Effect 3 edition's packages, and the test of
// the Effect 4 edition that covers it, so a reader can see nothing was dropped.
//
//   node scripts/test-map.mjs           checks, and writes conformance/TEST-MAP.md
//   node scripts/test-map.mjs --check   checks, and fails when TEST-MAP.md is not what it writes
//
// Both suites are listed without running them (`vitest list --json`). A test
// maps to the test of the same name in the file of the same path under
// effect4/ (packages/core/test/Foo.test.ts → effect4/packages/core/test/Foo.test.ts),
// unless conformance/test-map.json says otherwise:
//   { "files": { "<v3 file>": "<v4 file>" },
//     "prefixes": { "<v3 file> > <v3 describe> > ": "<v4 file> > <v4 describe> > " },
//     "tests": { "<v3 file> > <v3 name>": "<v4 file> > <v4 name>" } }
// (each with a "why" key beside, which the map ignores)
// It fails when a test of the Effect 3 edition has no counterpart.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const check = process.argv.includes("--check")
const output = path.join(root, "conformance/TEST-MAP.md")
const overrides = JSON.parse(fs.readFileSync(path.join(root, "conformance/test-map.json"), "utf8"))
const packages = ["packages/core/test/", "packages/node/test/", "packages/simulator/test/"]

const list = (cwd, command, extra = []) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "test-map-")), "list.json")
  const [bin, ...args] = command
  const result = spawnSync(bin, [...args, "list", `--json=${file}`, ...extra], {
    cwd,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PATH: `${path.join(cwd, "node_modules/.bin")}${path.delimiter}${process.env.PATH}` }
  })
  if (result.status !== 0 || !fs.existsSync(file)) {
    console.error(`vitest list failed in ${cwd}`)
    process.exit(1)
  }
  return JSON.parse(fs.readFileSync(file, "utf8"))
    .map((test) => ({ file: path.relative(cwd, test.file), name: test.name }))
    .filter((test) => packages.some((prefix) => test.file.startsWith(prefix)))
}

const v3 = list(root, [process.execPath, "node_modules/vitest/vitest.mjs"])
// vitest 5 parses files statically unless told to load them (the names of tests made in loops need that)
const v4 = list(path.join(root, "effect4"), [
  path.join(root, "effect4/node_modules/.bin/node"),
  "node_modules/vitest/vitest.mjs"
], ["--staticParse=false"])
const v4Keys = new Set(v4.map((test) => `${test.file} > ${test.name}`))

const rows = []
const missing = []
const used = new Set()
for (const test of v3) {
  const key = `${test.file} > ${test.name}`
  const prefix = Object.keys(overrides.prefixes ?? {}).find((from) => key.startsWith(from))
  const target = overrides.tests?.[key] ??
    (prefix !== undefined ? overrides.prefixes[prefix] + key.slice(prefix.length) : undefined) ??
    `${overrides.files?.[test.file] ?? test.file} > ${test.name}`
  const found = v4Keys.has(target)
  if (found) used.add(target)
  else missing.push(key)
  rows.push({ file: test.file, name: test.name, target: found ? target : undefined })
}
const added = v4.filter((test) => !used.has(`${test.file} > ${test.name}`))
  .sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : 0)

const escape = (text) => text.replaceAll("|", "\\|").replaceAll("\n", " ")
let markdown = `# Test map: Effect 3 edition → Effect 4 edition

Every test of the Effect 3 edition's packages (\`packages/*/test\`) and the test of the Effect 4 edition
(\`effect4/packages/*/test\`) that covers it. Written by \`node scripts/test-map.mjs\` from \`vitest list\` of both
suites and \`conformance/test-map.json\` (renamed files and tests); CI fails when a test has no counterpart or this
file is stale.

${v3.length} tests in the Effect 3 edition's packages, ${v3.length - missing.length} covered; ${v4.length} tests in the
Effect 4 edition's packages, ${added.length} of them new in that edition.
`
// files in name order (vitest lists them in the order they were collected, which varies)
for (const file of [...new Set(v3.map((test) => test.file))].sort()) {
  const target = overrides.files?.[file] ?? file
  markdown += `\n## ${file} → effect4/${target}\n\n| Effect 3 test | Effect 4 test |\n| --- | --- |\n`
  for (const row of rows.filter((row) => row.file === file)) {
    const same = row.target === `${target} > ${row.name}`
    markdown += `| ${escape(row.name)} | ${
      row.target === undefined ? "**missing**" : same ? "same name" : escape(row.target)
    } |\n`
  }
}
if (added.length > 0) {
  markdown += `\n## New in the Effect 4 edition\n\n`
  for (const test of added) markdown += `- ${escape(`${test.file} > ${test.name}`)}\n`
}

if (check) {
  const current = fs.existsSync(output) ? fs.readFileSync(output, "utf8") : ""
  if (current !== markdown) {
    console.error("conformance/TEST-MAP.md is not what scripts/test-map.mjs writes: run it and commit the file")
    process.exitCode = 1
  }
} else {
  fs.writeFileSync(output, markdown)
}
if (missing.length > 0) {
  console.error(`${missing.length} test(s) of the Effect 3 edition have no counterpart in the Effect 4 edition:`)
  for (const key of missing) console.error(`  ${key}`)
  process.exitCode = 1
}
console.log(
  `test map: ${v3.length - missing.length} of ${v3.length} Effect 3 tests covered; ${added.length} new in Effect 4`
)
