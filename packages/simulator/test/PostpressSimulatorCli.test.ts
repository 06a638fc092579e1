import { assert, describe, it } from "@effect/vitest"
import * as ChildProcess from "node:child_process"
import * as Net from "node:net"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

// The command's source, run through tsx, with its output piped (not a terminal).
const bin = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../src/bin/postpress-simulator.ts")

const cli = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = process.env) =>
  ChildProcess.spawnSync(process.execPath, ["--import", "tsx", bin, ...args], {
    cwd: Path.resolve(Path.dirname(bin), "../.."),
    env,
    encoding: "utf8",
    timeout: 30_000
  })

/** The command failed with exactly one line on stderr, which it returns. */
const oneErrorLine = (result: ChildProcess.SpawnSyncReturns<string>) => {
  assert.notStrictEqual(result.status, 0, result.stdout)
  assert.notStrictEqual(result.status, null, `killed: ${result.signal}`)
  const lines = result.stderr.trimEnd().split("\n")
  assert.strictEqual(lines.length, 1, result.stderr)
  assert.notInclude(result.stderr, "\x1b[")
  return lines[0]!
}

describe("the postpress-simulator command's output", () => {
  it("--help prints plain text with each default when its output is piped, and exits 0", () => {
    const result = cli(["--help"], { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined })
    assert.strictEqual(result.status, 0, result.stderr)
    assert.include(result.stdout, "USAGE")
    assert.include(result.stdout, "--port integer")
    // every option with a default says it
    for (const shown of ["(default 4010)", "(default 127.0.0.1)", "(default 24)", "(default pp_test_simulator)"]) {
      assert.include(result.stdout, shown)
    }
    assert.notInclude(result.stdout, "\x1b[")
  }, 30_000)

  it("a standalone -- (from `pnpm run simulator -- …`) is skipped", () => {
    const result = cli(["--", "--help"])
    assert.strictEqual(result.status, 0, result.stderr)
    assert.include(result.stdout, "USAGE")
  }, 30_000)

  it("a bad value is one line naming the option", () => {
    assert.strictEqual(
      oneErrorLine(cli(["--port", "abc"])),
      `postpress-simulator: --port: expected an integer, got "abc"`
    )
    assert.strictEqual(
      oneErrorLine(cli(["--port", "99999999"])),
      "postpress-simulator: --port: expected a port from 0 to 65535, got 99999999"
    )
    assert.strictEqual(
      oneErrorLine(cli(["--fault-rate", "lots"])),
      `postpress-simulator: --fault-rate: expected a number, got "lots"`
    )
    assert.match(oneErrorLine(cli(["--seed"])), /^postpress-simulator: --seed: /)
  }, 60_000)

  it("an unknown option is one line naming it", () => {
    assert.match(oneErrorLine(cli(["--bogus"])), /^postpress-simulator: .*--bogus/)
  }, 30_000)

  it("a port in use is one line", async () => {
    const server = Net.createServer()
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const port = (server.address() as Net.AddressInfo).port
    try {
      assert.strictEqual(
        oneErrorLine(cli(["--port", String(port)])),
        `postpress-simulator: port ${port} is in use on 127.0.0.1 (choose another with --port, or --port 0 for a free one)`
      )
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  }, 30_000)
})
