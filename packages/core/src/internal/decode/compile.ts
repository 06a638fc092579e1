import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"

/**
 * Decoders compiled from a schema's AST into plain JavaScript, for the
 * responses of the API: JSON freshly parsed, thousands of objects a page.
 *
 * `Schema.decodeUnknownEither` interprets the AST for every value and builds
 * a new object for every struct it decodes. A compiled decoder is one function
 * per node, written out once per schema with the checks inlined (`typeof
 * x === "string"`, `x === 0 || x === 1`, a property read by name): it checks
 * in place, and gives back the parsed value itself wherever decoding would
 * give back a deeply equal one. Where decoding changes something (an excess
 * property to drop, a transformation) the generic decoder decodes that node;
 * where decoding fails, the generic decoder decodes the whole value for its
 * error. So results and errors are the generic decoder's (a property test
 * compares the two, CompiledDecode.test.ts), and a field added to a schema needs
 * no change here.
 */

/** What a compiled decoder returns where decoding fails, so the generic decoder is asked for the error. */
const Fallback: unique symbol = Symbol("Fallback")

/** What decoding a value would give, told without building it: it fails; it gives the value back; or it may change it. */
const Fails = 0
const Identity = 1
const Unknown = 2

/** A struct (string-named properties only), a record (one string index signature), or neither. */
const shapeOf = (ast: SchemaAST.TypeLiteral) => {
  const { indexSignatures, propertySignatures } = ast
  const named = propertySignatures.every((ps) => typeof ps.name === "string" && ps.name !== "__proto__")
  if (indexSignatures.length === 0 && named) {
    return { _tag: "Struct" as const, properties: propertySignatures }
  }
  const [signature] = indexSignatures
  if (indexSignatures.length === 1 && signature!.parameter._tag === "StringKeyword") {
    if (propertySignatures.length === 0) return { _tag: "Record" as const, value: signature!.type }
    // a struct whose other properties may be anything (the raw form of a variant this SDK does not know)
    const anything = signature!.type._tag === "UnknownKeyword" || signature!.type._tag === "AnyKeyword"
    if (anything && named) return { _tag: "StructWithRest" as const, properties: propertySignatures }
  }
  return undefined
}

/** Writes out the decoder of one schema: functions declared by name, values they need passed in `k`. */
class Compiler {
  private readonly constants: Array<unknown> = []
  private readonly declarations: Array<string> = []
  private readonly checks = new Map<SchemaAST.AST, string>()
  private readonly decoders = new Map<SchemaAST.AST, string>()
  private readonly filters = new Map<SchemaAST.Refinement, string>()

  /** A reference to `value` from the generated code. */
  private constant(value: unknown): string {
    this.constants.push(value)
    return `k[${this.constants.length - 1}]`
  }

  /**
   * The name of the function of `ast` among `functions`, declared on first
   * use. The name is taken before the body is written, so a node the body
   * reaches again refers to it.
   */
  private declareOnce(
    functions: Map<SchemaAST.AST, string>,
    prefix: string,
    ast: SchemaAST.AST,
    body: (ast: SchemaAST.AST) => string
  ): string {
    const known = functions.get(ast)
    if (known !== undefined) return known
    const name = `${prefix}${functions.size}`
    functions.set(ast, name)
    this.declarations.push(`function ${name}(x) {\n${body(ast)}\n}`)
    return name
  }

  /** The generic decoder of a node, or `Fallback`: the parser is compositional, so it gives what decoding the whole would give there. */
  private generic(ast: SchemaAST.AST): string {
    const decode = ParseResult.decodeUnknownEither(Schema.make(ast))
    return this.constant((x: unknown) => {
      const result = decode(x)
      return Either.isRight(result) ? result.right : Fallback
    })
  }

  /**
   * A boolean expression over the variable `v` that holds when decoding `v`
   * succeeds and gives `v` back, and fails when decoding fails: keywords,
   * literals, their unions and refinements. `undefined` for any other node.
   */
  pure(ast: SchemaAST.AST, v: string): string | undefined {
    switch (ast._tag) {
      case "StringKeyword":
        return `typeof ${v} === "string"`
      case "NumberKeyword":
        return `typeof ${v} === "number"`
      case "BooleanKeyword":
        return `typeof ${v} === "boolean"`
      case "UndefinedKeyword":
        return `${v} === undefined`
      case "UnknownKeyword":
      case "AnyKeyword":
        return "true"
      case "Literal": {
        const literal = ast.literal
        const written = typeof literal === "string" || (typeof literal === "number" && Number.isFinite(literal))
          ? JSON.stringify(literal)
          : literal === null || typeof literal === "boolean"
          ? String(literal)
          : this.constant(literal)
        return `${v} === ${written}`
      }
      case "Union": {
        const members = ast.types.map((member) => this.pure(member, v))
        return members.every((member) => member !== undefined) ? `(${members.join(" || ")})` : undefined
      }
      case "Refinement": {
        const from = this.pure(ast.from, v)
        return from === undefined ? undefined : `(${from} && ${this.filter(ast)}(${v}))`
      }
      default:
        return undefined
    }
  }

  /** Whether a value satisfies a refinement's own predicate. */
  private filter(ast: SchemaAST.Refinement): string {
    let name = this.filters.get(ast)
    if (name === undefined) {
      name = this.constant((x: unknown) => Option.isNone(ast.filter(x, SchemaAST.defaultParseOption, ast)))
      this.filters.set(ast, name)
    }
    return name
  }

  /** The name of a function telling, without building anything, what decoding a value would give (a verdict). */
  check(ast: SchemaAST.AST): string {
    return this.declareOnce(this.checks, "c", ast, (ast) => this.checkBody(ast))
  }

  private checkBody(ast: SchemaAST.AST): string {
    const pure = this.pure(ast, "x")
    if (pure !== undefined) return `return ${pure} ? ${Identity} : ${Fails}`
    switch (ast._tag) {
      case "Union": {
        // the generic decoder gives the first member that succeeds: if every member that does not fail gives the
        // input back, so does the union, whichever it picks
        const members = ast.types.map((member) => this.check(member))
        return [
          `let verdict = ${Fails}`,
          ...members.map((member) =>
            `switch (${member}(x)) { case ${Unknown}: return ${Unknown}; case ${Identity}: verdict = ${Identity} }`
          ),
          `return verdict`
        ].join("\n")
      }
      case "Refinement":
        return `const verdict = ${this.check(ast.from)}(x)
if (verdict !== ${Identity}) return verdict
return ${this.filter(ast)}(x) ? ${Identity} : ${Fails}`
      case "Transformation":
        // a transformation never gives its input back as is, but fails whenever its source does
        return `return ${this.check(ast.from)}(x) === ${Fails} ? ${Fails} : ${Unknown}`
      case "TupleType": {
        if (ast.elements.length !== 0 || ast.rest.length !== 1) return `return ${Unknown}`
        const item = this.check(ast.rest[0]!.type)
        return `if (!Array.isArray(x)) return ${Fails}
let verdict = ${Identity}
for (let i = 0; i < x.length; i++) {
  const item = ${item}(x[i])
  if (item === ${Fails}) return ${Fails}
  if (item === ${Unknown}) verdict = ${Unknown}
}
return verdict`
      }
      case "TypeLiteral":
        return this.checkTypeLiteral(ast)
      default:
        return `return ${Unknown}`
    }
  }

  private checkTypeLiteral(ast: SchemaAST.TypeLiteral): string {
    const shape = shapeOf(ast)
    if (shape === undefined) return `return ${Unknown}`
    const isObject = `if (typeof x !== "object" || x === null || Array.isArray(x)) return ${Fails}`
    if (shape._tag === "Record") {
      const value = this.check(shape.value)
      // the generic decoder assigns entries, and assigning `__proto__` sets the prototype instead
      return `${isObject}
let verdict = ${Identity}
for (const key in x) {
  if (!hasOwn.call(x, key)) continue
  const entry = ${value}(x[key])
  if (entry === ${Fails}) return ${Fails}
  if (entry === ${Unknown} || key === "__proto__") verdict = ${Unknown}
}
return verdict`
    }
    const lines = [isObject, `let verdict = ${Identity}`, `let present = 0`]
    shape.properties.forEach((ps, i) => {
      const key = JSON.stringify(ps.name)
      const check = this.check(ps.type)
      // a missing required key decodes `undefined`, and a value that accepts it adds the key
      const missing = ps.isOptional
        ? ""
        : ` else if (${check}(undefined) === ${Fails}) return ${Fails}; else verdict = ${Unknown}`
      lines.push(
        `if (hasOwn.call(x, ${key})) {
  present++
  const v${i} = ${check}(x[${key}])
  if (v${i} === ${Fails}) return ${Fails}
  if (v${i} === ${Unknown}) verdict = ${Unknown}
}${missing}`
      )
    })
    if (shape._tag === "StructWithRest") {
      lines.push(`return verdict`)
    } else {
      // excess properties are dropped by decoding
      lines.push(
        `if (verdict !== ${Identity}) return verdict`,
        `let keys = 0`,
        `for (const key in x) if (hasOwn.call(x, key)) keys++`,
        `return keys === present ? ${Identity} : ${Unknown}`
      )
    }
    return lines.join("\n")
  }

  /** The name of a function decoding a value: the result, the value itself where it is unchanged, or `Fallback`. */
  decode(ast: SchemaAST.AST): string {
    return this.declareOnce(this.decoders, "d", ast, (ast) => this.decodeBody(ast))
  }

  /** Statements decoding `v` in place: `v` becomes the decoded value, or the function returns `Fallback`; `changed` set if it changed. */
  private decodeInto(ast: SchemaAST.AST, v: string, changed: string): string {
    const pure = this.pure(ast, v)
    if (pure !== undefined) return `if (!(${pure})) return F`
    return `{ const r = ${this.decode(ast)}(${v}); if (r === F) return F; if (r !== ${v}) { ${v} = r; ${changed} } }`
  }

  private decodeBody(ast: SchemaAST.AST): string {
    const pure = this.pure(ast, "x")
    if (pure !== undefined) return `return ${pure} ? x : F`
    switch (ast._tag) {
      case "Union": {
        const check = this.check(ast)
        return `const verdict = ${check}(x)
return verdict === ${Identity} ? x : verdict === ${Fails} ? F : ${this.generic(ast)}(x)`
      }
      case "Refinement":
        return `const r = ${this.decode(ast.from)}(x)
return r === F || !${this.filter(ast)}(r) ? F : r`
      case "TupleType": {
        if (ast.elements.length !== 0 || ast.rest.length !== 1) break
        return `if (!Array.isArray(x)) return F
let out
for (let i = 0; i < x.length; i++) {
  let v = x[i]
  ${this.decodeInto(ast.rest[0]!.type, "v", "(out ??= x.slice())[i] = v")}
}
return out ?? x`
      }
      case "TypeLiteral": {
        const shape = shapeOf(ast)
        if (shape === undefined || shape._tag === "StructWithRest") break
        const isObject = `if (typeof x !== "object" || x === null || Array.isArray(x)) return F`
        if (shape._tag === "Record") {
          return `${isObject}
let out
for (const key in x) {
  if (!hasOwn.call(x, key)) continue
  // the generic decoder assigns entries, and assigning \`__proto__\` sets the prototype instead
  if (key === "__proto__") return ${this.generic(ast)}(x)
  let v = x[key]
  ${this.decodeInto(shape.value, "v", "(out ??= { ...x })[key] = v")}
}
return out ?? x`
        }
        const generic = this.generic(ast)
        const lines = [isObject, `let changed = false`, `let present = 0`]
        shape.properties.forEach((ps, i) => {
          const key = JSON.stringify(ps.name)
          lines.push(`let v${i} = F
if (hasOwn.call(x, ${key})) {
  present++
  v${i} = x[${key}]
  ${this.decodeInto(ps.type, `v${i}`, "changed = true")}
}${ps.isOptional ? "" : ` else return ${generic}(x)`}`)
        })
        // unchanged with no excess property: the value itself; else, as the generic decoder builds it, the
        // declared properties that are present, in declaration order
        const build = shape.properties.map((ps, i) => `if (v${i} !== F) out[${JSON.stringify(ps.name)}] = v${i}`)
        return `${lines.join("\n")}
if (!changed) {
  let keys = 0
  for (const key in x) if (hasOwn.call(x, key)) keys++
  if (keys === present) return x
}
const out = {}
${build.join("\n")}
return out`
      }
    }
    return `return ${this.generic(ast)}(x)`
  }

  /** The compiled decoder of `ast`, or `undefined` where code cannot be compiled (a policy forbidding `new Function`). */
  compile(ast: SchemaAST.AST): ((input: unknown) => unknown) | undefined {
    const root = this.decode(ast)
    const source = `"use strict"\nconst hasOwn = Object.prototype.hasOwnProperty\n${
      this.declarations.join("\n")
    }\nreturn ${root}`
    try {
      return new Function("k", "F", source)(this.constants, Fallback)
    } catch {
      return undefined
    }
  }
}

/**
 * `Schema.decodeUnknownEither(schema)`, compiled: the same results and the
 * same errors, with the parts of a value that decoding leaves unchanged
 * checked in place and kept as they are. Where the runtime refuses to compile
 * code (a content security policy without `unsafe-eval`), it is the generic
 * decoder.
 *
 * Only for values nobody else holds, such as freshly parsed JSON: the result
 * shares their unchanged parts.
 */
export const decodeUnknownEither = <A, I>(
  schema: Schema.Schema<A, I>
): (input: unknown) => Either.Either<A, ParseResult.ParseError> => {
  const whole = Schema.decodeUnknownEither(schema)
  const compiled = new Compiler().compile(schema.ast)
  if (compiled === undefined) return whole
  return (input) => {
    const value = compiled(input)
    return value === Fallback ? whole(input) : Either.right(value as A)
  }
}
