/**
 * B1's `fast` and `latency` servers, in a process of their own: every page of
 * one chat is fetched once from a simulator (`GET …/chats/{id}/messages?limit=250`,
 * following the cursors), kept as bytes keyed by the cursor that asks for it,
 * and then served as those same bytes on every request, so that serving costs
 * almost nothing and the client's own cost shows. With a delay, each response
 * is held that many milliseconds first (the `latency` server).
 *
 * Started by run.ts with `child_process.fork`; once it listens it reports
 * where, as a message on the IPC channel (`{ baseUrl, apiKey, chatId }`), and
 * it stops with its parent.
 *
 *   argv: <simulator baseUrl> <apiKey> <chatId> <delayMs>
 */
import * as Http from "node:http"

const [upstream = "", apiKey = "", chatId = "", delay = "0"] = process.argv.slice(2)
const delayMs = Number(delay)
const LIMIT = 250

/** The pages, by the cursor that asks for them ("" for the first). */
const pages = new Map<string, Buffer>()

const load = async () => {
  let cursor: string | null = null
  do {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`
    const response = await fetch(`${upstream}/chats/${chatId}/messages?limit=${LIMIT}${query}`, {
      headers: { "X-API-KEY": apiKey, accept: "application/json" }
    })
    if (!response.ok) throw new Error(`the simulator answered ${response.status}`)
    const bytes = Buffer.from(await response.arrayBuffer())
    pages.set(cursor ?? "", bytes)
    cursor = (JSON.parse(bytes.toString("utf8")) as { cursor: string | null }).cursor
  } while (cursor !== null)
}

const path = `/api/v1/chats/${chatId}/messages`
const error = (response: Http.ServerResponse, status: number, type: string) => {
  const body = JSON.stringify({ status, type, title: type })
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
  response.end(body)
}

const server = Http.createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://localhost")
  if (request.method !== "GET" || url.pathname !== path) return error(response, 404, "errors/resource_not_found")
  if (request.headers["x-api-key"] !== apiKey) return error(response, 401, "errors/missing_credentials")
  if (url.searchParams.get("limit") !== String(LIMIT)) return error(response, 400, "errors/invalid_parameters")
  const page = pages.get(url.searchParams.get("cursor") ?? "")
  if (page === undefined) return error(response, 400, "errors/invalid_parameters")
  const send = () => {
    response.writeHead(200, { "content-type": "application/json", "content-length": page.length })
    response.end(page)
  }
  if (delayMs > 0) setTimeout(send, delayMs)
  else send()
})
server.keepAliveTimeout = 60_000

load().then(
  () =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      process.send!({ baseUrl: `http://127.0.0.1:${port}/api/v1`, apiKey, chatId })
      process.on("disconnect", () => process.exit(0))
    }),
  (cause) => {
    console.error(cause)
    process.exit(1)
  }
)
