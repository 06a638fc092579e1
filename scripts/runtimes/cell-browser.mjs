// One cell of the runtime matrix in a headless browser: the script of a page,
// bundled with the SDK by esbuild and served by the loopback API on its own
// origin (server.cjs), that runs program.mjs through PostpressClient.layerFetch
// against `${location.origin}/api/v1` and writes its result as JSON into
// <pre id="result">. The key comes in the page's fragment (`#key=…`), which is
// never sent to the server. The matrix's driver (cell.mjs) loads the page in
// chromium-headless-shell and checks the console, the page's errors and its
// text for the key.
import { PostpressClient } from "@postpress/core"
import { run } from "./program.mjs"

/* global document, location, URLSearchParams */
const params = new URLSearchParams(location.hash.slice(1))
const result = await run({
  layer: (options) => PostpressClient.layerFetch(options),
  apiKey: params.get("key") ?? "",
  baseUrl: `${location.origin}/api/v1`
})
const out = document.createElement("pre")
out.id = "result"
out.textContent = JSON.stringify(result)
document.body.append(out)
