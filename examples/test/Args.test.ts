import { assert, describe, it } from "@effect/vitest"
import * as Args from "../src/Args.js"

const options = {
  out: { type: "string", default: "out/export.ndjson" },
  concurrency: { type: "string", default: "4" }
} as const

describe("Args", () => {
  it("skips the standalone -- that pnpm passes on from `pnpm run <script> -- <options>`", () => {
    assert.deepStrictEqual(Args.parse(options, ["--", "--out", "x.ndjson"]), { out: "x.ndjson", concurrency: "4" })
    assert.deepStrictEqual(Args.parse(options, ["--out", "x.ndjson", "--", "--concurrency", "2"]), {
      out: "x.ndjson",
      concurrency: "2"
    })
  })

  it("reads options without --, and gives the defaults", () => {
    assert.deepStrictEqual(Args.parse(options, ["--concurrency=8"]), { out: "out/export.ndjson", concurrency: "8" })
    assert.deepStrictEqual(Args.parse(options, []), { out: "out/export.ndjson", concurrency: "4" })
  })

  it("still rejects unknown options and positional arguments", () => {
    assert.throws(() => Args.parse(options, ["--", "--nope"]), /--nope/)
    assert.throws(() => Args.parse(options, ["extra"]), /extra/)
  })
})
