// One cell of the runtime matrix on a server runtime (Node, Bun, Deno): runs
// program.mjs through one layer, from the edition's fresh npm project (copied
// there), and prints `RESULT <json>` last. The matrix's driver (cell.mjs)
// starts it and checks its whole output for the key.
//
//   <runtime> cell-server.mjs <layer> <base URL>
//
// The key comes in POSTPRESS_API_KEY (the `…Config` layers read it, and
// POSTPRESS_BASE_URL, from the environment; the others take them as values).
import { PostpressClient } from "@postpress/core"
import { makeKey, run } from "./program.mjs"

const [name, baseUrl] = process.argv.slice(2)
const apiKey = process.env.POSTPRESS_API_KEY ?? makeKey()
/** The resilience settings of `options`, for the layers that read the key and base URL through Config. */
const resilience = ({ apiKey: _apiKey, baseUrl: _baseUrl, ...rest }) => rest

const layers = {
  "PostpressClient.layerFetch": async () => (options) => PostpressClient.layerFetch(options),
  "PostpressClient.layerFetchConfig": async () => (options) => PostpressClient.layerFetchConfig(resilience(options)),
  "NodePostpress.layer": async () => {
    const { NodePostpress } = await import("@postpress/node")
    return (options) => NodePostpress.layer(options)
  },
  "NodePostpress.layerConfig": async () => {
    const { NodePostpress } = await import("@postpress/node")
    return (options) => NodePostpress.layerConfig(resilience(options))
  }
}

const result = await (async () => {
  try {
    const layer = await layers[name]()
    return await run({ layer, apiKey, baseUrl })
  } catch (failure) {
    return { failure: failure instanceof Error ? failure.message : String(failure), logs: [] }
  }
})()
const version = typeof Bun !== "undefined"
  ? `bun ${Bun.version}`
  : typeof Deno !== "undefined"
  ? `deno ${Deno.version.deno}`
  : `node ${process.versions.node}`
console.log(`RESULT ${JSON.stringify({ ...result, version })}`)
/* global Bun, Deno */
