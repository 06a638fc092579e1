// Runs pnpm in the Effect 4 edition's workspace (effect4/), with that
// workspace's Node (its dev dependency on the registry's `node` package, Node
// 24) first on PATH, so its scripts, vitest and every process they start run
// on a Node that Effect 4 supports even where the machine has only Node 20.
//
//   node scripts/effect4.mjs install --frozen-lockfile
//   node scripts/effect4.mjs run test
//
// Called from the root package.json (postinstall, test, build, …) by pnpm,
// which names itself in npm_execpath; run by hand it falls back to
// `npx -y pnpm@<packageManager>`.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const workspace = path.join(root, "effect4")
const bin = path.join(workspace, "node_modules", ".bin")

const execpath = process.env.npm_execpath
const pnpm = execpath && /pnpm/.test(path.basename(execpath))
  ? [process.execPath, execpath]
  : [
    "npx",
    "-y",
    `pnpm@${JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).packageManager.split("@")[1]}`
  ]

const result = spawnSync(pnpm[0], [...pnpm.slice(1), ...process.argv.slice(2)], {
  cwd: workspace,
  stdio: "inherit",
  env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` }
})
if (result.error) {
  console.error(`effect4: could not run pnpm: ${result.error.message}`)
  process.exit(1)
}
process.exit(result.status ?? 1)
