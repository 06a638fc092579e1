/**
 * A vitest reporter that ends the run with one line: `N passed, M failed`
 * (and `, K skipped` when some were), the line CI reads. Unhandled errors and
 * files that failed to load count as failures.
 *
 * Both editions' vitest configs use it. Under `scripts/test-all.mjs`, which
 * runs both suites and prints the one line for the whole run, it writes its
 * counts as JSON to `POSTPRESS_TEST_SUMMARY` and prints its line with the
 * edition's name (`POSTPRESS_TEST_EDITION`) in front instead.
 */
import * as fs from "node:fs"
import type { Reporter, SerializedError, TestModule } from "vitest/node"

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>) {
    let passed = 0
    // A worker's report to the main process timing out (vitest's 60 s RPC limit, seen on this 2-core machine
    // while a long CPU-bound test runs) loses no result: every test's outcome is still counted below. It is
    // printed, not counted; every other unhandled error is a failure.
    const reportTimeouts = unhandledErrors.filter((error) =>
      /^\[vitest-worker\]: Timeout calling "onTaskUpdate"/.test(String(error.message))
    )
    let failed = unhandledErrors.length - reportTimeouts.length
    let skipped = 0
    for (const module of modules) {
      if (module.state() === "failed" && [...module.children.allTests()].length === 0) failed++
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === "passed") passed++
        else if (state === "failed") failed++
        else skipped++
      }
    }
    if (reportTimeouts.length > 0) {
      process.once("exit", () =>
        process.stdout.write(
          `\nnote: ${reportTimeouts.length} worker report(s) timed out (vitest RPC); no test result was lost\n`
        ))
    }
    const line = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`
    const summaryFile = process.env.POSTPRESS_TEST_SUMMARY
    if (summaryFile) fs.writeFileSync(summaryFile, JSON.stringify({ passed, failed, skipped }))
    const edition = process.env.POSTPRESS_TEST_EDITION
    // after every other reporter's summary: stdout is synchronous for files and pipes
    process.once("exit", () => process.stdout.write(`\n${edition ? `${edition}: ` : ""}${line}\n`))
  }
}
