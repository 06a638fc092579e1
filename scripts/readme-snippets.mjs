#!/usr/bin/env node
// The README's TypeScript blocks come from files: each ```ts block follows a
// line `<!-- snippet: <path> -->` and prints the `// #region readme` of that
// file (the file declares, around the region, what the block leaves implicit,
// and is type-checked with the Effect 4 workspace). Edit the file, then
//
//   node scripts/readme-snippets.mjs --write   rewrites the README's blocks from the files
//   node scripts/readme-snippets.mjs           exits 1 when a block differs from its file
//
// effect4/examples/test/Readme.test.ts checks the same through this module's exports, and type-checks the files.
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const block = /<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)```/g
const region = /\/\/ #region readme\n([\s\S]*?)\/\/ #endregion readme\n/

/** The marked blocks of a README: each block's snippet file (relative to the repository) and its text as printed. */
export const snippetBlocks = (readme) => [...readme.matchAll(block)].map(([, file, printed]) => ({ file, printed }))

/** The ```ts blocks of a README that follow no `<!-- snippet: … -->` line. */
export const unmarkedBlocks = (readme) => [...readme.matchAll(/(?<!-->\n)```ts\n/g)].length

/** A snippet file's `// #region readme`, or undefined when it has none. */
export const readmeRegion = (text) => region.exec(text)?.[1]

const main = () => {
  const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")
  const readmePath = Path.join(root, "README.md")
  const regionOf = (file) => {
    const found = readmeRegion(Fs.readFileSync(Path.join(root, file), "utf8"))
    if (found === undefined) throw new Error(`${file} has no "// #region readme"`)
    return found
  }
  const readme = Fs.readFileSync(readmePath, "utf8")
  const stale = snippetBlocks(readme).filter(({ file, printed }) => regionOf(file) !== printed).map(({ file }) => file)
  const unmarked = unmarkedBlocks(readme)
  if (process.argv.includes("--write")) {
    Fs.writeFileSync(
      readmePath,
      readme.replace(block, (_, file) => `<!-- snippet: ${file} -->\n\`\`\`ts\n${regionOf(file)}\`\`\``)
    )
    console.log(`README.md: ${stale.length} block(s) rewritten from their files`)
  } else if (stale.length > 0 || unmarked > 0) {
    for (const file of stale) console.log(`README.md: the block of ${file} differs from its region`)
    if (unmarked > 0) console.log(`README.md: ${unmarked} \`\`\`ts block(s) without a <!-- snippet: … --> line`)
    console.log("run: node scripts/readme-snippets.mjs --write")
    process.exit(1)
  } else {
    console.log("README.md: every TypeScript block is its file's region")
  }
}

if (process.argv[1] !== undefined && Path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
