// A loopback server for the consumer checks, answering the reference's
// examples (copied beside it from conformance/fixtures); it records the path
// and the key of every request. The chat's messages come in `pages` pages,
// each pointing at the next with a cursor.
const http = require("node:http")
const fs = require("node:fs")
const chat = fs.readFileSync(__dirname + "/chat-with-last-message.json", "utf8")
const messages = JSON.parse(fs.readFileSync(__dirname + "/message-list.json", "utf8"))
exports.start = ({ pages = 2 } = {}) =>
  new Promise((resolve) => {
    const seen = []
    const server = http.createServer((request, response) => {
      seen.push({ url: request.url, key: request.headers["x-api-key"] })
      const url = new URL(request.url, "http://localhost")
      response.setHeader("content-type", "application/json")
      if (url.pathname === "/api/v1/chats/chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR") return response.end(chat)
      if (url.pathname === "/api/v1/chats/chat_01HXYZ4QK3WJ8FN3M6QH7TZ8GR/messages") {
        const page = Number(/^page-(\d+)$/.exec(url.searchParams.get("cursor") ?? "")?.[1] ?? 1)
        return response.end(JSON.stringify({ ...messages, cursor: page < pages ? `page-${page + 1}` : null }))
      }
      response.statusCode = 404
      response.end(JSON.stringify({ title: "Not found", type: "errors/resource_not_found", status: 404 }))
    })
    server.listen(0, "127.0.0.1", () =>
      resolve({
        baseUrl: `http://127.0.0.1:${server.address().port}/api/v1`,
        seen,
        close: () => server.close()
      }))
  })
