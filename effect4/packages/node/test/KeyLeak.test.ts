/**
 * The API key never leaks, on any transport the SDK offers: not into a span
 * (its name, attributes, events, links, exit), not into a log line, not into
 * an error however it is rendered.
 *
 * Each transport runs the same scenarios against the simulator served on a
 * loopback port: a success, a 401 with a wrong key (which must not leak
 * either), a 500, a 503 retried to a success, connection resets and an
 * interrupted call. Each also runs under an application whose own
 * `Headers.CurrentRedactedNames` does not name `x-api-key`, which is where
 * the key lands in a platform client's span once it records headers.
 *
 * Everything captured is searched raw (own properties, hidden and symbol keys
 * included, no redaction context), rendered (`util.inspect` with hidden
 * properties, `JSON.stringify`, `Inspectable.toStringUnknown`, `Cause.pretty`)
 * and as the standard loggers format it. The detector is checked against
 * planted keys first, so a green run means something.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { PostpressClient, PostpressConfig, PostpressError, PostpressRetry } from "@postpress/core"
import { NodeSimulator, PostpressSimulator } from "@postpress/simulator"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Headers from "effect/http/Headers"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import type * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as References from "effect/References"
import type * as Scope from "effect/Scope"
import * as Tracer from "effect/Tracer"
import * as Crypto from "node:crypto"
import * as Util from "node:util"
import { NodePostpress } from "../src/index.js"

/** The key the simulator accepts. */
const KEY = "pp_live_KeyLeakCanary_9d41b7e2"
/** A key it refuses: the 401 scenario configures it, and it must not leak either. */
const WRONG_KEY = "pp_live_WrongKeyCanary_53e8a0c4"

/** What must appear nowhere: each key, its distinctive middle (a partial leak), and its base64. */
const needles: ReadonlyArray<readonly [label: string, needle: string]> = [
  ["the API key", KEY],
  ["part of the API key", "KeyLeakCanary"],
  ["the API key in base64", Buffer.from(KEY).toString("base64")],
  ["the wrong API key", WRONG_KEY],
  ["part of the wrong API key", "WrongKeyCanary"],
  ["the wrong API key in base64", Buffer.from(WRONG_KEY).toString("base64")]
]

// -----------------------------------------------------------------------------
// recording tracer and logger
// -----------------------------------------------------------------------------

/** A span that keeps everything it is given. */
class RecordingSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly name: string
  readonly traceId: string
  readonly spanId = Crypto.randomBytes(8).toString("hex")
  readonly parent: Option.Option<Tracer.AnySpan>
  readonly annotations: Context.Context<never>
  readonly kind: Tracer.SpanKind
  readonly sampled: boolean
  readonly root: boolean
  status: Tracer.SpanStatus
  readonly attributes = new Map<string, unknown>()
  readonly events: Array<readonly [name: string, startTime: bigint, attributes: Record<string, unknown> | undefined]> =
    []
  readonly links: Array<Tracer.SpanLink>

  constructor(options: Parameters<Tracer.Tracer["span"]>[0]) {
    this.name = options.name
    this.parent = options.parent
    this.annotations = options.annotations
    this.kind = options.kind
    this.sampled = options.sampled
    this.root = options.root
    this.traceId = Option.isSome(options.parent)
      ? options.parent.value.traceId
      : Crypto.randomBytes(16).toString("hex")
    this.links = [...options.links]
    this.status = { _tag: "Started", startTime: options.startTime }
  }

  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>): void {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
  }

  attribute(key: string, value: unknown): void {
    this.attributes.set(key, value)
  }

  event(name: string, startTime: bigint, attributes?: Record<string, unknown>): void {
    this.events.push([name, startTime, attributes])
  }

  addLinks(links: ReadonlyArray<Tracer.SpanLink>): void {
    for (const link of links) this.links.push(link)
  }

  get exit(): Exit.Exit<unknown, unknown> | undefined {
    return this.status._tag === "Ended" ? this.status.exit : undefined
  }
}

/** A log call as the logger received it, and as the standard loggers print it. */
interface RecordedLog {
  readonly logLevel: LogLevel.LogLevel
  readonly message: unknown
  readonly cause: Cause.Cause<unknown>
  readonly annotations: Record<string, unknown>
  readonly spans: ReadonlyArray<unknown>
  readonly lines: ReadonlyArray<string>
}

const printers: ReadonlyArray<readonly [name: string, printer: Logger.Logger<unknown, unknown>]> = [
  ["formatSimple", Logger.formatSimple],
  ["formatLogFmt", Logger.formatLogFmt],
  ["formatJson", Logger.formatJson],
  ["formatStructured", Logger.formatStructured]
]

/** A tracer and a logger that record, and how to run a program under both. */
const makeRecorder = () => {
  const spans: Array<RecordingSpan> = []
  const logs: Array<RecordedLog> = []
  const tracer = Tracer.make({
    span: (options) => {
      const span = new RecordingSpan(options)
      spans.push(span)
      return span
    }
  })
  const logger = Logger.make((options) => {
    logs.push({
      logLevel: options.logLevel,
      message: options.message,
      cause: options.cause,
      annotations: { ...options.fiber.getRef(References.CurrentLogAnnotations) },
      spans: [...options.fiber.getRef(References.CurrentLogSpans)],
      // the loggers' own rendering, in the fiber's redaction context as in production
      lines: printers.map(([, printer]) => {
        const line = printer.log(options)
        return typeof line === "string" ? line : JSON.stringify(line, jsonReplacer)
      })
    })
  })
  const instrument = <A, E, R>(self: Effect.Effect<A, E, R>) =>
    self.pipe(
      Effect.withTracer(tracer),
      Effect.provideService(References.MinimumLogLevel, "All"),
      Effect.provide(Logger.layer([logger]))
    )
  return { spans, logs, instrument }
}

type Recorder = ReturnType<typeof makeRecorder>

// -----------------------------------------------------------------------------
// the detector
// -----------------------------------------------------------------------------

const jsonReplacer = (_key: string, value: unknown) => typeof value === "bigint" ? `${value}n` : value

const inspect = (u: unknown) =>
  Util.inspect(u, { depth: 20, showHidden: true, maxArrayLength: null, maxStringLength: null })

/**
 * Everything an object holds, as plain JSON: own properties (symbol and
 * non-enumerable ones too), `Map`/`Set` entries, an error's message, string
 * and stack, a cause pretty-printed, and `toJSON()`. No redaction context is
 * set: a `Headers` holding the key shows it, whatever names are redacted.
 */
const expose = (root: unknown): unknown => {
  const seen = new Set<object>()
  const go = (u: unknown, depth: number): unknown => {
    switch (typeof u) {
      case "bigint":
        return `${u}n`
      case "symbol":
        return u.toString()
      case "function":
        return `[Function ${u.name}]`
      case "object":
        break
      default:
        return u
    }
    if (u === null) return null
    if (seen.has(u)) return "[Circular]"
    if (depth > 60) return "[Deep]"
    seen.add(u)
    const out: Record<string, unknown> = {}
    if (Cause.isCause(u)) out["[[pretty]]"] = safely(() => Cause.pretty(u))
    if (u instanceof Error) {
      out["[[message]]"] = safely(() => u.message)
      out["[[string]]"] = safely(() => String(u))
      out["[[stack]]"] = safely(() => u.stack)
    }
    if (u instanceof Map) out["[[entries]]"] = go(Array.from(u.entries()), depth + 1)
    if (u instanceof Set) out["[[values]]"] = go(Array.from(u.values()), depth + 1)
    for (const key of Reflect.ownKeys(u)) {
      const descriptor = Object.getOwnPropertyDescriptor(u, key)
      if (descriptor !== undefined && "value" in descriptor) out[String(key)] = go(descriptor.value, depth + 1)
    }
    const toJSON = (u as { toJSON?: unknown }).toJSON
    if (typeof toJSON === "function") out["[[toJSON]]"] = go(safely(() => toJSON.call(u)), depth + 1)
    return out
  }
  return go(root, 0)
}

const safely = (f: () => unknown): unknown => {
  try {
    return f()
  } catch (error) {
    return `[threw ${String(error)}]`
  }
}

/** The ways an error is rendered: its message, `String`, `JSON.stringify`, `util.inspect`, effect's own. */
const renderError = (error: unknown): Record<string, string> => ({
  message: String(safely(() => (error as { message?: unknown }).message)),
  String: String(safely(() => String(error))),
  "JSON.stringify": String(safely(() => JSON.stringify(error, jsonReplacer))),
  "util.inspect": inspect(error),
  "Inspectable.toStringUnknown": Inspectable.toStringUnknown(error),
  exposed: JSON.stringify(expose(error))
})

/** The failures and defects of a cause, and every error they wrap (`cause` chains). */
const errorsOf = (cause: Cause.Cause<unknown>): Array<unknown> => {
  const out: Array<unknown> = []
  const add = (error: unknown, depth: number) => {
    if (out.includes(error) || depth > 10) return
    out.push(error)
    if (typeof error === "object" && error !== null && "cause" in error) add(error.cause, depth + 1)
  }
  for (const reason of cause.reasons) {
    if (Cause.isFailReason(reason)) add(reason.error, 0)
    else if (Cause.isDieReason(reason)) add(reason.defect, 0)
  }
  return out
}

/** Every rendering of a cause: `Cause.pretty`, its errors each rendered every way, the cause itself exposed. */
const renderCause = (cause: Cause.Cause<unknown>): Record<string, string> => {
  const out: Record<string, string> = {
    "Cause.pretty": Cause.pretty(cause),
    "util.inspect": inspect(cause),
    exposed: JSON.stringify(expose(cause))
  }
  errorsOf(cause).forEach((error, i) => {
    for (const [how, text] of Object.entries(renderError(error))) out[`error ${i} ${how}`] = text
  })
  return out
}

const renderExit = (exit: Exit.Exit<unknown, unknown>): Record<string, string> => {
  const out: Record<string, string> = {
    "util.inspect": inspect(exit),
    "Inspectable.toStringUnknown": Inspectable.toStringUnknown(exit),
    exposed: JSON.stringify(expose(exit))
  }
  if (Exit.isFailure(exit)) {
    for (const [how, text] of Object.entries(renderCause(exit.cause))) out[`cause ${how}`] = text
  } else {
    out["value"] = JSON.stringify(expose(exit.value))
  }
  return out
}

/** A span's parts, each rendered every way. */
const renderSpan = (span: RecordingSpan): Record<string, string> => {
  const parts: Record<string, unknown> = {
    name: span.name,
    kind: span.kind,
    parent: Option.map(span.parent, (parent) => ({ spanId: parent.spanId, traceId: parent.traceId })),
    attributes: span.attributes,
    events: span.events,
    links: span.links,
    status: span.status,
    annotations: span.annotations
  }
  const out: Record<string, string> = {}
  for (const [part, value] of Object.entries(parts)) {
    out[`${part} util.inspect`] = inspect(value)
    out[`${part} JSON.stringify`] = String(safely(() => JSON.stringify(value, jsonReplacer)))
    out[`${part} Inspectable.toStringUnknown`] = Inspectable.toStringUnknown(value)
    out[`${part} exposed`] = JSON.stringify(expose(value))
  }
  if (span.exit !== undefined) {
    for (const [how, text] of Object.entries(renderExit(span.exit))) out[`exit ${how}`] = text
  }
  return out
}

const renderLog = (log: RecordedLog): Record<string, string> => {
  const out: Record<string, string> = {}
  log.lines.forEach((line, i) => (out[`printed by ${printers[i]![0]}`] = line))
  for (
    const [part, value] of Object.entries({ message: log.message, annotations: log.annotations, spans: log.spans })
  ) {
    out[`${part} util.inspect`] = inspect(value)
    out[`${part} Inspectable.toStringUnknown`] = Inspectable.toStringUnknown(value)
    out[`${part} exposed`] = JSON.stringify(expose(value))
  }
  const messages = Array.isArray(log.message) ? log.message : [log.message]
  messages.forEach((message, i) => {
    if (message instanceof Error || Cause.isCause(message)) {
      const rendered = Cause.isCause(message) ? renderCause(message) : renderError(message)
      for (const [how, text] of Object.entries(rendered)) out[`message ${i} ${how}`] = text
    }
  })
  for (const [how, text] of Object.entries(renderCause(log.cause))) out[`cause ${how}`] = text
  return out
}

/** A leak: where, what, and the text around it. */
interface Leak {
  readonly where: string
  readonly what: string
  readonly around: string
}

const search = (where: string, rendered: Record<string, string>, leaks: Array<Leak>) => {
  for (const [how, text] of Object.entries(rendered)) {
    for (const [what, needle] of needles) {
      const at = String(text).indexOf(needle)
      if (at >= 0) {
        leaks.push({
          where: `${where}: ${how}`,
          what,
          around: String(text).slice(Math.max(0, at - 160), at + needle.length + 40)
        })
      }
    }
  }
}

/** Every leak in what the recorder captured and in the program's outcome. */
const findLeaks = (recorder: Recorder, outcome: Exit.Exit<unknown, unknown>): Array<Leak> => {
  const leaks: Array<Leak> = []
  recorder.spans.forEach((span, i) => search(`span ${i} "${span.name}"`, renderSpan(span), leaks))
  recorder.logs.forEach((log, i) => search(`log ${i} (${log.logLevel})`, renderLog(log), leaks))
  search("the outcome", renderExit(outcome), leaks)
  return leaks
}

const assertNoLeak = (recorder: Recorder, outcome: Exit.Exit<unknown, unknown>) => {
  const leaks = findLeaks(recorder, outcome)
  assert.deepStrictEqual(
    leaks,
    [],
    `the key leaked:\n${leaks.map((l) => `${l.where} (${l.what}): …${l.around}…`).join("\n")}`
  )
}

// -----------------------------------------------------------------------------
// transports and scenarios
// -----------------------------------------------------------------------------

interface Transport {
  readonly name: string
  readonly layer: (options: PostpressConfig.Options) => Layer.Layer<PostpressClient.PostpressClient>
}

const withHttpClient = (httpClient: Layer.Layer<HttpClient.HttpClient>) => (options: PostpressConfig.Options) =>
  PostpressClient.layer.pipe(Layer.provide(PostpressConfig.layer(options)), Layer.provide(httpClient))

const transports: ReadonlyArray<Transport> = [
  { name: "NodePostpress.layer (the lean undici transport)", layer: (options) => NodePostpress.layer(options) },
  {
    name: "NodePostpress.layerHttpClient (platform-node undici)",
    layer: withHttpClient(NodePostpress.layerHttpClient())
  },
  { name: "FetchHttpClient.layer", layer: withHttpClient(FetchHttpClient.layer) },
  { name: "NodeHttpClient.layerNodeHttp (node:http)", layer: withHttpClient(NodeHttpClient.layerNodeHttp) }
]

const Fault = PostpressSimulator.Fault

type Outcome = Exit.Exit<unknown, PostpressError.PostpressError>

interface Scenario {
  readonly name: string
  /** The key the client is configured with. */
  readonly apiKey: string
  readonly faults: ReadonlyArray<PostpressSimulator.FaultRule>
  /** The call, as the application makes it. */
  readonly call: (client: PostpressClient.Service, chatId: string) => Effect.Effect<Outcome>
  /** That the scenario did what it says (so a clean result means something). */
  readonly check: (
    outcome: Outcome,
    requests: ReadonlyArray<PostpressSimulator.RecordedRequest>,
    chatId: string
  ) => void
}

const failureOf = (outcome: Outcome): PostpressError.PostpressError => {
  assert.isTrue(Exit.isFailure(outcome), `expected a failure, got ${Inspectable.toStringUnknown(outcome)}`)
  const failure = Exit.isFailure(outcome) ? Cause.findErrorOption(outcome.cause) : Option.none()
  assert.isTrue(Option.isSome(failure), "expected a typed failure")
  return Option.getOrThrow(failure)
}

const scenarios: ReadonlyArray<Scenario> = [
  {
    name: "a successful call",
    apiKey: KEY,
    faults: [],
    call: (client, chatId) => Effect.exit(client.chats.retrieve(chatId)),
    check: (outcome, requests, chatId) => {
      assert.isTrue(Exit.isSuccess(outcome) && (outcome.value as { id: string }).id === chatId)
      assert.strictEqual(requests.length, 1)
    }
  },
  {
    name: "a 401 for a wrong key",
    apiKey: WRONG_KEY,
    faults: [],
    call: (client, chatId) => Effect.exit(client.chats.retrieve(chatId)),
    check: (outcome, requests) => {
      const error = failureOf(outcome)
      assert.strictEqual(error._tag, "Unauthorized")
      assert.strictEqual(error._tag === "Unauthorized" && error.type, "errors/invalid_credentials")
      assert.deepStrictEqual(requests.map((request) => request.apiKey === WRONG_KEY), [true])
    }
  },
  {
    name: "a 500",
    apiKey: KEY,
    faults: [{ fault: Fault.Error({ status: 500, type: "errors/unexpected_error" }), times: 1 }],
    call: (client, chatId) => Effect.exit(client.chats.retrieve(chatId)),
    check: (outcome, requests) => {
      const error = failureOf(outcome)
      assert.strictEqual(error._tag, "InternalServerError")
      assert.deepStrictEqual(requests.map((request) => request.fault), ["Error"])
    }
  },
  {
    name: "a 503 retried to a success",
    apiKey: KEY,
    faults: [{ fault: Fault.Error({ status: 503 }), times: 1 }],
    call: (client, chatId) => Effect.exit(client.chats.retrieve(chatId)),
    check: (outcome, requests, chatId) => {
      assert.isTrue(Exit.isSuccess(outcome) && (outcome.value as { id: string }).id === chatId)
      assert.deepStrictEqual(requests.map((request) => request.fault), ["Error", undefined])
    }
  },
  {
    name: "connection resets (retried, then given up)",
    apiKey: KEY,
    faults: [{ fault: Fault.ConnectionReset() }],
    call: (client, chatId) =>
      Effect.exit(
        PostpressRetry.withPolicy(
          client.chats.retrieve(chatId),
          PostpressRetry.policy({ base: "5 millis", maxRetries: 1 })
        )
      ),
    check: (outcome, requests) => {
      assert.strictEqual(failureOf(outcome)._tag, "TransportError")
      assert.deepStrictEqual(requests.map((request) => request.fault), ["ConnectionReset", "ConnectionReset"])
    }
  },
  {
    name: "an interrupted call",
    apiKey: KEY,
    faults: [{ fault: Fault.Latency({ duration: "5 seconds" }), times: 1 }],
    call: (client, chatId) =>
      Effect.gen(function*() {
        const fiber = yield* Effect.forkChild(client.chats.retrieve(chatId))
        yield* Effect.sleep("100 millis")
        yield* Fiber.interrupt(fiber)
        return yield* Fiber.await(fiber)
      }),
    check: (outcome, requests) => {
      assert.isTrue(
        Exit.hasInterrupts(outcome),
        `expected an interruption, got ${Inspectable.toStringUnknown(outcome)}`
      )
      assert.deepStrictEqual(requests.map((request) => request.fault), ["Latency"])
    }
  }
]

/** The application around a call: it logs what it gets and what fails, in spans and log spans of its own. */
const application = (call: Effect.Effect<Outcome>): Effect.Effect<Outcome> =>
  Effect.gen(function*() {
    const outcome = yield* call
    yield* Exit.match(outcome, {
      onSuccess: (value) => Effect.logInfo("postpress call succeeded", value),
      onFailure: (cause) =>
        Effect.andThen(
          Effect.logError("postpress call failed", cause),
          Effect.logDebug(...errorsOf(cause))
        )
    })
    yield* Effect.logDebug("postpress call ended", outcome)
    return outcome
  }).pipe(
    Effect.annotateLogs({ component: "key-leak-test" }),
    Effect.withLogSpan("app.call"),
    Effect.withSpan("app.handler")
  )

/** The simulator on a free loopback port, served outside what is recorded. */
const serve = Effect.gen(function*() {
  const context = yield* Layer.build(
    NodeSimulator.layer({ port: 0, apiKeys: [KEY], seed: 7, chats: 2, messagesPerChat: 3 })
  )
  const simulator = Context.get(context, PostpressSimulator.PostpressSimulator)
  const baseUrl = yield* Effect.provide(NodeSimulator.baseUrl, context)
  return { simulator, baseUrl }
})

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/

/**
 * Runs a scenario on a transport, recorded: the client is built, called and
 * released under the recording tracer and logger (and the application's
 * redacted header names, if given).
 */
const runScenario = (
  transport: Transport,
  scenario: Scenario,
  redactedNames: ReadonlyArray<string> | undefined
): Effect.Effect<void, unknown, Scope.Scope> =>
  Effect.gen(function*() {
    const { baseUrl, simulator } = yield* serve
    yield* simulator.setFaults(scenario.faults)
    const chatId = simulator.dataset.chatId(0)
    const recorder = makeRecorder()

    const program = Effect.gen(function*() {
      const client = yield* Layer.build(transport.layer({ apiKey: Redacted.make(scenario.apiKey), baseUrl })).pipe(
        Effect.map(Context.get(PostpressClient.PostpressClient))
      )
      return yield* application(scenario.call(client, chatId))
    }).pipe(Effect.scoped)
    const outcome = yield* recorder.instrument(
      redactedNames === undefined
        ? program
        : Effect.provideService(program, Headers.CurrentRedactedNames, redactedNames)
    )
    const requests = yield* simulator.requests

    // the scenario did what it says
    scenario.check(outcome, requests, chatId)

    // the recorder works: the call's span, ended with the call's outcome, under the application's span
    const calls = recorder.spans.filter((span) => span.name === "postpress.chats.retrieve")
    assert.strictEqual(calls.length, 1, recorder.spans.map((span) => span.name).join(", "))
    const call = calls[0]!
    assert.strictEqual(call.kind, "client")
    assert.strictEqual(call.attributes.get("postpress.chat_id"), chatId)
    const exit = call.exit
    assert.isDefined(exit, "the postpress span has ended")
    if (Exit.isSuccess(outcome)) {
      assert.isTrue(Exit.isSuccess(exit!))
    } else if (Exit.hasInterrupts(outcome)) {
      assert.isTrue(Exit.hasInterrupts(exit!))
    } else {
      assert.strictEqual(failureOf(exit as Outcome)._tag, failureOf(outcome)._tag)
    }
    const app = recorder.spans.find((span) => span.name === "app.handler")
    assert.isDefined(app)
    assert.strictEqual(Option.getOrUndefined(call.parent)?.spanId, app!.spanId)
    // the SDK's span is the client span: the platform makes no span of its own (Effect 4 names it by the method)
    assert.deepStrictEqual(
      recorder.spans.filter((span) => span !== call && span.kind === "client").map((span) => span.name),
      []
    )
    // and the logger saw the application's logs
    assert.isTrue(recorder.logs.some((log) => log.annotations["component"] === "key-leak-test"))

    // every request carried the postpress span's trace context
    assert.isNotEmpty(requests)
    for (const request of requests) {
      const traceparent = request.headers["traceparent"]
      assert.match(traceparent ?? "<none>", TRACEPARENT, `traceparent of ${request.url}`)
      const [, traceId, spanId] = TRACEPARENT.exec(traceparent!)!
      assert.deepStrictEqual({ traceId, spanId }, { traceId: call.traceId, spanId: call.spanId })
    }

    // and the key is nowhere
    assertNoLeak(recorder, outcome)
  })

// -----------------------------------------------------------------------------
// tests
// -----------------------------------------------------------------------------

describe("the detector", () => {
  const planted = (plant: Effect.Effect<unknown, unknown>) =>
    Effect.gen(function*() {
      const recorder = makeRecorder()
      const outcome = yield* recorder.instrument(Effect.exit(plant.pipe(Effect.withSpan("planted"))))
      return findLeaks(recorder, outcome)
    })
  const request = HttpClientRequest.get("http://localhost/chats/1", { headers: { "x-api-key": KEY } })

  it.effect("finds the key in a span attribute, a span event, a log line and an error", () =>
    Effect.gen(function*() {
      const wheres = (leaks: ReadonlyArray<Leak>) => leaks.map((leak) => leak.where)
      assert.isNotEmpty(yield* planted(Effect.annotateCurrentSpan("header", KEY)))
      assert.isNotEmpty(
        yield* planted(Effect.flatMap(Effect.currentSpan, (span) => Effect.sync(() => span.event("sent", 0n, { KEY }))))
      )
      assert.isNotEmpty(yield* planted(Effect.logTrace(`the key is ${WRONG_KEY.slice(8, 22)}`)))
      // a request in an error, its key behind the default redacted names: found raw all the same
      const inError = yield* planted(
        Effect.fail(new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request }) }))
      )
      assert.isTrue(wheres(inError).some((where) => where.startsWith("the outcome")))
      assert.isTrue(wheres(inError).some((where) => where.startsWith(`span 0 "planted": exit`)))
      // a request kept in an error's `cause`: Effect 4 renders its headers redacted, the detector finds it raw
      const inCause = yield* planted(
        Effect.fail(new PostpressError.TransportError({ description: "x", cause: request }))
      )
      assert.isTrue(wheres(inCause).some((where) => where.includes("cause error 1 exposed")))
      assert.isFalse(wheres(inCause).some((where) => where.includes("util.inspect")))
      // logged headers, under an application's redacted names that miss x-api-key: the printed line shows it
      const logged = yield* planted(
        Effect.provideService(Effect.logInfo(request.headers), Headers.CurrentRedactedNames, ["authorization"])
      )
      assert.isTrue(wheres(logged).some((where) => where.includes("printed by formatSimple")))
      // and nothing when the key is only ever Redacted
      assert.deepStrictEqual(yield* planted(Effect.logInfo(Redacted.make(KEY))), [])
    }))

  it.live("finds the leak the SDK's own span prevents: a platform client's span", () =>
    Effect.gen(function*() {
      const { baseUrl, simulator } = yield* serve
      const httpClient = yield* Layer.build(NodeHttpClient.layerNodeHttp).pipe(
        Effect.map(Context.get(HttpClient.HttpClient))
      )
      const send = (redactedNames: ReadonlyArray<string | RegExp>, recordHeaders: boolean) =>
        Effect.gen(function*() {
          const recorder = makeRecorder()
          const outcome = yield* recorder.instrument(
            httpClient.get(`${baseUrl}/chats/${simulator.dataset.chatId(0)}`, { headers: { "x-api-key": KEY } }).pipe(
              Effect.flatMap((response) => Effect.as(response.text, response)),
              Effect.provideService(Headers.CurrentRedactedNames, redactedNames),
              Effect.provideService(HttpClient.TracerHeaderFilter, () => recordHeaders),
              Effect.exit
            )
          )
          assert.isTrue(Exit.isSuccess(outcome) && outcome.value.status === 200)
          assert.deepStrictEqual(recorder.spans.map((span) => span.name), ["GET"])
          return findLeaks(recorder, outcome).map((leak) => leak.where)
        })
      // an application that records headers in its spans, with its own names without x-api-key: an attribute
      const unredacted = yield* send(["authorization"], true)
      assert.isTrue(unredacted.some((where) => where.startsWith(`span 0 "GET": attributes`)), unredacted.join("\n"))
      // the default names (and no headers recorded): no attribute, but the span's exit keeps the response, and
      // with it the request
      const defaults = yield* Headers.CurrentRedactedNames
      assert.include(defaults, "x-api-key")
      const redacted = yield* send(defaults, false)
      assert.isFalse(redacted.some((where) => where.includes(": attributes")), redacted.join("\n"))
      assert.isTrue(redacted.some((where) => where.startsWith(`span 0 "GET": exit`)), redacted.join("\n"))
    }))
})

for (const transport of transports) {
  describe(transport.name, () => {
    for (
      const [mode, redactedNames] of [
        ["default redacted header names", undefined],
        ["the application's redacted header names, without x-api-key", ["authorization"]]
      ] as const
    ) {
      describe(mode, () => {
        for (const scenario of scenarios) {
          it.live(scenario.name, () => runScenario(transport, scenario, redactedNames))
        }
      })
    }
  })
}
