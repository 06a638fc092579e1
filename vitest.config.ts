import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/test/**/*.test.ts"],
    reporters: ["default", "./scripts/SummaryReporter.ts"],
    testTimeout: 30_000,
    // unhandled errors still fail the run: scripts/SummaryReporter.ts counts them (all but a worker's report
    // timing out, which loses no result) and scripts/test-all.mjs fails on its count
    dangerouslyIgnoreUnhandledErrors: true
  }
})
