/**
 * Draws the results with vega-lite, one SVG per benchmark, both editions in
 * each: grouped bars, a group per contender (or edition), a bar per Node line.
 */
import * as vega from "vega"
import * as vegaLite from "vega-lite"

type Figures = Record<string, { readonly msgPerSec: number; readonly cpuMicrosPerMessage: number } | undefined>
interface LineFigures {
  readonly node: string
  readonly b1?: Partial<Record<string, Figures>> | undefined
  readonly b2?:
    | Partial<Record<string, ReadonlyArray<{ messages: number; peakRssMiB: number; peakHeapMiB: number }>>>
    | undefined
  readonly b3?: Partial<Record<string, { readonly p50: number; readonly p99: number }>> | undefined
  readonly b4?: Partial<Record<string, number>> | undefined
  readonly b5?: { readonly contenders: Record<string, { readonly requests: number; readonly ms: number }> } | undefined
}
interface Results {
  readonly machine: { readonly cpus: number; readonly model: string | undefined }
  readonly lines: Partial<Record<string, LineFigures>>
  readonly size?:
    | Partial<Record<string, Record<string, { readonly bytes: number; readonly gzipBytes: number }>>>
    | undefined
}

interface Bar {
  /** The group on the x axis (a contender, an edition). */
  readonly group: string
  /** The bar within its group (a Node line, a measure). */
  readonly series: string
  readonly value: number
}

const names: Record<string, string> = {
  effect4: "Effect 4 SDK",
  effect3: "Effect 3 SDK",
  raw: "raw fetch",
  unipile: "unipile",
  bound: "bound",
  "effect4+cache": "Effect 4 + cache",
  "effect3+cache": "Effect 3 + cache"
}
const nameOf = (id: string) => names[id] ?? id

const panel = (title: string, unit: string, values: ReadonlyArray<Bar>) => ({
  title,
  width: { step: 14 },
  height: 180,
  data: { values },
  mark: { type: "bar", tooltip: true },
  encoding: {
    x: { field: "group", type: "nominal", sort: null, axis: { labelAngle: -35, title: null } },
    xOffset: { field: "series", type: "nominal", sort: null },
    y: { field: "value", type: "quantitative", title: unit },
    color: { field: "series", type: "nominal", sort: null, title: null, scale: { scheme: "tableau10" } }
  }
})

const render = async (title: string, subtitle: string, panels: ReadonlyArray<object>): Promise<string> => {
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, subtitle },
    hconcat: panels
  }
  const compiled = vegaLite.compile(spec as any).spec
  return new vega.View(vega.parse(compiled), { renderer: "none" }).toSVG()
}

/** The charts of the benchmarks that have results, by benchmark (`b1`, `b2`, `b3`, `b4`, `b5`, `size`). */
export const renderCharts = async (results: Results): Promise<Record<string, string>> => {
  const lines = Object.entries(results.lines).flatMap(([line, figures]) =>
    figures === undefined ? [] : [{ line, label: `Node ${figures.node}`, figures }]
  )
  const subtitle = `${results.machine.cpus} × ${results.machine.model}; ${lines.map((l) => l.label).join(", ")}`
  const charts: Record<string, string> = {}
  const servers = [...new Set(lines.flatMap((l) => Object.keys(l.figures.b1 ?? {})))]
  if (servers.length > 0) {
    const bars = (server: string, measure: "msgPerSec" | "cpuMicrosPerMessage") =>
      lines.flatMap((l) =>
        Object.entries(l.figures.b1?.[server] ?? {}).flatMap(([id, f]) =>
          f === undefined ? [] : [{ group: nameOf(id), series: l.label, value: f[measure] }]
        )
      )
    charts.b1 = await render(
      "B1 stream: both editions, raw fetch, unipile-node-sdk, the network bound",
      subtitle,
      [
        ...servers.map((server) => panel(`${server}: msg/s`, "messages / s", bars(server, "msgPerSec"))),
        ...servers.map((server) => panel(`${server}: client CPU`, "µs / message", bars(server, "cpuMicrosPerMessage")))
      ]
    )
  }
  const b2 = lines.flatMap((l) =>
    Object.entries(l.figures.b2 ?? {}).flatMap(([id, sizes]) =>
      (sizes ?? []).map((m) => ({
        ...m,
        group: `${nameOf(id)} @${m.messages.toLocaleString("en-US")}`,
        series: l.label
      }))
    )
  )
  if (b2.length > 0) {
    charts.b2 = await render("B2 memory while streaming", subtitle, [
      panel("peak RSS", "MiB", b2.map((m) => ({ group: m.group, series: m.series, value: m.peakRssMiB }))),
      panel("peak live heap", "MiB", b2.map((m) => ({ group: m.group, series: m.series, value: m.peakHeapMiB })))
    ])
  }
  const b3 = lines.flatMap((l) =>
    Object.entries(l.figures.b3 ?? {}).flatMap(([id, f]) => f === undefined ? [] : [{ id, f, series: l.label }])
  )
  if (b3.length > 0) {
    charts.b3 = await render("B3 retrieve latency, one after the other", subtitle, [
      panel("p50", "ms", b3.map(({ f, id, series }) => ({ group: nameOf(id), series, value: f.p50 }))),
      panel("p99", "ms", b3.map(({ f, id, series }) => ({ group: nameOf(id), series, value: f.p99 })))
    ])
  }
  const b4 = lines.flatMap((l) =>
    Object.entries(l.figures.b4 ?? {}).flatMap(([id, value]) =>
      value === undefined ? [] : [{ group: nameOf(id), series: l.label, value }]
    )
  )
  if (b4.length > 0) {
    charts.b4 = await render("B4 retrieves at concurrency 32", subtitle, [panel("throughput", "requests / s", b4)])
  }
  const b5 = lines.flatMap((l) =>
    Object.entries(l.figures.b5?.contenders ?? {}).map(([id, f]) => ({ id, f, series: l.label }))
  )
  if (b5.length > 0) {
    charts.b5 = await render("B5 lookups: sharing and the cache", subtitle, [
      panel(
        "requests sent",
        "requests",
        b5.map(({ f, id, series }) => ({ group: nameOf(id), series, value: f.requests }))
      ),
      panel("wall time", "ms", b5.map(({ f, id, series }) => ({ group: nameOf(id), series, value: f.ms })))
    ])
  }
  const size = Object.entries(results.size ?? {}).flatMap(([id, throughs]) =>
    Object.entries(throughs ?? {}).map(([through, s]) => ({
      group: `${nameOf(id).replace(" SDK", "")}, ${through}`,
      s
    }))
  )
  if (size.length > 0) {
    charts.size = await render("Bundle size: a minimal app that retrieves one chat (esbuild --minify)", subtitle, [
      panel(
        "bundle",
        "KiB",
        size.flatMap(({ group, s }) => [
          { group, series: "minified", value: s.bytes / 1024 },
          { group, series: "gzipped", value: s.gzipBytes / 1024 }
        ])
      )
    ])
  }
  return charts
}
