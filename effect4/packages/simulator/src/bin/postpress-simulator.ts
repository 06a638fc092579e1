#!/usr/bin/env node
/**
 * `postpress-simulator`: serves the postpress simulator on a port.
 *
 *   postpress-simulator --port 4010 --seed 42 --chats 50 --messages 1000
 *   curl -H 'X-API-KEY: pp_test_simulator' http://127.0.0.1:4010/api/v1/chats/<chat id>
 *
 * Built on Effect 4's own CLI module (`effect/cli`). Help is coloured only on
 * a terminal (and not with `NO_COLOR` set: `effect/cli`'s terminal
 * detection); an error is one line on stderr (`postpress-simulator: port 4010
 * is in use …`) and a non-zero exit code: 2 for a mistake in the arguments, 1
 * otherwise.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeServices from "@effect/platform-node/NodeServices"
import * as Cause from "effect/Cause"
import * as CliError from "effect/cli/CliError"
import * as CliOutput from "effect/cli/CliOutput"
import * as Command from "effect/cli/Command"
import * as Flag from "effect/cli/Flag"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as HttpServerError from "effect/http/HttpServerError"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import * as Runtime from "effect/Runtime"
import * as NodeSimulator from "../NodeSimulator.js"
import * as PostpressSimulator from "../PostpressSimulator.js"

const Fault = PostpressSimulator.Fault

const name = "postpress-simulator"

/** A failure of the command, as the one line it prints, and its exit code. */
class CommandFailed extends Data.TaggedError("CommandFailed")<{ readonly line: string; readonly code: 1 | 2 }> {
  override get [Runtime.errorExitCode]() {
    return this.code
  }
  // printed by the command itself, as one line
  override readonly [Runtime.errorReported] = false
}

const options = {
  port: Flag.Int("port").pipe(
    Flag.filter((port) => port >= 0 && port <= 65535, () => "a port from 0 to 65535"),
    Flag.withDefault(4010),
    Flag.withDescription("the port; 0 picks a free one (default 4010)")
  ),
  host: Flag.String("host").pipe(
    Flag.withDefault("127.0.0.1"),
    Flag.withDescription("the interface (default 127.0.0.1)")
  ),
  seed: Flag.Int("seed").pipe(Flag.withDefault(1), Flag.withDescription("the dataset's seed (default 1)")),
  accounts: Flag.Int("accounts").pipe(Flag.withDefault(3), Flag.withDescription("connected accounts (default 3)")),
  attendees: Flag.Int("attendees").pipe(
    Flag.withDefault(12),
    Flag.withDescription("attendees per account (default 12)")
  ),
  chats: Flag.Int("chats").pipe(Flag.withDefault(24), Flag.withDescription("chats (default 24)")),
  messages: Flag.Int("messages").pipe(Flag.withDefault(60), Flag.withDescription("messages per chat (default 60)")),
  apiKey: Flag.String("api-key").pipe(
    Flag.withDefault(PostpressSimulator.defaultApiKey),
    Flag.withDescription(`the accepted X-API-KEY (default ${PostpressSimulator.defaultApiKey})`)
  ),
  faultRate: Flag.Finite("fault-rate").pipe(
    Flag.withDefault(0),
    Flag.withDescription(
      "the share of requests that fail, from 0 to 1 (503, 500, 504, 429, resets, truncated bodies, HTML 502s; default 0)"
    )
  ),
  latency: Flag.Int("latency").pipe(
    Flag.optional,
    Flag.withDescription("milliseconds added to every response (default none)")
  ),
  rateLimit: Flag.Int("rate-limit").pipe(
    Flag.optional,
    Flag.withDescription("requests per second per API key before 429 (default no limit)")
  )
}

const command = Command.make(name, options, (config) =>
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
const args = process.argv.slice(2).filter((arg) => arg !== "--")

/** What each option's type expects, in words (`effect/cli` words its parse failures as schema issues). */
const expected: Readonly<Record<string, string>> = {
  port: "an integer",
  seed: "an integer",
  accounts: "an integer",
  attendees: "an integer",
  chats: "an integer",
  messages: "an integer",
  "fault-rate": "a number",
  latency: "an integer",
  "rate-limit": "an integer"
}

/** A mistake in the arguments, in a line that names the option. */
const usageError = (error: CliError.CliError): CommandFailed => {
  const line = ((): string => {
    switch (error._tag) {
      case "InvalidValue":
        return error.value === ""
          ? `--${error.option}: expected a value`
          : /^at most 1 value/.test(error.expected)
          ? `--${error.option}: given more than once`
          : /^Expected /.test(error.expected)
          // the value is no `integer` / `number`
          ? `--${error.option}: expected ${expected[error.option] ?? error.expected}, got ${
            JSON.stringify(error.value)
          }`
          // a check of the command's own (`Flag.filter`)
          : `--${error.option}: expected ${error.expected}, got ${error.value}`
      case "MissingOption":
        return `--${error.option}: expected a value`
      case "UnrecognizedOption":
        return `unknown option ${error.option} (see --help)`
      case "UnexpectedArgument":
        return `unknown argument ${error.arguments.join(" ")} (see --help)`
      default:
        return error.message
    }
  })()
  return new CommandFailed({ line, code: 2 })
}

/**
 * Help and the version as `effect/cli` presents them; a mistake in the
 * arguments is no help page and no list of errors, but one line (below).
 */
const presenter: CliOutput.Presenter = {
  present: (event) => event._tag === "InvalidInvocation" ? Effect.void : CliOutput.defaultPresenter.present(event)
}

const program = Command.runWith(command, { version: "1.0.0" })(args).pipe(
  Effect.catchFilter(
    (error) => CliError.isCliError(error) && error._tag === "ShowHelp" ? Result.succeed(error) : Result.fail(error),
    (help) => help.errors.length === 0 ? Effect.void : Effect.fail(usageError(help.errors[0]!))
  ),
  Effect.catchCause((cause) =>
    Cause.hasInterruptsOnly(cause) ? Effect.failCause(cause) : Effect.gen(function*() {
      const failure = Cause.findErrorOption(cause)
      const error = Option.isSome(failure) && failure.value instanceof CommandFailed
        ? failure.value
        : new CommandFailed({ line: Cause.pretty(cause).split("\n")[0]!.replace(/^Error: /, ""), code: 1 })
      yield* Console.error(`${name}: ${error.line}`)
      return yield* Effect.fail(error)
    })
  ),
  Effect.provide(CliOutput.layerPresenter(presenter)),
  Effect.provide(NodeServices.layer)
)

NodeRuntime.runMain(program, {
  // an interrupted server (Ctrl-C, SIGTERM) exits 0, as it ran as asked
  teardown: (exit, onExit) =>
    Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause) ? onExit(0) : Runtime.defaultTeardown(exit, onExit)
})
