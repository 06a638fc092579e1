/**
 * Tracing with OpenTelemetry: `NodeSdk.layer` from `@effect/opentelemetry`
 * turns every call of the client into one OpenTelemetry client span, here
 * kept by an in-memory exporter and printed once the calls are done.
 *
 *   pnpm run tracing
 *
 * Four calls: a chat, a page of its messages, a message that does not exist
 * (a 404) and, on the simulator, a chat whose first request gets an injected
 * 503 (retried: two HTTP attempts, still one span). Each span carries the
 * method, the path template, the ids, the last response's status and the
 * number of attempts; a failed one its tag and request id. The API key is in
 * none of them, which the run checks at the end.
 */
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as OtelApi from "@opentelemetry/api"
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import { PostpressClient } from "@postpress/core"
import { PostpressSimulator } from "@postpress/simulator"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Target from "./Target.js"

/** Where the finished spans go: memory, to print them (an OTLP exporter would send them to a collector). */
const exporter = new InMemorySpanExporter()

/** The OpenTelemetry SDK as a layer: a tracer provider exporting each span as it ends, and Effect's tracer on it. */
const TracingLive = NodeSdk.layer(() => ({
  resource: { serviceName: "postpress-examples" },
  spanProcessor: new SimpleSpanProcessor(exporter)
}))

/** The calls, each a `postpress.*` span under the example's own span; failures are the spans' business here. */
const calls = Effect.gen(function*() {
  const target = yield* Target.Target
  const client = yield* PostpressClient.PostpressClient
  const chatId = yield* Target.required(target.chatId, "POSTPRESS_CHAT_ID")

  yield* client.chats.retrieve(chatId)
  yield* client.chats.messages.list(chatId, { limit: 5 })
  // a well-formed id that matches nothing: a 404
  yield* Effect.result(client.messages.retrieve(`msg_${"0".repeat(26)}`))
  if (Option.isSome(target.simulator)) {
    // the next request gets a 503; the client retries it after a short backoff, within the same span
    yield* target.simulator.value.setFaults([{ fault: PostpressSimulator.Fault.Error({ status: 503 }), times: 1 }])
    yield* client.chats.retrieve(chatId)
  } else {
    yield* Console.log("(the retried call needs the simulator's injected faults: skipped on the real API)\n")
  }
}).pipe(Effect.withSpan("example.tracing"))

/** A span's lines: its name, kind and status, then each attribute in the order it was set. */
const describeSpan = (span: ReadableSpan, depth: number): Array<string> => {
  const indent = "  ".repeat(depth)
  const status = OtelApi.SpanStatusCode[span.status.code] + (span.status.message ? `: ${span.status.message}` : "")
  const attributes = Object.entries(span.attributes).map(([key, value]) => `${indent}  ${key.padEnd(28)} ${value}`)
  return [`${indent}${span.name} (${OtelApi.SpanKind[span.kind].toLowerCase()}, ${status})`, ...attributes]
}

/** The finished spans as a tree, in the order they started. */
const printTree = (spans: ReadonlyArray<ReadableSpan>) => {
  const byStart = [...spans].sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1])
  const lines: Array<string> = []
  const visit = (parentId: string | undefined, depth: number) => {
    for (const span of byStart.filter((s) => s.parentSpanContext?.spanId === parentId)) {
      for (const line of describeSpan(span, depth)) lines.push(line)
      visit(span.spanContext().spanId, depth + 1)
    }
  }
  visit(undefined, 0)
  return lines.join("\n")
}

/** Everything a span holds that an exporter would send, as text: to search it for the key. */
const exported = (span: ReadableSpan): string =>
  JSON.stringify({
    name: span.name,
    attributes: span.attributes,
    events: span.events,
    links: span.links,
    status: span.status,
    resource: span.resource.attributes
  })

const program = Effect.gen(function*() {
  const target = yield* Target.Target
  yield* Console.log(`Tracing calls to ${target.description}\n`)
  yield* calls

  const spans = exporter.getFinishedSpans()
  // the in-process simulator traces its side too: one server span (`GET`) per request it served
  const served = spans.filter((span) => span.kind === OtelApi.SpanKind.SERVER)
  yield* Console.log(printTree(spans.filter((span) => !served.includes(span))))
  if (served.length > 0) {
    yield* Console.log(`\n(and ${served.length} http.server spans of the simulator, one per HTTP attempt: not shown)`)
  }

  // the key the client sent: the simulator's, or the one from the environment
  const apiKey = Option.isSome(target.simulator)
    ? target.simulator.value.apiKey
    : Redacted.value(yield* Config.Redacted("POSTPRESS_API_KEY"))
  const leaks = spans.filter((span) => exported(span).includes(apiKey))
  yield* Console.log(
    leaks.length === 0
      ? `\nThe API key appears in none of the ${spans.length} spans (names, attributes, events, status).`
      : `\nThe API key appears in: ${leaks.map((span) => span.name).join(", ")}`
  )
  if (leaks.length > 0) return yield* Effect.die("the API key leaked into a span")
})

program.pipe(Effect.provide(Target.layer()), Effect.provide(TracingLive), NodeRuntime.runMain)
