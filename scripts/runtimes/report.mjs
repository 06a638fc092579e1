// Writes the markdown table of a run of the runtime matrix (run.sh) from its
// cells' records (JSON lines, one per cell, written by cell.mjs).
//
//   node report.mjs <results.jsonl> <seconds the run took> > latest.md
import * as fs from "node:fs"

const [file, seconds] = process.argv.slice(2)
const records = fs.readFileSync(file, "utf8").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line))
const cells = records.filter((record) => record.stage === undefined)
/** Stages that failed (an edition's build, pack, install or bundles): that edition's cells did not run. */
const stages = records.filter((record) => record.stage !== undefined)
const stopped = new Set(stages.map((stage) => stage.edition))

const order = ["node", "bun", "deno", "workerd", "chromium", "chromium-csp"]
const runtimeLabel = (cell) =>
  cell.runtime === "chromium-csp"
    ? cell.version.replace(" (CSP script-src 'self')", ", page with CSP `script-src 'self'`")
    : cell.version
const rows = new Map()
for (const cell of cells) {
  const row = `${runtimeLabel(cell)}\u0000${cell.layer}`
  if (!rows.has(row)) rows.set(row, { runtime: cell.runtime, label: runtimeLabel(cell), layer: cell.layer, cells: {} })
  rows.get(row).cells[cell.edition] = cell
}
const sorted = [...rows.values()].sort((a, b) =>
  order.indexOf(a.runtime) - order.indexOf(b.runtime) ||
  a.label.localeCompare(b.label, "en", { numeric: true }) ||
  a.layer.localeCompare(b.layer)
)
const show = (cell, edition) => {
  if (cell === undefined) return stopped.has(edition) ? "**not run** ²" : "—"
  if (!cell.ok) return `**fails**`
  if (cell.outcome === "refuses") return "refuses at once (use the fetch layer)"
  return `passes, ${cell.msgPerSec.toLocaleString("en-US")} msg/s${cell.codegen === false ? " ¹" : ""}`
}
const passed = cells.filter((cell) => cell.ok).length
const editions = { effect3: "Effect 3", effect4: "Effect 4" }
const date = new Date().toISOString().slice(0, 10)
const lines = [
  "# Runtime matrix: latest run",
  "",
  `Written by \`bash scripts/runtimes/run.sh\` on ${date}: ${passed} of ${cells.length} cells passed` +
  `${stages.length > 0 ? `, ${stages.length} stage(s) failed` : ""}, in ${Math.round(Number(seconds))} s.`,
  "",
  "Each cell installs the packed tarballs of its edition with npm into a fresh project and runs one program",
  "through the layer against a loopback API: `chats.retrieve`, a three-page `chats.messages.stream`,",
  "`messages.retrieve` of a missing id failing with `NotFound` (and of a reset connection failing with",
  "`TransportError`), and checks that the API key appears in nothing the runtime printed or logged. msg/s: the",
  `fastest of three runs streaming ${process.env.BULK_PAGES ?? 50} pages of 250 messages (\`chats.messages.stream\`, ` +
  "default prefetch) from the",
  "loopback server, after a warm-up, on the machine that ran the matrix (a 2-core CI machine, the server on the",
  "same cores: compare cells of one run, not runs).",
  "",
  "| Runtime | Layer | Effect 3 edition (0.x) | Effect 4 edition (1.x) |",
  "| --- | --- | --- | --- |",
  ...sorted.map((row) =>
    `| ${row.label} | \`${row.layer}\` | ${show(row.cells.effect3, "effect3")} | ${
      row.cells.effect4 === undefined && row.runtime === "node" && /^node 20\./.test(row.label)
        ? "— (needs Node ≥ 22.19)"
        : show(row.cells.effect4, "effect4")
    } |`
  ),
  "",
  "¹ `new Function` is refused there (workerd always; a page under a CSP without `'unsafe-eval'`): decoding",
  "falls back from compiled to interpreted decoders.",
  "",
  "\"Refuses at once\": building the layer fails before any request with one sentence naming the layer to use",
  "instead (`NodePostpress.layer` → `PostpressClient.layerFetch`, `NodePostpress.layerConfig` →",
  "`PostpressClient.layerFetchConfig`): Bun answers `import \"undici\"` with a stand-in that cannot send requests.",
  "",
  ...stages.map((stage) => `² ${editions[stage.edition]} edition: ${stage.stage} failed, so its cells did not run.`),
  ...(stages.length > 0 ? [""] : []),
  "Runtimes: " + [...new Set(cells.map((cell) => cell.version.replace(/ \(.*\)$/, "")))].join(", ") + "."
]
console.log(lines.join("\n"))
