// The loopback API of the runtime matrix (scripts/runtimes/run.sh), and the
// origin of its browser pages: one node:http server on 127.0.0.1.
//
//   node scripts/runtimes/server.cjs <static dir>   prints `listening http://127.0.0.1:<port>`
//
// Under /api/v1 it answers as the reference does (conformance/fixtures), like
// scripts/consumer/server.cjs, and takes only the keys the matrix's cells make
// (`pp_runtime_` and 24 letters or digits): any other key, or none, gets the
// 401 envelope, so a call that succeeds proves the key went out.
//   GET /api/v1/chats/chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR            the chat
//   GET /api/v1/chats/chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR/messages   its messages: 3 pages of 1
//   GET /api/v1/chats/chat_bulk/messages                         BULK_PAGES (50) pages of 250 messages,
//                                                                serialised once, for the msg/s measure
//   GET /api/v1/messages/msg_reset                               the socket is destroyed: a TransportError
//   anything else under /api/v1                                  the 404 envelope
// Any other path is a file of <static dir> (a page bundled with the SDK, on
// the API's origin); `?csp=1` serves it with `Content-Security-Policy:
// script-src 'self'`, which refuses `new Function` as Workers do.
/* global Buffer */
const http = require("node:http")
const fs = require("node:fs")
const path = require("node:path")

const fixtures = path.join(__dirname, "..", "..", "conformance", "fixtures")
const chatId = "chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR"
const chat = fs.readFileSync(path.join(fixtures, "chat-with-last-message.json"), "utf8")
const messages = JSON.parse(fs.readFileSync(path.join(fixtures, "message-list.json"), "utf8"))
const PAGES = 3
const BULK_PAGES = Number(process.env.BULK_PAGES ?? 50)
const BULK_SIZE = 250
const KEY = /^pp_runtime_[0-9a-z]{24}$/

const message = messages.items[0]
const bulk = Array.from({ length: BULK_PAGES }, (_, page) =>
  Buffer.from(JSON.stringify({
    object: "MessageList",
    items: Array.from({ length: BULK_SIZE }, (_, i) => ({
      ...message,
      id: `msg_bulk_${page}_${i}`,
      chat_id: "chat_bulk",
      text: `message ${page * BULK_SIZE + i}`
    })),
    cursor: page + 1 < BULK_PAGES ? `bulk-${page + 1}` : null
  })))

const envelope = (status, type, title) => JSON.stringify({ title, type, status })
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json"
}

const root = path.resolve(process.argv[2] ?? ".")
const server = http.createServer((request, response) => {
  const url = new URL(request.url, "http://127.0.0.1")
  if (!url.pathname.startsWith("/api/v1/")) {
    const file = path.join(root, path.normalize(url.pathname === "/" ? "/index.html" : url.pathname))
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      response.statusCode = 404
      return response.end("not found")
    }
    response.setHeader("content-type", types[path.extname(file)] ?? "application/octet-stream")
    response.setHeader("cache-control", "no-store")
    if (url.searchParams.get("csp") === "1") response.setHeader("content-security-policy", "script-src 'self'")
    return response.end(fs.readFileSync(file))
  }
  response.setHeader("content-type", "application/json")
  if (!KEY.test(String(request.headers["x-api-key"] ?? ""))) {
    response.statusCode = 401
    return response.end(envelope(401, "errors/invalid_credentials", "Invalid credentials"))
  }
  const route = url.pathname.slice("/api/v1".length)
  if (route === `/chats/${chatId}`) return response.end(chat)
  if (route === `/chats/${chatId}/messages`) {
    const page = Number(/^page-(\d+)$/.exec(url.searchParams.get("cursor") ?? "")?.[1] ?? 1)
    return response.end(JSON.stringify({ ...messages, cursor: page < PAGES ? `page-${page + 1}` : null }))
  }
  if (route === "/chats/chat_bulk/messages") {
    const page = Number(/^bulk-(\d+)$/.exec(url.searchParams.get("cursor") ?? "")?.[1] ?? 0)
    if (bulk[page] !== undefined) return response.end(bulk[page])
  }
  if (route === "/messages/msg_reset") return request.socket.destroy()
  response.statusCode = 404
  response.end(envelope(404, "errors/resource_not_found", "Not found"))
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => console.log(`listening http://127.0.0.1:${server.address().port}`))
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0))
