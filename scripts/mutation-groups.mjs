// The modules StrykerJS mutates (`pnpm mutation`), in groups run one after the other, each with its own
// incremental file and report: the core's modules that decide correctness, and the node transport. Left out of
// the list: nothing of the brief's list (schema.ts is declarations but for its refinements and patterns, which
// the mutants exercise). Paths are relative to the edition's root (the repository's, or effect4/).
export const groups = [
  {
    name: "stream",
    files: ["packages/core/src/internal/stream/watch.ts", "packages/core/src/internal/stream/pagination.ts"]
  },
  { name: "retry", files: ["packages/core/src/PostpressRetry.ts", "packages/core/src/internal/http/policy.ts"] },
  {
    name: "params",
    files: ["packages/core/src/internal/http/params.ts", "packages/core/src/internal/http/request.ts"]
  },
  {
    name: "response",
    files: ["packages/core/src/internal/http/response.ts", "packages/core/src/internal/http/lookup.ts"]
  },
  { name: "config", files: ["packages/core/src/PostpressConfig.ts", "packages/core/src/internal/schema.ts"] },
  { name: "decode", files: ["packages/core/src/internal/decode/compile.ts"] },
  { name: "node", files: ["packages/node/src/internal/transport.ts"] }
]
