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
    let failed = unhandledErrors.length
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
    const line = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`
    const summaryFile = process.env.POSTPRESS_TEST_SUMMARY
    if (summaryFile) fs.writeFileSync(summaryFile, JSON.stringify({ passed, failed, skipped }))
    const edition = process.env.POSTPRESS_TEST_EDITION
    // after every other reporter's summary: stdout is synchronous for files and pipes
    process.once("exit", () => process.stdout.write(`\n${edition ? `${edition}: ` : ""}${line}\n`))
  }
}
