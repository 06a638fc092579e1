/**
 * The suite StrykerJS runs for each mutant (`pnpm mutation`, scripts/mutation.mjs): the core's and the node
 * package's tests, with every `@postpress/*` import resolved to this directory's sources, so that a mutant in the
 * core (Stryker writes it into its sandbox copy) is seen by the node package's tests too. Left out, as too slow to
 * run once per mutant on 2 cores: the HTTP chaos test (56 s) and the Redis limiter's multi-process tests (not a
 * mutated module). Tests read `POSTPRESS_MUTATION` to run their 10,000-case properties with 100 cases and the
 * 100,000-message resilience stream with 5,000 messages (the same faults, pages and checks).
 */
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const root = path.dirname(fileURLToPath(import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@postpress\/(core|node|simulator)$/, replacement: `${root}/packages/$1/src/index.ts` },
      { find: /^@postpress\/(core|node|simulator)\/(.*)$/, replacement: `${root}/packages/$1/src/$2.ts` }
    ]
  },
  test: {
    include: ["packages/core/test/**/*.test.ts", "packages/node/test/**/*.test.ts"],
    exclude: ["packages/node/test/Chaos.test.ts", "packages/node/test/RedisRateLimiter.test.ts"],
    testTimeout: 30_000,
    env: { POSTPRESS_MUTATION: "1" }
  }
})
