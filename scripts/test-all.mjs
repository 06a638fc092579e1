// The README's test command: both editions' suites, one after the other, and
// one closing line for the whole run, `N passed, M failed[, K skipped]`.
//
// - The Effect 3 edition: `vitest run` in this workspace, on this Node.
// - The Effect 4 edition: `vitest run` in effect4/, on that workspace's Node
//   (scripts/effect4.mjs puts it first on PATH).
//
// A suite that ends without writing its counts (it crashed, or its config did
// not load) counts as one failure. Arguments are passed to both vitest runs.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "postpress-tests-"))
const args = process.argv.slice(2)

const editions = [
  { name: "effect3", command: [process.execPath, [path.join(root, "node_modules/vitest/vitest.mjs"), "run", ...args]] },
  {
    name: "effect4",
    command: [process.execPath, [path.join(root, "scripts/effect4.mjs"), "exec", "vitest", "run", ...args]]
  }
]

const total = { passed: 0, failed: 0, skipped: 0 }
for (const edition of editions) {
  const summary = path.join(dir, `${edition.name}.json`)
  console.log(`\n::: ${edition.name} edition`)
  const [command, argv] = edition.command
  const result = spawnSync(command, argv, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, POSTPRESS_TEST_SUMMARY: summary, POSTPRESS_TEST_EDITION: edition.name }
  })
  let counts
  try {
    counts = JSON.parse(fs.readFileSync(summary, "utf8"))
  } catch {
    console.log(`${edition.name}: the suite ended (status ${result.status ?? result.signal}) without a summary`)
    counts = { passed: 0, failed: 1, skipped: 0 }
  }
  if (result.status !== 0 && counts.failed === 0) counts.failed = 1
  total.passed += counts.passed
  total.failed += counts.failed
  total.skipped += counts.skipped
}
fs.rmSync(dir, { recursive: true, force: true })

console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped > 0 ? `, ${total.skipped} skipped` : ""}`)
process.exit(total.failed > 0 ? 1 : 0)
