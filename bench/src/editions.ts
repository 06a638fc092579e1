/**
 * The two editions of the SDK as the bench runs them: each built (its own
 * build script), bundled by esbuild from what it ships (the Effect 3 edition's
 * `packages/{core,node}/build/esm`, annotated as its tarballs are; the Effect 4
 * edition's `effect4/packages/{core,node}/dist`), and run on plain `node`:
 *
 *   - Node 24 (the Effect 4 workspace's `node`, `effect4/node_modules/node`):
 *     the side-by-side run: both editions and every contender;
 *   - the machine's Node (Node 20 here and in CI; the `node` running this
 *     harness): the Effect 3 edition and the contenders again, for continuity
 *     with the Effect 3 edition's committed results. The Effect 4 edition
 *     needs Node >= 22.19 and does not run there.
 *
 * Also the bundle-size benchmark: a minimal app that retrieves one chat, per
 * edition, through the fetch layer and through `NodePostpress.layer`, bundled
 * with `esbuild --bundle --minify`.
 */
import * as Esbuild from "esbuild"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as Zlib from "node:zlib"

const here = Path.dirname(fileURLToPath(import.meta.url))
export const root = Path.resolve(here, "../..")

export type EditionId = "effect4" | "effect3"

/** One edition: where its packages are built to, how to build them, its measuring process and minimal apps. */
export interface Edition {
  readonly id: EditionId
  readonly label: string
  /** The built module of `@postpress/<pkg>/<sub>` (`index` for the package itself). */
  readonly built: (pkg: string, sub: string) => string
  /** Builds the edition's packages (as its release does): commands run in turn at the root. */
  readonly build: ReadonlyArray<ReadonlyArray<string>>
  /** Its measuring process (clients/driver.ts with its SDK). */
  readonly client: string
  /** The bundle-size benchmark's minimal apps. */
  readonly apps: { readonly fetch: string; readonly node: string }
  /**
   * Apps that build up to the fetch app one part at a time (each a step's
   * label and its file), for the bundle-size benchmark to say where the fetch
   * app's bytes go.
   */
  readonly fetchSteps?: ReadonlyArray<{ readonly label: string; readonly file: string }>
}

/** pnpm: the one running `pnpm bench` (it names itself in npm_execpath), or npx's. */
const pnpm = process.env.npm_execpath !== undefined && /pnpm/.test(Path.basename(process.env.npm_execpath))
  ? [process.execPath, process.env.npm_execpath]
  : ["npx", "-y", "pnpm@10.34.9"]

export const editions: Record<EditionId, Edition> = {
  effect4: {
    id: "effect4",
    label: "Effect 4",
    built: (pkg, sub) => Path.join(root, "effect4/packages", pkg, "dist", `${sub}.js`),
    build: [["node", "scripts/effect4.mjs", "run", "build"]],
    client: Path.join(root, "effect4/bench/src/effect4.ts"),
    apps: {
      fetch: Path.join(root, "effect4/bench/src/size/fetch.ts"),
      node: Path.join(root, "effect4/bench/src/size/node.ts")
    },
    fetchSteps: [
      ["Effect's runtime, running one effect", "1-runtime"],
      ["+ effect/Schema and HttpClient through fetch: one struct fetched and decoded", "2-schema-http"],
      ["+ Schema's JIT compiler, the struct decoded by compiled code", "3-jit"],
      ["+ the models: Chat, ChatAttendee, Message (with attachments, reactions) as schemas", "4-models"],
      ["+ the contract: PostpressApi's endpoints, params, pages, error envelopes, PostpressError", "5-contract"]
    ].map(([label, name]) => ({ label: label!, file: Path.join(root, `effect4/bench/src/size/steps/${name}.ts`) }))
  },
  effect3: {
    id: "effect3",
    label: "Effect 3",
    // build/esm is what the tarball's dist/esm is a copy of (tsc, then annotate-pure-calls)
    built: (pkg, sub) => Path.join(root, "packages", pkg, "build/esm", `${sub}.js`),
    build: ["build-esm", "build-annotate"].map((script) => [
      ...pnpm,
      "--filter",
      "@postpress/core",
      "--filter",
      "@postpress/node",
      "run",
      script
    ]),
    client: Path.join(here, "clients/effect3.ts"),
    apps: { fetch: Path.join(here, "size/effect3-fetch.ts"), node: Path.join(here, "size/effect3-node.ts") }
  }
}

/** Builds both editions' packages (incremental tsc; the Effect 3 edition's annotation pass too). */
export const buildEditions = (log: (line: string) => void): void => {
  for (const edition of Object.values(editions)) {
    const start = performance.now()
    for (const [command, ...args] of edition.build) {
      const result = ChildProcess.spawnSync(command!, args, { cwd: root, stdio: ["ignore", "ignore", "inherit"] })
      if (result.status !== 0) {
        throw new Error(`building the ${edition.label} edition failed (${[command, ...args].join(" ")})`)
      }
    }
    log(`built the ${edition.label} edition (${Math.round(performance.now() - start)} ms)`)
  }
}

/** Resolves `@postpress/core` and `@postpress/node` (and their subpaths) to an edition's built modules. */
const builtPackages = (edition: Edition): Esbuild.Plugin => ({
  name: `postpress-${edition.id}-built`,
  setup(build) {
    build.onResolve({ filter: /^@postpress\/(?:core|node)(?:\/.*)?$/ }, ({ path }) => {
      const [, pkg, sub] = /^@postpress\/(core|node)(?:\/(.*))?$/.exec(path)!
      const file = edition.built(pkg!, sub ?? "index")
      if (!Fs.existsSync(file)) {
        return { errors: [{ text: `${path}: ${file} is not built (run the bench without --no-build)` }] }
      }
      return { path: file }
    })
  }
})

/** The Node lines a run measures on: `node24` (the Effect 4 workspace's), `node20` (the machine's). */
export type Line = "node24" | "node20"

/** The `node` binary of a line, and its version. */
export const nodeOf = (line: Line): { readonly path: string; readonly version: string } => {
  const known = nodes.get(line)
  if (known !== undefined) return known
  const path = line === "node20"
    ? process.execPath
    : [Path.join(root, "effect4/node_modules/node/bin/node"), Path.join(root, "effect4/node_modules/.bin/node")]
      .find((file) => Fs.existsSync(file))
  if (path === undefined) throw new Error("effect4/node_modules has no node: install the Effect 4 workspace")
  const version = ChildProcess.execFileSync(path, ["--version"], { encoding: "utf8" }).trim()
  nodes.set(line, { path, version })
  return { path, version }
}
const nodes = new Map<Line, { readonly path: string; readonly version: string }>()

/** The editions each line runs: the Effect 4 edition needs Node >= 22.19. */
export const editionsOn = (line: Line): ReadonlyArray<EditionId> =>
  line === "node24" ? ["effect4", "effect3"] : ["effect3"]

/**
 * Bundles a measuring process as an application ships: esbuild compiles and
 * tree-shakes it with the SDK as built, so it runs on plain Node. (Run through
 * the tsx loader instead, the loader alone adds about 100 MB of RSS.)
 */
export const bundleProcess = async (
  entry: string,
  name: string,
  edition?: Edition
): Promise<string> => {
  const outfile = Path.join(root, `bench/dist/${name}.mjs`)
  await Esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    // the oldest line it runs on
    target: "node20",
    logLevel: "warning",
    plugins: edition === undefined ? [] : [builtPackages(edition)],
    // undici is CommonJS and requires Node built-ins at run time
    banner: { js: `import { createRequire } from "node:module"; const require = createRequire(import.meta.url);` }
  })
  return outfile
}

/** One minimal app's bundle: raw and gzipped bytes (`gzip -9`). */
export interface BundleSize {
  readonly bytes: number
  readonly gzipBytes: number
}
export type SizeResults = Partial<Record<EditionId, { readonly fetch: BundleSize; readonly node: BundleSize }>>
/** An edition's fetch steps (`Edition.fetchSteps`), each with its bundle's size. */
export type SizeSteps = Partial<Record<EditionId, ReadonlyArray<BundleSize & { readonly label: string }>>>

const bundleSize = async (
  edition: Edition,
  entry: string,
  platform: "browser" | "node",
  what: string
): Promise<BundleSize> => {
  const { outputFiles } = await Esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform,
    format: "esm",
    write: false,
    logLevel: "warning",
    plugins: [builtPackages(edition)]
  })
  const bytes = outputFiles[0]!.contents
  const text = Buffer.from(bytes).toString("utf8")
  // strings only the simulator holds: its default key, its fault header, its dataset's words
  if (/pp_test_simulator|x-postpress-simulator-fault|postpress\.simulator/.test(text)) {
    throw new Error(`the ${edition.label} ${what}'s bundle holds simulator code`)
  }
  return { bytes: bytes.length, gzipBytes: Zlib.gzipSync(bytes, { level: 9 }).length }
}

/**
 * The bundle-size benchmark: each edition's minimal app (retrieve one chat,
 * print its name) through `PostpressClient.layerFetch` (bundled for the
 * browser, as a fetch runtime takes it) and through `NodePostpress.layer`
 * (for Node), `esbuild --bundle --minify`, from the edition as built. A bundle
 * holding simulator code fails the benchmark.
 */
export const bundleSizes = async (): Promise<SizeResults> => {
  const results: SizeResults = {}
  for (const edition of Object.values(editions)) {
    results[edition.id] = {
      fetch: await bundleSize(edition, edition.apps.fetch, "browser", "minimal app (fetch)"),
      node: await bundleSize(edition, edition.apps.node, "node", "minimal app (node)")
    }
  }
  return results
}

/** Each edition's fetch steps (`Edition.fetchSteps`) bundled as the fetch app is, for the browser. */
export const bundleSteps = async (): Promise<SizeSteps> => {
  const results: Record<string, ReadonlyArray<BundleSize & { readonly label: string }>> = {}
  for (const edition of Object.values(editions)) {
    if (edition.fetchSteps === undefined) continue
    const steps: Array<BundleSize & { readonly label: string }> = []
    for (const { file, label } of edition.fetchSteps) {
      steps.push({ label, ...await bundleSize(edition, file, "browser", `size step ${label}`) })
    }
    results[edition.id] = steps
  }
  return results
}
