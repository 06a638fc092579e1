// The documentation site of both editions (VitePress, local search, static output
// in site/.vitepress/dist). `pnpm docs:build` generates site/api/ (the API
// reference, from docgen) and builds; `pnpm docs:check` checks the built site in
// Chromium. DOCS_BASE sets the base path for hosts that serve it under one.
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitepress"

const here = path.dirname(fileURLToPath(import.meta.url))
const repoUrl = "https://github.com/postpress/postpress-effect"
const base = process.env.DOCS_BASE ?? "/"

interface SidebarItem {
  readonly text: string
  readonly link?: string
  readonly collapsed?: boolean
  readonly items?: ReadonlyArray<SidebarItem>
}

// written by scripts/site/apiPages.mjs with the API pages
const apiSidebarFile = path.join(here, "..", "api", "sidebar.json")
const apiSidebar: Record<string, Array<SidebarItem>> = fs.existsSync(apiSidebarFile)
  ? JSON.parse(fs.readFileSync(apiSidebarFile, "utf8"))
  : { effect4: [], effect3: [] }

const guide: Array<SidebarItem> = [
  {
    text: "Start",
    items: [
      { text: "Getting started (Effect 4)", link: "/guide/getting-started" },
      { text: "Getting started (Effect 3)", link: "/guide/getting-started-effect3" }
    ]
  },
  {
    text: "Guides",
    items: [
      { text: "The client and its calls", link: "/guide/client" },
      { text: "Streaming and resuming", link: "/guide/streaming" },
      { text: "Errors", link: "/guide/errors" },
      { text: "Resilience and rate limits", link: "/guide/resilience" },
      { text: "Lookups and caching", link: "/guide/caching" },
      { text: "Tracing", link: "/guide/tracing" },
      { text: "The simulator in your tests", link: "/guide/simulator" },
      { text: "Runtimes", link: "/guide/runtimes" },
      { text: "The main job: a sync", link: "/guide/sync" },
      { text: "Performance", link: "/guide/performance" },
      { text: "Migrating between editions", link: "/guide/migrating" }
    ]
  },
  {
    text: "More",
    items: [
      { text: "Examples", link: "/guide/examples" },
      { text: "Development", link: "/guide/development" }
    ]
  }
]

const apiSection = (edition: "effect4" | "effect3"): Array<SidebarItem> => [
  {
    text: edition === "effect4" ? "API · Effect 4 edition (1.x)" : "API · Effect 3 edition (0.x)",
    link: `/api/${edition}/`,
    items: apiSidebar[edition] ?? []
  },
  {
    text: "Switch edition",
    items: [
      edition === "effect4"
        ? { text: "Effect 3 edition (0.x)", link: "/api/effect3/" }
        : { text: "Effect 4 edition (1.x)", link: "/api/effect4/" }
    ]
  }
]

export default defineConfig({
  title: "postpress",
  titleTemplate: ":title · postpress Effect SDK",
  description: "The Effect SDK for the postpress messaging API: typed endpoints, tagged errors, lazy pagination.",
  base,
  lang: "en",
  cleanUrls: false, // every page is a .html file: any static host serves it as is
  lastUpdated: false,
  srcExclude: ["**/node_modules/**", "README.md"],
  head: [["link", { rel: "icon", type: "image/svg+xml", href: `${base}logo.svg` }]],
  markdown: {
    theme: { light: "github-light", dark: "github-dark" }
  },
  themeConfig: {
    logo: "/logo.svg",
    nav: [
      { text: "Guide", link: "/guide/getting-started", activeMatch: "^/guide/" },
      {
        text: "API reference",
        activeMatch: "^/api/",
        items: [
          { text: "Effect 4 edition (1.x)", link: "/api/effect4/" },
          { text: "Effect 3 edition (0.x)", link: "/api/effect3/" },
          { text: "Both editions", link: "/api/" }
        ]
      }
    ],
    sidebar: {
      "/guide/": guide,
      "/api/effect4/": apiSection("effect4"),
      "/api/effect3/": apiSection("effect3"),
      "/api/": [
        { text: "Effect 4 edition (1.x)", link: "/api/effect4/", items: apiSidebar["effect4"] ?? [] },
        { text: "Effect 3 edition (0.x)", link: "/api/effect3/", items: apiSidebar["effect3"] ?? [] }
      ]
    },
    outline: { level: [2, 3] },
    search: { provider: "local" },
    socialLinks: [{ icon: "github", link: repoUrl }],
    footer: { message: "MIT licensed.", copyright: "postpress Effect SDK" }
  }
})
