import { assert, describe, it } from "@effect/vitest"
import { PostpressClient } from "@postpress/core"
import { NodePostpress } from "@postpress/node"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as ChildProcess from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { fixture } from "../../../conformance/fixtures/index.js"
import { raw } from "../../core/test/utils.js"
import { NodeSimulator, PostpressSimulator } from "../src/index.js"

const Fault = PostpressSimulator.Fault

/** A simulator on a free port and a client over undici pointed at it, in the test's scope. */
const served = (options: NodeSimulator.Options = {}) =>
  Effect.gen(function*() {
    const context = yield* Layer.build(NodeSimulator.layer({ ...options, port: 0 }))
    const simulator = Context.get(context, PostpressSimulator.PostpressSimulator)
    const baseUrl = yield* NodeSimulator.baseUrl.pipe(Effect.provide(context))
    const client = yield* Layer.build(
      NodePostpress.layer({ apiKey: Redacted.make(simulator.apiKey), baseUrl, ...raw })
    ).pipe(
      Effect.map(Context.get(PostpressClient.PostpressClient))
    )
    return { simulator, client, baseUrl }
  })

const keys = (value: object) => Object.keys(value).sort()

describe("NodeSimulator over HTTP", () => {
  it.scoped("answers every endpoint in the reference's shapes, with JSON headers", () =>
    Effect.gen(function*() {
      const { baseUrl, simulator } = yield* served({ seed: 4, chats: 8, messagesPerChat: 30 })
      const { dataset } = simulator
      const get = (path: string) =>
        Effect.promise(() =>
          fetch(`${baseUrl}${path}`, { headers: { "X-API-KEY": simulator.apiKey, accept: "application/json" } })
        )
      const json = (path: string) =>
        Effect.flatMap(get(path), (response) => {
          assert.strictEqual(response.status, 200)
          assert.strictEqual(response.headers.get("content-type"), "application/json")
          assert.match(response.headers.get("x-request-id") ?? "", /^req_/)
          return Effect.promise(() => response.json() as Promise<any>)
        })

      const chat = yield* json(`/chats/${dataset.chatId(0)}`)
      const reference = fixture("chat-with-last-message")
      for (const key of keys(reference)) assert.include(keys(chat), key)
      for (const key of keys(reference.lastMessage)) assert.include(keys(chat.lastMessage), key)

      const attendees = yield* json(`/chats/${dataset.chatId(0)}/attendees`)
      assert.deepStrictEqual(keys(attendees), keys(fixture("chat-attendee-list")))
      assert.strictEqual(attendees.cursor, null)

      const messages = yield* json(`/chats/${dataset.chatId(0)}/messages?limit=5`)
      assert.deepStrictEqual(keys(messages), ["cursor", "items", "object"])
      assert.strictEqual(messages.items.length, 5)

      const chats = yield* json(`/chat_attendees/${dataset.attendeeId(dataset.selfOf(0))}/chats?limit=2`)
      assert.strictEqual(chats.object, "ChatList")

      const message = yield* json(`/messages/${messages.items[0].id}`)
      assert.deepStrictEqual(message, messages.items[0])

      const unauthorized = yield* Effect.flatMap(
        Effect.promise(() => fetch(`${baseUrl}/messages/${message.id}`)),
        (response) => Effect.promise(() => response.json())
      )
      assert.deepStrictEqual(unauthorized, {
        title: "Unauthorized",
        detail: "Send your API key in the X-API-KEY header.",
        type: "errors/missing_credentials",
        status: 401
      })
    }))

  it.scoped("the client reads every endpoint through undici", () =>
    Effect.gen(function*() {
      const { client, simulator } = yield* served()
      const chatId = simulator.dataset.chatId(0)
      const chat = yield* client.chats.retrieve(chatId)
      assert.strictEqual(chat.id, chatId)
      assert.strictEqual((yield* client.chats.attendees.list(chatId)).items.length, simulator.dataset.members(0).length)
      const page = yield* client.chats.messages.list(chatId, { limit: 7 })
      assert.strictEqual(page.items.length, 7)
      assert.strictEqual((yield* client.messages.retrieve(page.items[0]!.id)).id, page.items[0]!.id)
      const chats = yield* client.chatAttendees.chats.list(simulator.dataset.attendeeId(0))
      assert.isTrue(chats.items.length > 0)
    }))

  it.scoped("socket-level faults: a reset and a cut-off body are TransportErrors, an HTML 502 UnexpectedStatus", () =>
    Effect.gen(function*() {
      const { client, simulator } = yield* served()
      const id = simulator.dataset.messageId(0, 0)
      const after = (fault: PostpressSimulator.Fault) =>
        Effect.zipRight(simulator.setFaults([{ fault, times: 1 }]), Effect.flip(client.messages.retrieve(id)))
      const reset = yield* after(Fault.ConnectionReset())
      assert.strictEqual(reset._tag, "TransportError")
      const truncated = yield* after(Fault.TruncatedBody())
      assert.strictEqual(truncated._tag, "TransportError")
      const gateway = yield* after(Fault.BadGateway())
      assert.strictEqual(gateway._tag === "UnexpectedStatus" && gateway.status, 502)
      // and the connection pool recovers
      assert.strictEqual((yield* client.messages.retrieve(id)).id, id)
    }))
})

describe("NodeSimulator.layerClient", () => {
  it.scoped("one line: a simulator on a free port, and a client over HTTP pointed at it", () =>
    Effect.gen(function*() {
      const simulator = yield* PostpressSimulator.PostpressSimulator
      const client = yield* PostpressClient.PostpressClient
      const baseUrl = yield* NodeSimulator.baseUrl
      const port = Number(new URL(baseUrl).port)
      assert.isAbove(port, 0)
      assert.notStrictEqual(port, 4010)
      const chatId = simulator.dataset.chatId(0)
      assert.strictEqual((yield* client.chats.retrieve(chatId)).id, chatId)
      const [request] = yield* simulator.requests
      assert.strictEqual(request?.route, "chats.retrieve")
      assert.strictEqual(request?.url, `/api/v1/chats/${chatId}`)
      // injected faults cross the socket
      yield* simulator.setFaults([{ fault: Fault.ConnectionReset(), times: 1 }])
      assert.strictEqual((yield* Effect.flip(client.chats.retrieve(chatId)))._tag, "TransportError")
    }).pipe(Effect.provide(NodeSimulator.layerClient({ seed: 4, chats: 3 }, raw))))

  it.scoped("two at once take two free ports", () =>
    Effect.gen(function*() {
      const first = yield* Layer.build(NodeSimulator.layerClient({ seed: 1 }))
      const second = yield* Layer.build(NodeSimulator.layerClient({ seed: 2 }))
      const urls = yield* Effect.forEach([first, second], (context) =>
        NodeSimulator.baseUrl.pipe(Effect.provide(context)))
      assert.notStrictEqual(urls[0], urls[1])
      for (const context of [first, second]) {
        const simulator = Context.get(context, PostpressSimulator.PostpressSimulator)
        const client = Context.get(context, PostpressClient.PostpressClient)
        const chat = yield* client.chats.retrieve(simulator.dataset.chatId(1))
        assert.strictEqual(chat.id, simulator.dataset.chatId(1))
      }
    }))
})

// The command's source, run through tsx; the consumer check (scripts/consumer-check.sh) runs the compiled one.
const bin = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../src/bin/postpress-simulator.ts")

describe("the postpress-simulator command", () => {
  it.scoped("starts, prints where it listens, and answers requests", () =>
    Effect.gen(function*() {
      const child = yield* Effect.acquireRelease(
        Effect.sync(() =>
          ChildProcess.spawn(
            process.execPath,
            ["--import", "tsx", bin, "--port", "0", "--seed", "3", "--chats", "4", "--messages", "10"],
            { cwd: Path.dirname(bin), stdio: ["ignore", "pipe", "pipe"] }
          )
        ),
        (child) => Effect.sync(() => child.kill("SIGTERM"))
      )
      const banner = yield* Effect.async<string>((resume) => {
        let out = ""
        child.stdout!.on("data", (chunk) => {
          out += chunk
          if (out.includes("curl")) resume(Effect.succeed(out))
        })
      }).pipe(Effect.timeout("20 seconds"), Effect.orDie)
      const baseUrl = /listening on (\S+)/.exec(banner)![1]!
      const chatId = /a chat:\s+(\S+)/.exec(banner)![1]!
      const response = yield* Effect.promise(() =>
        fetch(`${baseUrl}/chats/${chatId}`, { headers: { "X-API-KEY": PostpressSimulator.defaultApiKey } })
      )
      assert.strictEqual(response.status, 200)
      const body: any = yield* Effect.promise(() => response.json())
      assert.strictEqual(body.id, chatId)
      assert.strictEqual(body.object, "Chat")
    }), 30_000)
})
