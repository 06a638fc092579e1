// Builds the documentation site (site/) into site/.vitepress/dist, offline, from
// the repository alone:
//   1. regenerates both editions' API reference from the TSDoc (`pnpm docgen`:
//      docs/{core,node,simulator} for Effect 3, docs/effect4/… for Effect 4;
//      docgen type-checks every example) — `--skip-docgen` reuses docs/ as it is
//      (CI, right after its own docgen stage);
//   2. converts that markdown into VitePress pages under site/api/effect4/… and
//      site/api/effect3/… (generated, git-ignored; see ./apiPages.mjs);
//   3. refuses pasted code: a fenced block in a hand-written page (site/**/*.md
//      outside site/api/) may only be shell commands or program output (sh,
//      text); code comes from type-checked files through `<<< @/../path#region`;
//   4. runs `vitepress build site`.
// DOCS_BASE sets the base path the site is served under (default "/"; e.g.
// "/postpress-effect/" for a project page). Prints each step's time.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { writeApiPages } from "./apiPages.mjs"

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
const site = path.join(repo, "site")
const args = new Set(process.argv.slice(2))
const started = Date.now()

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`

const run = (label, command, commandArgs, options = {}) => {
  const since = Date.now()
  console.log(`::: ${label}`)
  const result = spawnSync(command, commandArgs, { stdio: "inherit", cwd: repo, ...options })
  if (result.status !== 0) {
    console.error(`${label} failed (exit ${result.status ?? result.signal})`)
    process.exit(1)
  }
  console.log(`::: ${label}: ${seconds(since)}`)
}

const pnpmVersion = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")).packageManager.split("@")[1]

if (args.has("--skip-docgen")) {
  console.log("::: docgen skipped (--skip-docgen): using docs/ as it is")
} else {
  run("docgen (both editions)", "npx", ["-y", `pnpm@${pnpmVersion}`, "run", "docgen"])
}

{
  const since = Date.now()
  const pages = writeApiPages(repo)
  console.log(`::: API reference: ${pages} pages written under site/api/ (${seconds(since)})`)
}

// every code sample comes from a type-checked file: no pasted code in the hand-written pages
{
  const allowed = new Set(["sh", "text"])
  // what `tsc -b` of each workspace type-checks (tsconfig.json, effect4/tsconfig.json)
  const typeChecked = [
    "effect4/examples/src/",
    "effect4/examples/test/",
    "effect4/examples/snippets/",
    "examples/src/",
    "examples/test/"
  ]
  const pasted = []
  const pages = []
  const imported = new Set()
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (!["node_modules", "api", ".vitepress", "public"].includes(entry.name)) walk(full)
      } else if (entry.name.endsWith(".md")) {
        pages.push(full)
        let fence = null
        fs.readFileSync(full, "utf8").split("\n").forEach((line, index) => {
          const match = /^\s*(`{3,}|~{3,})\s*([^\s{]*)/.exec(line)
          if (match === null) return
          if (fence === null) {
            fence = match[1]
            if (!allowed.has(match[2])) {
              pasted.push(`${path.relative(repo, full)}:${index + 1}: a \`${match[2] || "(no language)"}\` block`)
            }
          } else if (line.trim() === fence) fence = null
        })
      }
    }
  }
  walk(site)
  // VitePress shows a whole file when an imported #region is missing, and only logs a missing @include
  for (const page of pages) {
    const text = fs.readFileSync(page, "utf8")
    for (const [, target, region] of text.matchAll(/^<<< @\/([^\s#{[]+)(?:#([\w*-]+))?/gm)) {
      const file = path.join(site, target)
      const where = `${path.relative(repo, page)}: <<< @/${target}${region ? `#${region}` : ""}`
      if (!fs.existsSync(file)) pasted.push(`${where}: no such file`)
      else if (region && !new RegExp(`^\\s*// #region ${region}$`, "m").test(fs.readFileSync(file, "utf8"))) {
        pasted.push(`${where}: the file has no \`// #region ${region}\``)
      }
      if (!typeChecked.some((folder) => path.relative(repo, file).startsWith(folder))) {
        pasted.push(`${where}: not in a type-checked folder (${typeChecked.join(", ")})`)
      }
      imported.add(path.relative(repo, file))
    }
    for (const [, target] of text.matchAll(/<!--\s*@include:\s*([^{\s]+?)\s*(?:\{[^}]*\})?\s*-->/g)) {
      if (!fs.existsSync(path.resolve(path.dirname(page), target))) {
        pasted.push(`${path.relative(repo, page)}: @include ${target}: no such file`)
      }
    }
  }
  if (pasted.length > 0) {
    console.error(
      "pasted code or a broken import in the site's pages (import code from a type-checked file: <<< @/../path#region):"
    )
    for (const line of pasted) console.error(`  ${line}`)
    process.exit(1)
  }
  console.log(
    `::: no pasted code: every fenced block of the hand-written pages is sh or text; ${imported.size} files imported`
  )
}

const vitepress = path.join(site, "node_modules", ".bin", "vitepress")
if (!fs.existsSync(vitepress)) {
  console.error("site/node_modules/.bin/vitepress is missing: run pnpm install at the root first")
  process.exit(1)
}
run("vitepress build", vitepress, ["build", "site"])
console.log(`docs:build: site/.vitepress/dist written in ${seconds(started)}`)
