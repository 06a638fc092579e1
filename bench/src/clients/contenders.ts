/**
 * The contenders that are not the SDK, in one measuring process of their own
 * (driver.ts; bundled by run.ts, run on the same `node` as the editions they
 * are compared with):
 *   - raw: a `fetch` + `JSON.parse` loop over the pages (B1; B2's baseline: the
 *     memory of the runtime and its `fetch` alone), and `fetch` +
 *     `JSON.parse` per lookup (B3, B4, B5), nothing validated;
 *   - unipile: unipile-node-sdk 1.9.3's `getAllMessagesFromChat`, page by page (B1);
 *   - bound: the network bound, a `fetch` loop that reads each body as bytes and
 *     takes only the cursor from its end (the items are counted with a byte
 *     search, never parsed or decoded): no decoding client can beat it (B1).
 */
import { UnipileClient } from "unipile-node-sdk"
import { type Contender, LIMIT, main, type Where } from "./driver.js"

const pageUrl = ({ baseUrl, chatId }: Where, cursor: string | null) =>
  `${baseUrl}/chats/${chatId}/messages?limit=${LIMIT}${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`

const raw = (where: Where): Contender => {
  const headers = { "X-API-KEY": where.apiKey, accept: "application/json" }
  const retrieve = async (id: string) => {
    const response = await fetch(`${where.baseUrl}/messages/${encodeURIComponent(id)}`, { headers })
    return JSON.parse(await response.text())
  }
  return {
    stream: async () => {
      let count = 0
      let cursor: string | null = null
      do {
        const response = await fetch(pageUrl(where, cursor), { headers })
        const page = JSON.parse(await response.text())
        count += page.items.length
        cursor = page.cursor
      } while (cursor !== null)
      return count
    },
    memory: async (count, onMessage) => {
      let seen = 0
      let cursor: string | null = null
      do {
        const response = await fetch(pageUrl(where, cursor), { headers })
        const page = JSON.parse(await response.text())
        for (const _ of page.items) {
          if (seen === count) return
          seen++
          onMessage()
        }
        cursor = page.cursor
      } while (cursor !== null && seen < count)
    },
    retrieve,
    retrieveAll: async (ids, concurrency) => {
      let next = 0
      await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < ids.length) await retrieve(ids[next++]!)
      }))
    }
  }
}

const unipile = ({ apiKey, baseUrl, chatId }: Where): Contender => {
  const client = new UnipileClient(baseUrl.replace(/\/api\/v1$/, ""), apiKey, { validateRequestPayload: false })
  return {
    stream: async () => {
      let count = 0
      let cursor: string | undefined
      do {
        const page: any = await client.messaging.getAllMessagesFromChat(
          { chat_id: chatId, limit: LIMIT, cursor } as any
        )
        count += page.items.length
        cursor = page.cursor ?? undefined
      } while (cursor !== undefined)
      return count
    }
  }
}

const bound = (where: Where): Contender => {
  const headers = { "X-API-KEY": where.apiKey, accept: "application/json" }
  const item = Buffer.from(`{"object":"Message",`)
  const cursorKey = Buffer.from(`"cursor":`)
  return {
    stream: async () => {
      let count = 0
      let cursor: string | null = null
      do {
        const response: Response = await fetch(pageUrl(where, cursor), { headers })
        const body: Buffer = Buffer.from(await response.arrayBuffer())
        for (let at = body.indexOf(item); at !== -1; at = body.indexOf(item, at + item.length)) count++
        // the page ends `"cursor":"…"}` or `"cursor":null}`
        const at = body.lastIndexOf(cursorKey) + cursorKey.length
        cursor = body[at] === 0x22 ? body.toString("latin1", at + 1, body.indexOf(0x22, at + 1)) : null
      } while (cursor !== null)
      return count
    }
  }
}

await main({ raw, unipile, bound })
