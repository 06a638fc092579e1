#!/usr/bin/env node
/**
 * `postpress-simulator`: serves the postpress simulator on a port.
 *
 *   postpress-simulator --port 4010 --seed 42 --chats 50 --messages 1000
 *   curl -H 'X-API-KEY: pp_test_simulator' http://127.0.0.1:4010/api/v1/chats/<chat id>
 *
 * Help is coloured only on a terminal (and not with `NO_COLOR` set); an error
 * is one line on stderr (`postpress-simulator: port 4010 is in use …`) and a
 * non-zero exit code: 2 for a mistake in the arguments, 1 otherwise.
 */
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as NodeSimulator from "../NodeSimulator.js"
import * as PostpressSimulator from "../PostpressSimulator.js"

const Fault = PostpressSimulator.Fault

const name = "postpress-simulator"

/** A failure of the command, as the one line it prints, and its exit code. */
class CommandFailed extends Data.TaggedError("CommandFailed")<{ readonly line: string; readonly code: 1 | 2 }> {}

const invalid = (line: string) => ValidationError.invalidValue(HelpDoc.p(line))

const options = {
  port: Options.integer("port").pipe(
    Options.mapEffect((port) =>
      Number.isInteger(port) && port >= 0 && port <= 65535
        ? Effect.succeed(port)
        : Effect.fail(invalid(`--port: expected a port from 0 to 65535, got ${port}`))
    ),
    Options.withDefault(4010),
    Options.withDescription("the port; 0 picks a free one (default 4010)")
  ),
  host: Options.text("host").pipe(
    Options.withDefault("127.0.0.1"),
    Options.withDescription("the interface (default 127.0.0.1)")
  ),
  seed: Options.integer("seed").pipe(Options.withDefault(1), Options.withDescription("the dataset's seed (default 1)")),
  accounts: Options.integer("accounts").pipe(
    Options.withDefault(3),
    Options.withDescription("connected accounts (default 3)")
  ),
  attendees: Options.integer("attendees").pipe(
    Options.withDefault(12),
    Options.withDescription("attendees per account (default 12)")
  ),
  chats: Options.integer("chats").pipe(Options.withDefault(24), Options.withDescription("chats (default 24)")),
  messages: Options.integer("messages").pipe(
    Options.withDefault(60),
    Options.withDescription("messages per chat (default 60)")
  ),
  apiKey: Options.text("api-key").pipe(
    Options.withDefault(PostpressSimulator.defaultApiKey),
    Options.withDescription(`the accepted X-API-KEY (default ${PostpressSimulator.defaultApiKey})`)
  ),
  faultRate: Options.float("fault-rate").pipe(
    Options.withDefault(0),
    Options.withDescription(
      "the share of requests that fail, from 0 to 1 (503, 500, 504, 429, resets, truncated bodies, HTML 502s; default 0)"
    )
  ),
  latency: Options.integer("latency").pipe(
    Options.optional,
    Options.withDescription("milliseconds added to every response (default none)")
  ),
  rateLimit: Options.integer("rate-limit").pipe(
    Options.optional,
    Options.withDescription("requests per second per API key before 429 (default no limit)")
  )
}

const command = Command.make("postpress-simulator", options, (config) =>
  Effect.gen(function*() {
    const serverOptions: NodeSimulator.Options = {
      port: config.port,
      host: config.host,
      seed: config.seed,
      accounts: config.accounts,
      attendeesPerAccount: config.attendees,
      chats: config.chats,
      messagesPerChat: config.messages,
      apiKeys: [config.apiKey],
      faults: [
        ...Option.match(config.latency, {
          onNone: () => [],
          onSome: (millis) => [{ fault: Fault.Latency({ duration: `${millis} millis` }) }]
        }),
        ...(config.faultRate > 0 ? PostpressSimulator.faultMix(config.faultRate) : [])
      ],
      rateLimit: Option.getOrUndefined(Option.map(config.rateLimit, (limit) => ({ limit, interval: "1 second" })))
    }
    yield* Effect.gen(function*() {
      const simulator = yield* PostpressSimulator.PostpressSimulator
      const baseUrl = yield* NodeSimulator.baseUrl
      const { dataset } = simulator
      const chatId = dataset.chatId(0)
      yield* Console.log(
        [
          `postpress simulator listening on ${baseUrl} (also under /v1)`,
          `  X-API-KEY: ${simulator.apiKey}`,
          `  seed ${dataset.seed}: ${dataset.accountCount} accounts, ${dataset.attendeeCount} attendees, ${dataset.chatCount} chats, ${config.messages} messages per chat`,
          `  a chat:      ${chatId}`,
          `  an attendee: ${dataset.attendeeId(dataset.selfOf(0))} (the first account's own)`,
          `  a message:   ${dataset.messageCount(0) > 0 ? dataset.messageId(0, 0) : "(none)"}`,
          ``,
          `  curl -H 'X-API-KEY: ${simulator.apiKey}' ${baseUrl}/chats/${chatId}`
        ].join("\n")
      )
      return yield* Effect.never
    }).pipe(
      Effect.provide(NodeSimulator.layer(serverOptions)),
      Effect.catchTag("ServeError", (error) => Effect.fail(listenFailed(error, config.host, config.port)))
    )
  }))

/** Why the server could not listen, in a line: the port in use, a privileged port, an unknown host. */
const listenFailed = (error: HttpServerError.ServeError, host: string, port: number): CommandFailed => {
  const cause = error.cause as NodeJS.ErrnoException | undefined
  switch (cause?.code) {
    case "EADDRINUSE":
      return new CommandFailed({
        line: `port ${port} is in use on ${host} (choose another with --port, or --port 0 for a free one)`,
        code: 1
      })
    case "EACCES":
      return new CommandFailed({ line: `port ${port} on ${host} needs privileges (choose one above 1023)`, code: 1 })
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new CommandFailed({ line: `--host: cannot listen on ${JSON.stringify(host)} (${cause.code})`, code: 2 })
    default:
      return new CommandFailed({
        line: `cannot listen on ${host}:${port}: ${cause?.message ?? String(error)}`,
        code: 1
      })
  }
}

/** The command line without any standalone `--` (`pnpm run simulator -- --port 4010` passes it on). */
const args = process.argv.filter((arg, i) => i < 2 || arg !== "--")

// eslint-disable-next-line no-control-regex -- the escape character starts every ANSI sequence
const ansi = /\x1b\[[0-9;]*m/g

/** Colour only on a terminal, and not when `NO_COLOR` is set (https://no-color.org). */
const colour = process.stdout.isTTY === true && (process.env.NO_COLOR ?? "") === ""

/** A help document (or an error of @effect/cli) as one plain line. */
const oneLine = (doc: HelpDoc.HelpDoc) => HelpDoc.toAnsiText(doc).replace(ansi, "").replace(/\s+/g, " ").trim()

/** The option `value` was given to, from the command line (`--port abc` or `--port=abc`). */
const optionWithValue = (value: string) => {
  for (let i = 2; i < args.length; i++) {
    const arg = args[i]!
    if (arg.startsWith("--") && arg.endsWith(`=${value}`)) return arg.slice(0, arg.length - value.length - 1)
    if (arg.startsWith("-") && args[i + 1] === value) return arg
  }
  return undefined
}

/** The command's options, as typed on the command line (`--port`, …). */
const optionNames = new Set(
  Object.values(options).flatMap((option) => Option.toArray(Options.getIdentifier(option as Options.Options<unknown>)))
)

const expected: Record<string, string> = { integer: "an integer", float: "a number", boolean: "true or false" }

/** A mistake in the arguments, in a line that names the option. */
const usageError = (error: ValidationError.ValidationError): CommandFailed => {
  const text = oneLine(error.error)
  const notA = /^'(.*)' is not a (\w+)$/.exec(text)
  const unknown = /^Received unknown argument: '(.*)'$/.exec(text)
  const noValue = /^Expected a value following option: '(.*)'$/.exec(text)
  const line = notA !== null
    ? `${optionWithValue(notA[1]!) ?? "an option"}: expected ${expected[notA[2]!] ?? `a ${notA[2]}`}, got ${
      JSON.stringify(notA[1])
    }`
    : unknown !== null && optionNames.has(unknown[1]!)
    ? args.filter((arg) => arg === unknown[1]).length > 1
      ? `${unknown[1]}: given more than once`
      : `${unknown[1]}: expected a value`
    : unknown !== null
    ? `unknown ${unknown[1]!.startsWith("-") ? "option" : "argument"} ${unknown[1]} (see --help)`
    : noValue !== null
    ? `${noValue[1]}: expected a value`
    : text !== ""
    ? text
    : `invalid arguments (${error._tag}; see --help)`
  return new CommandFailed({ line, code: 2 })
}

/**
 * The console of the command while @effect/cli runs it: plain text unless
 * colour is on, and none of @effect/cli's own error output (each error
 * becomes one line, below).
 */
const commandConsole = (console: Console.Console): Console.Console => ({
  ...console,
  log: (...args) =>
    console.log(...(colour ? args : args.map((arg) => typeof arg === "string" ? arg.replace(ansi, "") : arg))),
  error: () => Effect.void
})

const cli = Command.run(command, { name, version: "0.2.0" })

const program = Console.consoleWith((console) => Effect.withConsole(cli(args), commandConsole(console))).pipe(
  Effect.catchIf(ValidationError.isValidationError, (error) => Effect.fail(usageError(error))),
  Effect.catchAllCause((cause) =>
    Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : Effect.gen(function*() {
      const failure = Option.getOrUndefined(Cause.failureOption(cause))
      const error = failure instanceof CommandFailed
        ? failure
        : new CommandFailed({ line: Cause.pretty(cause).split("\n")[0]!.replace(/^Error: /, ""), code: 1 })
      yield* Console.error(`${name}: ${error.line}`)
      return yield* Effect.fail(error)
    })
  ),
  Effect.provide(NodeContext.layer)
)

NodeRuntime.runMain(program, {
  disableErrorReporting: true,
  teardown: (exit, onExit) =>
    onExit(
      Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause)
        ? 0
        : Option.match(Cause.failureOption(exit.cause), {
          onNone: () => 1,
          onSome: (error) => error instanceof CommandFailed ? error.code : 1
        })
    )
})
