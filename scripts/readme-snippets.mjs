#!/usr/bin/env node
// The README's TypeScript blocks come from files: each ```ts block follows a
// line `<!-- snippet: <path> -->` and prints the `// #region readme` of that
// file (the file declares, around the region, what the block leaves implicit,
// and is type-checked with the Effect 4 workspace). Edit the file, then
//
//   node scripts/readme-snippets.mjs --write   rewrites the README's blocks from the files
//   node scripts/readme-snippets.mjs           exits 1 when a block differs from its file
//
// effect4/examples/test/Readme.test.ts checks the same, and type-checks the files.
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")
const readmePath = Path.join(root, "README.md")

const block = /<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)```/g
const region = /\/\/ #region readme\n([\s\S]*?)\/\/ #endregion readme\n/

const regionOf = (file) => {
  const match = region.exec(Fs.readFileSync(Path.join(root, file), "utf8"))
  if (match === null) throw new Error(`${file} has no "// #region readme"`)
  return match[1]
}

const readme = Fs.readFileSync(readmePath, "utf8")
const stale = []
const written = readme.replace(block, (_, file, printed) => {
  const current = regionOf(file)
  if (current !== printed) stale.push(file)
  return `<!-- snippet: ${file} -->\n\`\`\`ts\n${current}\`\`\``
})
const unmarked = [...readme.matchAll(/(?<!-->\n)```ts\n/g)].length

if (process.argv.includes("--write")) {
  Fs.writeFileSync(readmePath, written)
  console.log(`README.md: ${stale.length} block(s) rewritten from their files`)
} else if (stale.length > 0 || unmarked > 0) {
  for (const file of stale) console.log(`README.md: the block of ${file} differs from its region`)
  if (unmarked > 0) console.log(`README.md: ${unmarked} \`\`\`ts block(s) without a <!-- snippet: … --> line`)
  console.log("run: node scripts/readme-snippets.mjs --write")
  process.exit(1)
} else {
  console.log("README.md: every TypeScript block is its file's region")
}
