// One cell of the runtime matrix on Cloudflare's workerd: a Worker, bundled
// with the SDK by esbuild, whose `GET /run` runs program.mjs through
// PostpressClient.layerFetch against the loopback API and answers its result
// as JSON. The key and base URL are the Worker's bindings (a secret and a
// variable, as a deployed Worker has them). The matrix's driver (cell.mjs)
// writes the workerd config, serves it, asks it, and checks workerd's whole
// output and the answer for the key.
import { PostpressClient } from "@postpress/core"
import { run } from "./program.mjs"

/* global Response */

export default {
  async fetch(request, env) {
    const url = new URL(request.url)
    if (url.pathname !== "/run") return new Response("not found", { status: 404 })
    const result = await run({
      layer: (options) => PostpressClient.layerFetch(options),
      apiKey: env.POSTPRESS_API_KEY,
      baseUrl: env.POSTPRESS_BASE_URL
    })
    return new Response(JSON.stringify(result), { headers: { "content-type": "application/json" } })
  }
}
