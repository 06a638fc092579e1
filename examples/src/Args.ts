/**
 * The examples' command-line options, read with `node:util`'s `parseArgs`.
 *
 * `npx -y pnpm@10.34.9 run export -- --out x.ndjson` runs the root script
 * `pnpm --filter @postpress/examples run export`, and pnpm hands its
 * arguments on verbatim, the `--` included: the example receives
 * `-- --out x.ndjson`. To `parseArgs` a `--` ends the options, so every
 * option after it would be an unexpected positional argument. No example takes
 * positional arguments, so a standalone `--` is skipped: both
 * `pnpm run export -- --out x` and `pnpm run export --out x` work.
 */
import { parseArgs, type ParseArgsConfig } from "node:util"

/** The options an example accepts, as `parseArgs` describes them. */
export type Options = NonNullable<ParseArgsConfig["options"]>

/** The values `parseArgs` gives for `options`: a string or boolean (or an array of them) per option. */
export type Values<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O; args: Array<string>; strict: true; allowPositionals: false }>
>["values"]

/** The arguments without any standalone `--` (what pnpm passes on from `pnpm run <script> -- …`). */
export const withoutSeparators = (argv: ReadonlyArray<string>): Array<string> => argv.filter((arg) => arg !== "--")

/**
 * The option values of `argv` (by default the process's arguments after the
 * script); an unknown option, a missing value or a positional argument throws.
 */
export const parse = <const O extends Options>(
  options: O,
  argv: ReadonlyArray<string> = process.argv.slice(2)
): Values<O> => parseArgs({ options, args: withoutSeparators(argv), strict: true, allowPositionals: false }).values

/**
 * {@link parse} for an example's entry point: a mistake in the arguments ends
 * the process with one line on stderr (and the usage) instead of a stack trace.
 */
export const parseOrExit = <const O extends Options>(usage: string, options: O): Values<O> => {
  try {
    return parse(options)
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\nusage: ${usage}\n`)
    return process.exit(2)
  }
}
