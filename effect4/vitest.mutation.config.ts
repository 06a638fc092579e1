/**
 * The suite StrykerJS runs for each mutant (`pnpm mutation --edition effect4`, scripts/mutation.mjs): as the
 * Effect 3 edition's vitest.mutation.config.ts — the core's and the node package's tests, `@postpress/*` resolved
 * to this directory's sources (Stryker's sandbox), the HTTP chaos and multi-process Redis tests left out, the
 * 10,000-case properties and the 100,000-message stream smaller (`POSTPRESS_MUTATION`). The shared fixtures
 * (`conformance/`, outside this workspace and so outside the sandbox) are resolved to the repository's.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const root = path.dirname(fileURLToPath(import.meta.url))
const repository = (() => {
  for (let dir = path.dirname(root); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "conformance", "fixtures"))) return dir
  }
  throw new Error("vitest.mutation.config.ts: no conformance/ above effect4/")
})()

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@postpress\/(core|node|simulator)$/, replacement: `${root}/packages/$1/src/index.ts` },
      { find: /^@postpress\/(core|node|simulator)\/(.*)$/, replacement: `${root}/packages/$1/src/$2.ts` },
      { find: /^(\.\.\/)+conformance\//, replacement: `${repository}/conformance/` }
    ]
  },
  test: {
    include: ["packages/core/test/**/*.test.ts", "packages/node/test/**/*.test.ts"],
    exclude: ["packages/node/test/Chaos.test.ts", "packages/node/test/RedisRateLimiter.test.ts"],
    testTimeout: 30_000,
    env: { POSTPRESS_MUTATION: "1" }
  }
})
