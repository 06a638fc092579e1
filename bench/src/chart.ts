/**
 * Draws the results as one SVG with vega-lite: throughput and client CPU per
 * message on each B1 server, memory, latency and fan-out, each contender a bar.
 */
import * as vega from "vega"
import * as vegaLite from "vega-lite"

interface Results {
  /** Per B1 server, per contender. */
  readonly b1: Partial<
    Record<string, Record<string, { readonly msgPerSec: number; readonly cpuMicrosPerMessage: number }>>
  >
  readonly b2: ReadonlyArray<{ readonly messages: number; readonly peakRssMiB: number; readonly peakHeapMiB: number }>
  readonly b3: Record<string, { readonly p50: number; readonly p99: number }>
  readonly b4: Record<string, number>
  readonly machine: { readonly cpus: number; readonly model: string | undefined; readonly node: string }
}

const bar = (title: string, unit: string, values: ReadonlyArray<{ label: string; value: number }>) => ({
  title,
  width: 180,
  height: 160,
  data: { values },
  mark: { type: "bar", tooltip: true },
  encoding: {
    x: { field: "label", type: "nominal", sort: null, axis: { labelAngle: -30, title: null } },
    y: { field: "value", type: "quantitative", title: unit },
    color: { field: "label", type: "nominal", legend: null, scale: { scheme: "tableau10" } }
  }
})

export const renderChart = async (results: Results): Promise<string> => {
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: "postpress SDK vs raw fetch vs unipile-node-sdk (B1: and the network bound)",
      subtitle: `${results.machine.cpus} × ${results.machine.model}, Node ${results.machine.node}`
    },
    hconcat: [
      bar(
        "B1 stream",
        "messages / s",
        Object.entries(results.b1).flatMap(([server, figures]) =>
          Object.entries(figures ?? {}).map(([name, { msgPerSec }]) => ({
            label: `${server} ${name}`,
            value: msgPerSec
          }))
        )
      ),
      bar(
        "B1 client CPU",
        "µs / message",
        Object.entries(results.b1).flatMap(([server, figures]) =>
          Object.entries(figures ?? {}).map(([name, { cpuMicrosPerMessage }]) => ({
            label: `${server} ${name}`,
            value: cpuMicrosPerMessage
          }))
        )
      ),
      bar(
        "B2 SDK memory",
        "MiB",
        results.b2.flatMap((m) => [
          { label: `RSS @${m.messages}`, value: m.peakRssMiB },
          { label: `heap @${m.messages}`, value: m.peakHeapMiB }
        ])
      ),
      bar(
        "B3 retrieve latency",
        "ms",
        Object.entries(results.b3).flatMap(([label, { p50, p99 }]) => [
          { label: `${label} p50`, value: p50 },
          { label: `${label} p99`, value: p99 }
        ])
      ),
      bar("B4 fan-out ×32", "requests / s", Object.entries(results.b4).map(([label, value]) => ({ label, value })))
    ]
  }
  const compiled = vegaLite.compile(spec as any).spec
  const view = new vega.View(vega.parse(compiled), { renderer: "none" })
  return view.toSVG()
}
