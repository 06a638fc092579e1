/**
 * The bench's server: every GET is answered with the reference message (keep-alive), or with a
 * page of 250 messages when the path ends in /messages. Prints its port, then serves until killed.
 */
import * as Fs from "node:fs"
import * as Http from "node:http"
import type * as Net from "node:net"

const message = Fs.readFileSync(new URL("../../../../conformance/fixtures/message.json", import.meta.url), "utf8")
const one = Buffer.from(message)
const page = Buffer.from(JSON.stringify({
  object: "MessageList",
  items: Array.from({ length: 250 }, (_, i) => ({ ...JSON.parse(message), id: `msg_${i}` })),
  cursor: "next"
}))

const server = Http.createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  const body = request.url!.split("?")[0]!.endsWith("/messages") ? page : one
  response.writeHead(200, { "content-type": "application/json", "content-length": body.length })
  response.end(body)
})
server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as Net.AddressInfo).port}\n`))
