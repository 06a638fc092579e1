// Checks that every exported name (values and types) of every public module of
// the Effect 3 edition's packages exists in the same module of the Effect 4
// edition: packages/{core,node,simulator}/src/*.ts against
// effect4/packages/{core,node,simulator}/src/*.ts, read by the TypeScript
// compiler (so interfaces and type aliases count, and `export *` is followed).
//
//   node scripts/compare-exports.mjs
//
// Prints one line per module and fails when a name is missing. Names only in the
// Effect 4 edition are listed, not refused.
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const packages = ["core", "node", "simulator"]

const exportsOf = (files) => {
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true
  })
  const checker = program.getTypeChecker()
  const result = new Map()
  for (const file of files) {
    const source = program.getSourceFile(file)
    const symbol = source && checker.getSymbolAtLocation(source)
    result.set(file, new Set(symbol ? checker.getExportsOfModule(symbol).map((s) => s.getName()) : []))
  }
  return result
}

const publicModules = (dir) =>
  fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith(".ts")).sort() : []

let missing = 0
for (const name of packages) {
  const v3Dir = path.join(root, "packages", name, "src")
  const v4Dir = path.join(root, "effect4/packages", name, "src")
  const modules = publicModules(v3Dir)
  const v3 = exportsOf(modules.map((module) => path.join(v3Dir, module)))
  const v4 = exportsOf(modules.map((module) => path.join(v4Dir, module)).filter((file) => fs.existsSync(file)))
  for (const module of modules) {
    const names = v3.get(path.join(v3Dir, module))
    const counterpart = v4.get(path.join(v4Dir, module))
    if (counterpart === undefined) {
      console.log(`not ok - @postpress/${name}/${module}: no such module in the Effect 4 edition`)
      missing++
      continue
    }
    const absent = [...names].filter((n) => !counterpart.has(n))
    const added = [...counterpart].filter((n) => !names.has(n))
    const extra = added.length > 0 ? `; new in Effect 4: ${added.join(", ")}` : ""
    if (absent.length > 0) {
      console.log(`not ok - @postpress/${name}/${module}: missing in Effect 4: ${absent.join(", ")}${extra}`)
      missing += absent.length
    } else {
      console.log(`ok - @postpress/${name}/${module}: all ${names.size} names${extra}`)
    }
  }
}
if (missing > 0) {
  console.log(`${missing} exported name(s) of the Effect 3 edition are missing in the Effect 4 edition`)
  process.exit(1)
}
