/**
 * The examples' command lines, parsed by `effect/cli`: each example that
 * takes options is a `Command` whose flags are typed (`--concurrency 2` is a
 * number), with `--help` for free.
 *
 * `npx -y pnpm@10.34.9 run export -- --out x.ndjson` runs the root script
 * `pnpm --filter @postpress/examples run export`, and pnpm hands its
 * arguments on verbatim, the `--` included: the example receives
 * `-- --out x.ndjson`. To `effect/cli` a `--` ends the options, so every
 * option after it would be an unexpected positional argument. No example takes
 * positional arguments, so a standalone `--` is skipped: both
 * `pnpm run export -- --out x` and `pnpm run export --out x` work.
 */
import type * as CliError from "effect/cli/CliError"
import * as Command from "effect/cli/Command"
import * as Effect from "effect/Effect"
import * as Stdio from "effect/Stdio"

/** The version `--version` prints. */
const version = "1.0.0"

/** The arguments without any standalone `--` (what pnpm passes on from `pnpm run <script> -- …`). */
export const withoutSeparators = (argv: ReadonlyArray<string>): Array<string> => argv.filter((arg) => arg !== "--")

/**
 * Runs `command` on `argv`, any standalone `--` skipped. An unknown option, a
 * missing or malformed value or a positional argument fails with a
 * `CliError.ShowHelp`, after printing the error and the usage (the process
 * then exits with code 1, with no stack trace).
 */
export const runWith = <Name extends string, Input, ContextInput, E, R>(
  command: Command.Command<Name, Input, ContextInput, E, R>
) =>
(argv: ReadonlyArray<string>): Effect.Effect<void, E | CliError.CliError, R | Command.Environment> =>
  Command.runWith(command, { version })(withoutSeparators(argv))

/** {@link runWith} on the process's arguments after the script (from `Stdio`). */
export const run = <Name extends string, Input, ContextInput, E, R>(
  command: Command.Command<Name, Input, ContextInput, E, R>
): Effect.Effect<void, E | CliError.CliError, R | Command.Environment> =>
  Stdio.Stdio.use(({ args }) => Effect.flatMap(args, runWith(command)))
