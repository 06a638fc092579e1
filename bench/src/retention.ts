/**
 * R (retention): a reproducer for the SDK's "Node 20 GC" workarounds. Their
 * comments say that on Node 20 a value handed through an effectful stream
 * stage, a `Queue`, a fiber's exit or a span's exit stays reachable for
 * young-generation (scavenge) collections until the next full one, so every
 * page since the last full collection is promoted to the old space:
 *
 *   - packages/core/src/internal/stream/pagination.ts, the doc of `pages` (a plain array and value-less
 *     signals instead of `Queue`s, `Deferred`s, `Stream.buffer` or `Stream.mapEffect`);
 *   - packages/core/src/internal/http/request.ts, `withRequestSpan` (the span ends with `Exit.void`);
 *   - packages/core/src/internal/http/policy.ts, `liveTimeoutFail` (the child fiber hands its result over
 *     through a cell and ends with void).
 *
 * The probe, per case and repetition: a full `gc()`, the old space's used
 * size, 20 pages through the code under test (each page `JSON.parse`d afresh
 * from the same ~250 KB body of 250 simulator messages, so each is a new
 * young object graph), two `gc({ type: "minor" })`, the old space's used size
 * again. Code that holds nothing promotes about the page in hand; code that
 * keeps pages alive across scavenges promotes about every page. Cases
 * alternate within each repetition; the median is reported, with the spread.
 *
 *   node --expose-gc dist/retention.mjs [repetitions]   (bundled by run.ts; prints JSON on its last line)
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { PostpressClient, PostpressConfig, PostpressRetry } from "@postpress/core"
import { PostpressSimulator } from "@postpress/simulator"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"
import * as V8 from "node:v8"

/** Pages per probe. */
export const PAGES = 20

/** One case's figures: old-space growth per probe of {@link PAGES} pages, in MB (10⁶ bytes). */
export interface RetentionCase {
  readonly id: string
  readonly label: string
  readonly medianMB: number
  readonly minMB: number
  readonly maxMB: number
  /** The median growth once a full GC has run after the minor ones: what the case really still holds. */
  readonly afterFullGcMB: number
  readonly runsMB: ReadonlyArray<number>
}

/** A workaround's claim, and whether the probe reproduces it. */
export interface RetentionClaim {
  readonly where: string
  readonly claimed: string
  /** The cases that should retain (≥ 5× the baseline, ≥ half the pages' worth). */
  readonly retaining: ReadonlyArray<string>
  /** The cases that should stay close to the baseline (within a quarter of the pages' worth). */
  readonly avoiding: ReadonlyArray<string>
  readonly reproduced: boolean
}

export interface RetentionResults {
  readonly date: string
  readonly node: string
  readonly pages: number
  readonly pageBytes: number
  /** One parsed page, promoted to the old space, in MB. */
  readonly pageMB: number
  readonly repetitions: number
  readonly cases: ReadonlyArray<RetentionCase>
  readonly claims: ReadonlyArray<RetentionClaim>
}

// -----------------------------------------------------------------------------
// the page
// -----------------------------------------------------------------------------

/** The body of a page of 250 messages, as the simulator serves it (its trailing cursor cut off). */
const pageBody = (): Promise<string> =>
  Effect.runPromise(
    Effect.gen(function*() {
      const simulator = yield* PostpressSimulator.PostpressSimulator
      const client = yield* HttpClient.HttpClient
      const response = yield* client.get(
        `${PostpressSimulator.inProcessBaseUrl}/chats/${simulator.dataset.chatId(0)}/messages?limit=250`,
        { headers: { "X-API-KEY": simulator.apiKey } }
      )
      return yield* response.text
    }).pipe(
      Effect.scoped,
      Effect.provide(PostpressSimulator.layerHttpClient({ seed: 1, chats: 1, messagesPerChat: 1_000 }))
    )
  )

/** `…,"cursor":` and the rest, cut off so that the stub can end each page with its own cursor. */
const withoutCursor = (body: string) => {
  const at = body.lastIndexOf(`,"cursor":`)
  if (at < 0 || !body.endsWith("}")) throw new Error("the page does not end with its cursor")
  return body.slice(0, at)
}

// -----------------------------------------------------------------------------
// the cases
// -----------------------------------------------------------------------------

let sink = 0
/** What every case does with a page: reads it, keeps nothing. */
const consume = (page: { readonly items: ReadonlyArray<unknown> }) => {
  sink += page.items.length
}
/** A network wait: the next turn of the event loop. */
const tick = Effect.async<void>((resume) => {
  const immediate = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(immediate))
})
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** `withRequestSpan` of packages/core/src/internal/http/request.ts, reimplemented: the span ends with `Exit.void`. */
const withVoidSpan = <A, E>(self: Effect.Effect<A, E>, name: string): Effect.Effect<A, E> =>
  Effect.suspend(() => {
    let result: A | undefined
    return Effect.useSpan(name, (span: Tracer.Span) =>
      Effect.map(Effect.withParentSpan(self, span), (a) => {
        result = a
      })).pipe(Effect.map(() => {
        const a = result as A
        result = undefined
        return a
      }))
  })

/** A child fiber that waits, then ends with its result, joined (the shape `liveTimeoutFail` avoids). */
const viaFiberExit = <A>(self: Effect.Effect<A>): Effect.Effect<A> => Effect.flatMap(Effect.fork(self), Fiber.join)

/** `liveTimeoutFail`'s shape: the child hands its result over through a cell and ends with void. */
const viaCell = <A>(self: Effect.Effect<A>): Effect.Effect<A> =>
  Effect.suspend(() => {
    let result: Exit.Exit<A> | undefined
    return Effect.flatMap(
      Effect.fork(Effect.asVoid(Effect.onExit(self, (exit) => Effect.sync(() => (result = exit))))),
      (fiber) =>
        Effect.flatMap(Fiber.await(fiber), (ended) => {
          const exit = result ?? (ended as Exit.Exit<never>)
          result = undefined
          return exit
        })
    )
  })

/** Runs `fetch` {@link PAGES} times in sequence, consuming each page. */
const loop = (fetch: Effect.Effect<{ readonly items: ReadonlyArray<unknown> }>) =>
  Effect.suspend(() => {
    let left = PAGES
    const next: Effect.Effect<void> = Effect.suspend(() =>
      left-- === 0 ? Effect.void : Effect.flatMap(fetch, (page) => {
        consume(page)
        return next
      })
    )
    return next
  })

/** The SDK over an in-process stub `HttpClient` serving the page, with cursors `1` … `PAGES - 1`, then `null`. */
const sdk = (body: string) => {
  const head = withoutCursor(body)
  const httpClient = HttpClient.make((request, url) =>
    Effect.sync(() => {
      const cursor = Number(url.searchParams.get("cursor") ?? "0")
      const text = `${head},"cursor":${cursor + 1 < PAGES ? JSON.stringify(String(cursor + 1)) : "null"}}`
      return HttpClientResponse.fromWeb(
        request,
        new Response(text, { status: 200, headers: { "content-type": "application/json" } })
      )
    })
  )
  const layer = PostpressClient.layer.pipe(
    Layer.provide(PostpressConfig.layer({
      apiKey: Redacted.make("pp_test_retention"),
      baseUrl: "https://api.test.postpress.ai/api/v1",
      streamRetryPolicy: PostpressRetry.noRetries
    })),
    Layer.provide(Layer.succeed(HttpClient.HttpClient, httpClient))
  )
  return ManagedRuntime.make(layer)
}

interface Case {
  readonly id: string
  readonly label: string
  readonly run: () => Promise<unknown>
}

type Paged = { readonly items: ReadonlyArray<unknown> }

/** Drains a stream through `Stream.toPull`, consuming each page: no `Stream.run*` sink. */
const drain = <E, R>(stream: Stream.Stream<Paged, E, R>) =>
  Effect.scoped(Effect.flatMap(Stream.toPull(stream), (pull) => {
    const next: Effect.Effect<void, never, R> = Effect.matchEffect(pull, {
      onFailure: () => Effect.void,
      onSuccess: (chunk) => {
        for (const page of chunk) consume(page)
        return next
      }
    })
    return next
  }))

const consumeChunk = (chunk: Iterable<Paged>) =>
  Effect.sync(() => {
    for (const page of chunk) consume(page)
  })

const casesOf = (body: string, client: ReturnType<typeof sdk>): ReadonlyArray<Case> => {
  const parse = (): Paged => JSON.parse(body)
  const fetchSync = Effect.sync(parse)
  /** A request: a network wait, then the page. */
  const fetchAsync = Effect.zipRight(tick, fetchSync)
  const source = Stream.take(Stream.repeatEffect(fetchSync), PAGES)
  const sdkPages = Stream.unwrap(
    Effect.map(
      PostpressClient.PostpressClient,
      (service) => service.chats.messages.pages("chat_retention", { limit: 250, prefetch: 1 })
    )
  )
  return [
    {
      id: "baseline",
      label: "baseline: a plain async loop holding nothing",
      run: async () => {
        for (let i = 0; i < PAGES; i++) {
          consume(parse())
          await nextTurn()
        }
      }
    },
    {
      id: "effectLoop",
      label: "control: an Effect loop of requests (a network wait, then the page), no stream",
      run: () => Effect.runPromise(loop(fetchAsync))
    },
    {
      id: "toPull",
      label: "control: `Stream.repeatEffect(Effect.sync(page))`, drained by `Stream.toPull`",
      run: () => Effect.runPromise(drain(source))
    },
    {
      id: "runForEach",
      label: "`Stream.repeatEffect(Effect.sync(page))` → `Stream.runForEach`",
      run: () => Effect.runPromise(Stream.runForEach(source, (page) => Effect.sync(() => consume(page))))
    },
    {
      id: "runForEachChunk",
      label: "`Stream.repeatEffect(Effect.sync(page))` → `Stream.runForEachChunk`",
      run: () => Effect.runPromise(Stream.runForEachChunk(source, consumeChunk))
    },
    {
      id: "mapEffect",
      label: "`Stream.mapEffect` (request per element), drained by `Stream.toPull`",
      run: () => Effect.runPromise(drain(Stream.mapEffect(Stream.range(1, PAGES), () => fetchAsync)))
    },
    {
      id: "buffer",
      label: "`Stream.buffer({ capacity: 1 })` over requests, drained by `Stream.toPull`",
      run: () =>
        Effect.runPromise(drain(Stream.buffer(Stream.take(Stream.repeatEffect(fetchAsync), PAGES), { capacity: 1 })))
    },
    {
      id: "queue",
      label: "`Queue.bounded(1)`: a producer fiber offers (after a network wait), the consumer takes",
      run: () =>
        Effect.runPromise(Effect.scoped(Effect.gen(function*() {
          const queue = yield* Queue.bounded<Paged>(1)
          yield* Effect.forkScoped(loop(Effect.tap(fetchAsync, (page) => Queue.offer(queue, page))))
          yield* loop(Queue.take(queue))
        })))
    },
    {
      id: "spanExit",
      label: "`Effect.withSpan` around a request: the span ends with the page",
      run: () => Effect.runPromise(loop(Effect.withSpan(fetchAsync, "page")))
    },
    {
      id: "spanVoid",
      label: "`withRequestSpan`'s shape: `Effect.useSpan`, the span ends with `Exit.void`",
      run: () => Effect.runPromise(loop(withVoidSpan(fetchAsync, "page")))
    },
    {
      id: "fiberExit",
      label: "a forked fiber runs the request and ends with the page; joined",
      run: () => Effect.runPromise(loop(viaFiberExit(fetchAsync)))
    },
    {
      id: "fiberCell",
      label: "`liveTimeoutFail`'s shape: the fiber hands the page over through a cell and ends with void",
      run: () => Effect.runPromise(loop(viaCell(fetchAsync)))
    },
    {
      id: "sdk",
      label: "SDK: `client.chats.messages.pages` (prefetch 1, stub `HttpClient`), drained by `Stream.toPull`",
      run: () => client.runPromise(drain(sdkPages))
    },
    {
      id: "sdkRunForEachChunk",
      label: "SDK: the same pages → `Stream.runForEachChunk`",
      run: () => client.runPromise(Stream.runForEachChunk(sdkPages, consumeChunk))
    },
    {
      id: "sdkRunForEach",
      label: "SDK: the same pages → `Stream.runForEach`",
      run: () => client.runPromise(Stream.runForEach(sdkPages, (page) => Effect.sync(() => consume(page))))
    }
  ]
}

// -----------------------------------------------------------------------------
// the probe
// -----------------------------------------------------------------------------

const gc = (globalThis as { gc?: (options?: { type: "major" | "minor" }) => void }).gc
const oldSpaceUsed = () =>
  V8.getHeapSpaceStatistics().find((space) => space.space_name === "old_space")!.space_used_size

/**
 * Old-space growth over one run of `run`, in bytes: after two minor
 * collections, and after a full one besides (what is truly still reachable).
 */
const probe = async (run: () => Promise<unknown>): Promise<readonly [number, number]> => {
  gc!()
  gc!()
  const before = oldSpaceUsed()
  await run()
  gc!({ type: "minor" })
  gc!({ type: "minor" })
  const afterMinor = oldSpaceUsed()
  gc!()
  return [afterMinor - before, oldSpaceUsed() - before]
}

/** What one page takes in the old space once promoted: a page kept in a variable through two minor collections. */
const onePage = (parse: () => Paged): number => {
  gc!()
  gc!()
  const before = oldSpaceUsed()
  let kept: Paged | undefined = parse()
  gc!({ type: "minor" })
  gc!({ type: "minor" })
  const size = oldSpaceUsed() - before
  consume(kept)
  kept = undefined
  return size
}

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
const mb = (bytes: number) => Math.round(bytes / 1e4) / 100

export const measure = async (repetitions: number): Promise<RetentionResults> => {
  if (gc === undefined) throw new Error("run with node --expose-gc")
  const body = await pageBody()
  const client = sdk(body)
  const cases = casesOf(body, client)
  // warm-up: every case once, so that compiling and first-time allocations are not counted
  for (const c of cases) await c.run()
  const pageSizes: Array<number> = []
  const runs = new Map(cases.map((c) => [c.id, { minor: [] as Array<number>, full: [] as Array<number> }]))
  for (let repetition = 0; repetition < repetitions; repetition++) {
    pageSizes.push(onePage(() => JSON.parse(body)))
    const order = repetition % 2 === 0 ? cases : [...cases].reverse()
    for (const c of order) {
      const [minor, full] = await probe(c.run)
      runs.get(c.id)!.minor.push(minor)
      runs.get(c.id)!.full.push(full)
    }
  }
  await client.dispose()
  const measured = cases.map(({ id, label }): RetentionCase => {
    const { full, minor } = runs.get(id)!
    return {
      id,
      label,
      medianMB: mb(median(minor)),
      minMB: mb(Math.min(...minor)),
      maxMB: mb(Math.max(...minor)),
      afterFullGcMB: mb(median(full)),
      runsMB: minor.map(mb)
    }
  })
  const pageMB = mb(median(pageSizes))
  return {
    date: new Date().toISOString(),
    node: process.version,
    pages: PAGES,
    pageBytes: Buffer.byteLength(body),
    pageMB,
    repetitions,
    cases: measured,
    claims: judge(measured, pageMB)
  }
}

// -----------------------------------------------------------------------------
// the claims
// -----------------------------------------------------------------------------

/**
 * Each workaround's claim, judged: its retaining shape retains (≥ 5× the
 * baseline and at least half the pages' worth) and the shape the SDK uses, or
 * the SDK's own path, stays close to the baseline (within a quarter of the
 * pages' worth: the SDK holds up to prefetch + 2 pages by design).
 */
const judge = (cases: ReadonlyArray<RetentionCase>, pageMB: number): ReadonlyArray<RetentionClaim> => {
  const of = (id: string) => cases.find((c) => c.id === id)!.medianMB
  const baseline = of("baseline")
  // retaining code keeps about every page (20 pages' worth), clean code the page in hand: the lines between sit
  // far from both modes (the SDK holds up to prefetch + 2 pages at once by design, prefetch 1 here)
  const retains = (id: string) => of(id) >= 5 * baseline && of(id) >= (PAGES / 2) * pageMB
  const clean = (id: string) => of(id) <= baseline + (PAGES / 4) * pageMB
  const claim = (
    where: string,
    claimed: string,
    retaining: ReadonlyArray<string>,
    avoiding: ReadonlyArray<string>
  ) => ({
    where,
    claimed,
    retaining,
    avoiding,
    reproduced: retaining.every(retains) && avoiding.every(clean)
  })
  const pagination = "core/src/internal/stream/pagination.ts, `pages`"
  return [
    claim(pagination, "a page handed through a `Queue` stays reachable; the plain array does not", ["queue"], ["sdk"]),
    claim(pagination, "a page handed through `Stream.mapEffect` stays reachable", ["mapEffect"], []),
    claim(pagination, "a page handed through `Stream.buffer` stays reachable", ["buffer"], []),
    claim(
      "core/src/internal/http/request.ts, `withRequestSpan`",
      "a span keeps its exit: one ending with the page keeps it, one ending with `Exit.void` does not",
      ["spanExit"],
      ["spanVoid", "sdk"]
    ),
    claim(
      "core/src/internal/http/policy.ts, `liveTimeoutFail`",
      "a fiber that waited keeps its exit: a child ending with the page keeps it, one ending with void does not",
      ["fiberExit"],
      ["fiberCell", "sdk"]
    )
  ]
}

/** The results as Markdown: the cases, then the claims. */
export const retentionMarkdown = (r: RetentionResults): string => {
  const baseline = r.cases.find((c) => c.id === "baseline")!.medianMB
  const ratio = (value: number) => baseline > 0 ? `${(value / baseline).toFixed(0)}×` : "–"
  return [
    `R retention (${r.date.slice(0, 10)}, Node ${r.node}): old-space growth after ${r.pages} pages (${
      Math.round(r.pageBytes / 1000)
    } KB of JSON, ${r.pageMB} MB once promoted) and two minor GCs, in MB; median of ${r.repetitions} (min–max)`,
    "",
    "| case | MB / " + r.pages + " pages | min–max | × baseline | pages' worth | after a full GC |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...r.cases.map((c) =>
      `| ${c.label} | ${c.medianMB.toFixed(2)} | ${c.minMB.toFixed(2)}–${c.maxMB.toFixed(2)} | ${ratio(c.medianMB)} | ${
        r.pageMB > 0 ? (c.medianMB / r.pageMB).toFixed(1) : "–"
      } | ${c.afterFullGcMB.toFixed(2)} |`
    ),
    "",
    "| workaround | claim | retaining / avoiding cases | reproduced |",
    "| --- | --- | --- | --- |",
    ...r.claims.map((c) =>
      `| ${c.where} | ${c.claimed} | ${c.retaining.join(", ")} / ${c.avoiding.join(", ") || "–"} | ${
        c.reproduced ? "yes" : "NO: no reproducer"
      } |`
    )
  ].join("\n")
}

if (process.argv[1] !== undefined && /retention\.(mjs|ts)$/.test(process.argv[1])) {
  measure(Number(process.argv[2] ?? 7)).then(
    (results) => {
      console.log(JSON.stringify(results))
      if (sink < 0) console.error(sink)
    },
    (error) => {
      console.error(error)
      process.exit(1)
    }
  )
}
