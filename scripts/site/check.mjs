// Checks the built documentation site (site/.vitepress/dist, from `pnpm docs:build`)
// in a real browser: Debian's chromium-headless-shell (installed with apt-get when
// the binary is missing, as scripts/runtimes/run.sh does) driven by playwright-core.
// The site is served by a small static server under its base path (DOCS_BASE, as
// the build had it; default "/"). For every page of the build:
//   - it renders its main heading (a visible, non-empty h1);
//   - it logs no console error and throws no uncaught exception, and none of its
//     own requests fails (4xx/5xx or a network error);
//   - every internal link and anchor on it resolves: to a file of the build and,
//     when it has a #fragment, to an element with that id on the target page (as
//     rendered in the browser).
// Then the local search, driven through its UI, finds each known term's page, and
// the landing page's screenshot is written to site/.vitepress/dist/screenshot.png.
// Prints one line per check and ends with `docs check: N passed, M failed`; exits
// non-zero on any failure.
/* global document -- used in the page, by the functions given to tab.evaluate */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as http from "node:http"
import { createRequire } from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")
const dist = path.join(repo, "site", ".vitepress", "dist")
const base = (process.env.DOCS_BASE ?? "/").replace(/\/?$/, "/")
const started = Date.now()

// terms the local search must find, and the page each must list
const searches = [
  { term: "RepeatedCursor", page: "guide/streaming.html" },
  { term: "withCache", page: "guide/caching.html" },
  { term: "faultMix", page: "guide/simulator.html" }
]

let passed = 0
let failed = 0
const ok = (what) => {
  passed++
  console.log(`ok - ${what}`)
}
const notOk = (what, why) => {
  failed++
  console.log(`not ok - ${what}: ${why}`)
}

if (!fs.existsSync(path.join(dist, "index.html"))) {
  console.log("site/.vitepress/dist/index.html is missing: run pnpm docs:build first")
  console.log("docs check: 0 passed, 1 failed")
  process.exit(1)
}

// --- the browser ---------------------------------------------------------------------------
const chromiumBin = () => {
  // Debian's /usr/bin entry is a shell wrapper around the binary
  if (fs.existsSync("/usr/lib/chromium/chromium-headless-shell")) return "/usr/lib/chromium/chromium-headless-shell"
  try {
    return execFileSync("sh", ["-c", "command -v chromium-headless-shell"], { encoding: "utf8" }).trim() || null
  } catch {
    return null
  }
}
let executablePath = chromiumBin()
if (executablePath === null) {
  console.log("installing chromium-headless-shell with apt-get")
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"]
  const apt = (args) =>
    execFileSync(sudo.length > 0 ? "sudo" : "apt-get", [...(sudo.length > 0 ? ["apt-get"] : []), ...args], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
    })
  try {
    apt(["update", "-qq"])
    apt(["install", "-y", "-qq", "--no-install-recommends", "chromium-headless-shell"])
  } catch {
    console.log("apt-get install chromium-headless-shell failed")
  }
  executablePath = chromiumBin()
}
if (executablePath === null) {
  notOk("chromium-headless-shell", "not installed, and apt-get could not install it")
  console.log(`docs check: ${passed} passed, ${failed} failed`)
  process.exit(1)
}
const { chromium } = createRequire(path.join(repo, "site", "package.json"))("playwright-core")

// --- the static server ---------------------------------------------------------------------
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8"
}
/** The file of the build a URL path names (as a static host would serve it), or null. */
const fileFor = (pathname) => {
  if (!pathname.startsWith(base)) return null
  let relative
  try {
    relative = decodeURIComponent(pathname.slice(base.length))
  } catch {
    return null
  }
  const file = path.join(dist, relative)
  if (!file.startsWith(dist)) return null
  for (const candidate of [file, path.join(file, "index.html")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate
  }
  return null
}
const server = http.createServer((request, response) => {
  const { pathname } = new URL(request.url, "http://localhost")
  const file = fileFor(pathname)
  if (file === null) {
    response.writeHead(404, { "content-type": "text/html; charset=utf-8" })
    response.end(fs.readFileSync(path.join(dist, "404.html")))
    return
  }
  response.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" })
  response.end(fs.readFileSync(file))
})
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve))
const origin = `http://127.0.0.1:${server.address().port}`

// --- every page of the build ---------------------------------------------------------------
const pages = []
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(full)
    else if (entry.name.endsWith(".html") && full !== path.join(dist, "404.html")) {
      pages.push(path.relative(dist, full).split(path.sep).join("/"))
    }
  }
}
walk(dist)
pages.sort((a, b) => (a === "index.html" ? -1 : b === "index.html" ? 1 : a.localeCompare(b)))

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"], timeout: 60_000 })
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
const idsByFile = new Map() // file of the build -> the ids its rendered page holds
const links = [] // { from, href, url }

try {
  for (const page of pages) {
    const url = `${origin}${base}${page}`
    const tab = await context.newPage()
    const problems = []
    tab.on("console", (message) => {
      if (message.type() === "error") problems.push(`console error: ${message.text()}`)
    })
    tab.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`))
    tab.on("requestfailed", (request) => {
      if (request.url().startsWith(origin)) problems.push(`request failed: ${request.url()}`)
    })
    tab.on("response", (response) => {
      if (response.url().startsWith(origin) && response.status() >= 400) {
        problems.push(`HTTP ${response.status()}: ${response.url()}`)
      }
    })
    try {
      const response = await tab.goto(url, { waitUntil: "networkidle", timeout: 30_000 })
      if (!response || response.status() !== 200) problems.push(`HTTP ${response?.status()} for the page`)
      // the app has hydrated when VitePress's router has rendered the content
      await tab.waitForSelector("#app .VPContent", { timeout: 15_000 })
      const h1 = tab.locator("h1").first()
      const heading = (await h1.count()) > 0 && (await h1.isVisible()) ? (await h1.innerText()).trim() : ""
      if (heading === "") problems.push("no visible main heading (h1)")
      const found = await tab.evaluate(() => ({
        ids: [...document.querySelectorAll("[id]")].map((element) => element.id),
        hrefs: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href"))
      }))
      idsByFile.set(fileFor(new URL(url).pathname), new Set(found.ids))
      for (const href of new Set(found.hrefs)) {
        const target = new URL(href, url)
        if (target.origin === origin) links.push({ from: page, href, url: target })
      }
      if (problems.length === 0) ok(`${page}: "${heading.split("\n")[0]}"`)
      else notOk(page, problems.join("; "))
    } catch (error) {
      notOk(page, [...problems, String(error.message ?? error).split("\n")[0]].join("; "))
    } finally {
      await tab.close()
    }
  }

  // --- internal links and anchors ----------------------------------------------------------
  const broken = new Map() // page -> problems
  for (const { from, href, url } of links) {
    const file = fileFor(url.pathname)
    let problem = null
    if (file === null) problem = `${href}: no such file`
    else if (url.hash.length > 1) {
      const id = decodeURIComponent(url.hash.slice(1))
      const ids = idsByFile.get(file)
      if (ids === undefined) problem = `${href}: the anchor's page was not loaded`
      else if (!ids.has(id)) problem = `${href}: no element with id "${id}"`
    }
    if (problem !== null) broken.set(from, [...(broken.get(from) ?? []), problem])
  }
  const anchors = links.filter((link) => link.url.hash.length > 1).length
  if (broken.size === 0) {
    ok(`${links.length} internal links (${anchors} with an anchor) on ${pages.length} pages resolve`)
  }
  for (const [from, problems] of broken) notOk(`links on ${from}`, problems.join("; "))

  // --- search ------------------------------------------------------------------------------
  for (const { page: expected, term } of searches) {
    const tab = await context.newPage()
    const what = `search "${term}" lists ${expected}`
    try {
      await tab.goto(`${origin}${base}`, { waitUntil: "networkidle" })
      await tab.click(".VPNavBarSearch .DocSearch-Button")
      const input = tab.locator("#localsearch-input")
      await input.waitFor({ state: "visible", timeout: 10_000 })
      await input.fill(term)
      const wanted = `${base}${expected}`
      await tab.waitForFunction(
        (href) =>
          [...document.querySelectorAll(".VPLocalSearchBox a.result")].some((a) => new URL(a.href).pathname === href),
        wanted,
        { timeout: 10_000 }
      ).then(
        () => ok(what),
        async () => {
          const got = await tab.$$eval(".VPLocalSearchBox a.result", (as) => as.map((a) => new URL(a.href).pathname))
          notOk(what, `results: ${got.slice(0, 5).join(", ") || "none"}`)
        }
      )
    } catch (error) {
      notOk(what, String(error.message ?? error).split("\n")[0])
    } finally {
      await tab.close()
    }
  }

  // --- the landing page's screenshot -------------------------------------------------------
  {
    const tab = await context.newPage()
    await tab.goto(`${origin}${base}`, { waitUntil: "networkidle" })
    const file = path.join(dist, "screenshot.png")
    await tab.screenshot({ path: file, fullPage: true })
    const size = fs.statSync(file).size
    if (size > 10_000) {
      ok(`landing page screenshot: site/.vitepress/dist/screenshot.png (${Math.round(size / 1024)} KiB)`)
    } else notOk("landing page screenshot", `only ${size} bytes`)
    await tab.close()
  }
} finally {
  await browser.close()
  server.close()
}

console.log(`docs check (${((Date.now() - started) / 1000).toFixed(1)} s, ${pages.length} pages, ${executablePath})`)
console.log(`docs check: ${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
