// Turns @effect/docgen's output (Jekyll pages: docs/{core,node,simulator} for the
// Effect 3 edition, docs/effect4/{core,node,simulator} for the Effect 4 edition)
// into VitePress pages under site/api/ (generated, git-ignored):
//   site/api/index.md                          both editions
//   site/api/<edition>/index.md                an edition's packages and modules
//   site/api/<edition>/<package>/index.md      a package: its entry point and modules
//   site/api/<edition>/<package>/<Module>.md   a module, as docgen wrote it
//   site/api/sidebar.json                      the API sidebars, read by site/.vitepress/config.mts
// Per module page: one h1 (the module), docgen's categories as h2 and its exports
// as h3 with explicit ids (`{#id}`), the table of contents dropped (the page's
// outline shows it), `{@link Name}` turned into links, and a line that switches
// to the same module in the other edition.
import * as fs from "node:fs"
import * as path from "node:path"

export const editions = [
  { id: "effect4", title: "Effect 4 edition", short: "Effect 4", version: "1.x", docs: "docs/effect4" },
  { id: "effect3", title: "Effect 3 edition", short: "Effect 3", version: "0.x", docs: "docs" }
]
export const packages = ["core", "node", "simulator"]

// VitePress's own heading slug (vitepress/dist/node: `slugify`), so ids look alike.
// eslint-disable-next-line no-control-regex -- the slug drops control characters, as VitePress does
const rControl = /[\u0000-\u001f]/g
const rSpecial = /[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g
const rCombining = /[\u0300-\u036F]/g
export const slugify = (text) =>
  text.normalize("NFKD").replace(rCombining, "").replace(rControl, "").replace(rSpecial, "-").replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "").replace(/^(\d)/, "_$1").toLowerCase()

const frontMatter = (fields) =>
  `---\n${Object.entries(fields).map(([key, value]) => `${key}: ${JSON.stringify(value)}`).join("\n")}\n---\n\n`

const stripFrontMatter = (text) => text.replace(/^---\n[\s\S]*?\n---\n/, "")

/** Splits markdown into lines, each flagged as inside a fenced code block or not. */
const lines = (text) => {
  let fence = null
  return text.split("\n").map((line) => {
    const open = /^\s*(`{3,}|~{3,})/.exec(line)
    if (fence === null && open) {
      fence = open[1]
      return { line, code: true }
    }
    if (fence !== null) {
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, "") === "") fence = null
      return { line, code: true }
    }
    return { line, code: false }
  })
}

/** A docgen module page, parsed: its overview and its sections (headings shifted one level down). */
const parseModule = (text) => {
  const body = stripFrontMatter(text)
  const all = lines(body)
  let overview = []
  const rest = []
  let state = "start"
  for (const entry of all) {
    const { code, line } = entry
    if (!code && state === "start" && /^## .* overview$/.test(line)) {
      state = "overview"
      continue
    }
    if (!code && state === "overview" && line === "---") {
      state = "after-overview"
      continue
    }
    if (!code && line.startsWith("<h2 class=\"text-delta\">Table of contents</h2>")) {
      state = "toc"
      continue
    }
    if (!code && state === "toc") {
      if (line === "---") state = "body"
      continue
    }
    if (state === "overview") overview.push(entry)
    else if (state !== "start") rest.push(entry)
  }
  if (state === "start") overview = []
  return { overview, body: rest }
}

/** The first paragraph of a module's overview, on one line. */
const summary = (overview) => {
  const paragraph = []
  for (const { line } of overview) {
    if (line.trim() === "") {
      if (paragraph.length > 0) break
      continue
    }
    if (line.startsWith("**") || line.startsWith("```")) break
    paragraph.push(line.trim())
  }
  return paragraph.join(" ")
}

/** Headings of a module body: level shifted one down, explicit unique ids, name → id. */
const headings = (body) => {
  const ids = new Map()
  const byName = new Map()
  const unique = (slug) => {
    const count = ids.get(slug) ?? 0
    ids.set(slug, count + 1)
    return count === 0 ? slug : `${slug}-${count}`
  }
  const out = body.map((entry) => {
    const match = entry.code ? null : /^(#{1,5}) (.*)$/.exec(entry.line)
    if (!match) return entry
    const text = match[2].trim()
    const id = unique(slugify(text) || "section")
    const name = text.replace(/ \([a-z ]+\)$/, "").replace(/^\[(.*)\]$/, "$1")
    if (!byName.has(name) && match[1].length === 2) byName.set(name, id)
    return { ...entry, line: `${match[1]}# ${text.replace(/[{}]/g, "")} {#${id}}` }
  })
  return { lines: out, byName }
}

const escapeText = (line) => line.replace(/\{\{/g, "&#123;&#123;").replace(/\}\}/g, "&#125;&#125;")

export const writeApiPages = (repo) => {
  const site = path.join(repo, "site")
  const apiDir = path.join(site, "api")
  fs.rmSync(apiDir, { recursive: true, force: true })
  fs.mkdirSync(apiDir, { recursive: true })
  let written = 0
  const write = (file, text) => {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, text)
    written++
  }

  // every module of every package of every edition, parsed first (links and the edition switch need them all)
  const model = new Map()
  for (const edition of editions) {
    for (const pkg of packages) {
      const dir = path.join(repo, edition.docs, pkg, "modules")
      if (!fs.existsSync(dir)) throw new Error(`${path.relative(repo, dir)} is missing: run pnpm docgen`)
      const modules = new Map()
      for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts.md")).sort()) {
        const name = file.slice(0, -".ts.md".length)
        const parsed = parseModule(fs.readFileSync(path.join(dir, file), "utf8"))
        modules.set(name, { ...parsed, ...headings(parsed.body) })
      }
      model.set(`${edition.id}/${pkg}`, modules)
    }
  }

  const linkFor = (editionId, pkg, moduleName, target) => {
    const modules = model.get(`${editionId}/${pkg}`)
    const here = modules.get(moduleName)
    const code = `\`${target}\``
    const [head, ...tail] = target.split(".")
    if (here.byName.has(target)) return `[${code}](#${here.byName.get(target)})`
    if (modules.has(head) && head !== "index") {
      const other = modules.get(head)
      const member = tail.length > 0 ? other.byName.get(tail[0]) : undefined
      const page = head === moduleName ? "" : `./${head}.md`
      return member ? `[${code}](${page}#${member})` : page ? `[${code}](${page})` : code
    }
    if (tail.length > 0 && here.byName.has(head)) return `[${code}](#${here.byName.get(head)})`
    return code
  }

  const sidebar = {}
  for (const edition of editions) {
    const other = editions.find((e) => e.id !== edition.id)
    sidebar[edition.id] = []
    const editionIndex = [
      frontMatter({ title: `API reference, ${edition.title}` }),
      `# API reference: ${edition.title} (${edition.version})\n`,
      `Generated from the TSDoc of the ${edition.title}'s sources by \`@effect/docgen\` at every build of this site`,
      `(every example in it type-checked). The other edition: [${other.title} (${other.version})](../${other.id}/).\n`
    ]
    for (const pkg of packages) {
      const modules = model.get(`${edition.id}/${pkg}`)
      const names = [...modules.keys()].filter((name) => name !== "index")
      const entry = modules.get("index")
      const packageName = `@postpress/${pkg}`
      sidebar[edition.id].push({
        text: packageName,
        link: `/api/${edition.id}/${pkg}/`,
        collapsed: false,
        items: names.map((name) => ({ text: name, link: `/api/${edition.id}/${pkg}/${name}` }))
      })
      const table = (prefix) =>
        [
          "| module | import | what it holds |",
          "| --- | --- | --- |",
          ...names.map((name) =>
            `| [${name}](${prefix}${name}.md) | \`import { ${name} } from "${packageName}"\` | ${
              summary(modules.get(name).overview).replace(
                /\{@link\s+([^}\s|]+)[^}]*\}/g,
                (_, t) =>
                  linkFor(edition.id, pkg, name, t).replace("](#", `](./${name}.md#`).replace("](./", `](${prefix}`)
              ).replace(/\|/g, "\\|")
            } |`
          )
        ].join("\n")
      write(
        path.join(apiDir, edition.id, pkg, "index.md"),
        frontMatter({ title: `${packageName} (${edition.short})` }) +
          `# ${packageName}\n\n` +
          `<div class="edition-switch">\n\n${edition.title} (${edition.version}) · ` +
          `[this package in the ${other.title}](../../${other.id}/${pkg}/)\n\n</div>\n\n` +
          (entry ? entry.overview.map((e) => escapeText(e.line)).join("\n").trim() + "\n\n" : "") +
          `## Modules\n\n${table("./")}\n`
      )
      editionIndex.push(`## ${packageName}\n`, `[The package's page](./${pkg}/)\n`, table(`./${pkg}/`), "")
      for (const name of names) {
        const module = modules.get(name)
        const counterpart = model.get(`${other.id}/${pkg}`).has(name)
        const switchHref = counterpart ? `../../${other.id}/${pkg}/${name}.md` : `../../${other.id}/${pkg}/`
        const render = (entries) =>
          entries.map(({ code, line }) =>
            code
              ? line
              : escapeText(line.replace(/\{@link\s+([^}\s|]+)[^}]*\}/g, (_, t) => linkFor(edition.id, pkg, name, t)))
          )
        const bodyLines = []
        for (const entry of module.lines) {
          if (!entry.code && entry.line === "---") continue
          bodyLines.push(entry)
        }
        write(
          path.join(apiDir, edition.id, pkg, `${name}.md`),
          frontMatter({ title: `${name} — ${packageName} (${edition.short})`, outline: [2, 3] }) +
            `# ${name} {#module-${slugify(name)}}\n\n` +
            `<div class="edition-switch">\n\n\`${packageName}/${name}\` · ${edition.title} (${edition.version}) · ` +
            `[${counterpart ? "this module" : "this package"} in the ${other.title}](${switchHref})\n\n</div>\n\n` +
            render(module.overview).join("\n").trim() + "\n\n" +
            render(bodyLines).join("\n").trim() + "\n"
        )
      }
    }
    write(path.join(apiDir, edition.id, "index.md"), editionIndex.join("\n") + "\n")
  }

  write(
    path.join(apiDir, "index.md"),
    frontMatter({ title: "API reference" }) +
      "# API reference\n\n" +
      "Generated from the sources' TSDoc by `@effect/docgen` when the site is built; docgen type-checks every\n" +
      "example in it. The two editions have the same packages, modules and exported names.\n\n" +
      editions.map((edition) =>
        `## ${edition.title} (${edition.version})\n\n` +
        packages.map((pkg) =>
          `- [\`@postpress/${pkg}\`](./${edition.id}/${pkg}/): ${
            [...model.get(`${edition.id}/${pkg}`).keys()].filter((n) => n !== "index").map((n) =>
              `[${n}](./${edition.id}/${pkg}/${n}.md)`
            ).join(", ")
          }`
        ).join("\n") + "\n"
      ).join("\n")
  )
  fs.writeFileSync(path.join(apiDir, "sidebar.json"), JSON.stringify(sidebar, null, 2) + "\n")
  return written
}
