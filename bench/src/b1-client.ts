/**
 * B1's measuring process: one contender streams every message of one chat,
 * once, and prints `{ messages, ms, cpuMicros }` as JSON on its last line:
 * the wall time and this process's CPU (`process.cpuUsage()`, user + system)
 * over the stream alone, client construction excluded. A fresh process per
 * contender and round, so nothing of another contender's run (its garbage,
 * its sockets, its JIT) is counted. Bundled by run.ts (esbuild, as an
 * application ships), so the SDK runs as built on plain Node.
 *
 *   node dist/b1-client.mjs <sdk|raw|unipile|bound> <baseUrl> <apiKey> <chatId>
 *   B1_CPU_PROFILE=<file> node dist/b1-client.mjs …   (also writes the run's CPU profile)
 *
 * The contenders:
 *   - sdk: `NodePostpress.layer` + `client.chats.messages.stream(chatId, { limit: 250 })`;
 *   - raw: a `fetch` + `JSON.parse` loop over the pages;
 *   - unipile: unipile-node-sdk 1.9.3's `getAllMessagesFromChat`, page by page;
 *   - bound: the network bound, a `fetch` loop that reads each body as bytes and
 *     takes only the cursor from its end (the items are counted with a byte
 *     search, never parsed or decoded): no decoding client can beat it.
 */
import { PostpressClient } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Fs from "node:fs"
import * as Inspector from "node:inspector"
import { UnipileClient } from "unipile-node-sdk"

const [contender = "", baseUrl = "", apiKey = "", chatId = ""] = process.argv.slice(2)
const LIMIT = 250
const headers = { "X-API-KEY": apiKey, accept: "application/json" }
const pageUrl = (cursor: string | null) =>
  `${baseUrl}/chats/${chatId}/messages?limit=${LIMIT}${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`

/** Builds the contender's client; the returned function streams the chat and resolves with the messages seen. */
const contenders: Record<
  string,
  () => { readonly run: () => Promise<number>; readonly dispose?: () => Promise<void> }
> = {
  sdk: () => {
    const runtime = ManagedRuntime.make(NodePostpress.layer({ apiKey: Redacted.make(apiKey), baseUrl }))
    const client = runtime.runSync(PostpressClient.PostpressClient)
    return {
      run: () => runtime.runPromise(Stream.runCount(client.chats.messages.stream(chatId, { limit: LIMIT }))),
      dispose: () => runtime.dispose()
    }
  },
  raw: () => ({
    run: async () => {
      let count = 0
      let cursor: string | null = null
      do {
        const response = await fetch(pageUrl(cursor), { headers })
        const page = JSON.parse(await response.text())
        count += page.items.length
        cursor = page.cursor
      } while (cursor !== null)
      return count
    }
  }),
  unipile: () => {
    const client = new UnipileClient(baseUrl.replace(/\/api\/v1$/, ""), apiKey, { validateRequestPayload: false })
    return {
      run: async () => {
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
  },
  bound: () => {
    const item = Buffer.from(`{"object":"Message",`)
    const cursorKey = Buffer.from(`"cursor":`)
    return {
      run: async () => {
        let count = 0
        let cursor: string | null = null
        do {
          const response: Response = await fetch(pageUrl(cursor), { headers })
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
}

/**
 * With `B1_CPU_PROFILE=<file>`, the run (and only the run: not the start-up)
 * is CPU-profiled through the inspector and the profile written there, for
 * profile.ts to summarise.
 */
const profiled = async <A>(run: () => Promise<A>): Promise<A> => {
  const file = process.env.B1_CPU_PROFILE
  if (file === undefined) return run()
  const session = new Inspector.Session()
  session.connect()
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) =>
      session.post(method, params, (error, result) => error === null ? resolve(result) : reject(error))
    )
  await post("Profiler.enable")
  await post("Profiler.setSamplingInterval", { interval: 100 })
  await post("Profiler.start")
  const result = await run()
  const { profile } = await post("Profiler.stop")
  Fs.writeFileSync(file, JSON.stringify(profile))
  session.disconnect()
  return result
}

const make = contenders[contender]
if (make === undefined) throw new Error(`unknown contender ${JSON.stringify(contender)}`)
const { dispose, run } = make()
const cpu = process.cpuUsage()
const start = performance.now()
const messages = await profiled(run)
const ms = performance.now() - start
const { system, user } = process.cpuUsage(cpu)
await dispose?.()
console.log(JSON.stringify({ messages, ms, cpuMicros: user + system }))
process.exit(0)
