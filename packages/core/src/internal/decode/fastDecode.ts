import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"

/**
 * What decoding a value with a schema would give, as far as a quick look can
 * tell without building the result: it fails; it succeeds and gives back a
 * value deeply equal to the input; or anything else (a transformation, excess
 * properties to drop, a node this check does not know).
 */
type Verdict = typeof Fails | typeof Identity | typeof Unknown
const Fails = 0
const Identity = 1
const Unknown = 2

type Check = (input: unknown) => Verdict

const unknown: Check = () => Unknown

/**
 * Compiles a schema's AST into a check that answers, for a value, whether
 * `Schema.decodeUnknown` would succeed and give the value back unchanged.
 *
 * Sound by construction for the nodes it knows (keywords, literals, unions,
 * structs, records, arrays, refinements): `Identity` only when the generic
 * decoder would succeed with a deeply equal value, `Fails` only when it would
 * fail. Transformations, declarations and anything else answer `Unknown`.
 */
const compileCheck = (ast: SchemaAST.AST, memo: Map<SchemaAST.AST, Check>): Check => {
  const cached = memo.get(ast)
  if (cached !== undefined) return cached
  // cycles only go through Suspend, which is not compiled
  const compiled = go(ast, memo)
  memo.set(ast, compiled)
  return compiled
}

const go = (ast: SchemaAST.AST, memo: Map<SchemaAST.AST, Check>): Check => {
  switch (ast._tag) {
    case "StringKeyword":
      return (input) => typeof input === "string" ? Identity : Fails
    case "NumberKeyword":
      return (input) => typeof input === "number" ? Identity : Fails
    case "BooleanKeyword":
      return (input) => typeof input === "boolean" ? Identity : Fails
    case "UndefinedKeyword":
      return (input) => input === undefined ? Identity : Fails
    case "UnknownKeyword":
    case "AnyKeyword":
      return () => Identity
    case "Literal": {
      const literal = ast.literal
      return (input) => input === literal ? Identity : Fails
    }
    case "Union": {
      // the generic decoder returns the first member that succeeds: if every member that does not fail
      // gives the input back, so does the union, whichever it picks
      const members = ast.types.map((member) => compileCheck(member, memo))
      return (input) => {
        let verdict: Verdict = Fails
        for (let i = 0; i < members.length; i++) {
          const member = members[i]!(input)
          if (member === Unknown) return Unknown
          if (member === Identity) verdict = Identity
        }
        return verdict
      }
    }
    case "Refinement": {
      const from = compileCheck(ast.from, memo)
      return (input) => {
        const verdict = from(input)
        if (verdict !== Identity) return verdict
        return Option.isNone(ast.filter(input, SchemaAST.defaultParseOption, ast)) ? Identity : Fails
      }
    }
    case "Transformation": {
      // a transformation never gives its input back as is, but fails whenever its source does
      const from = compileCheck(ast.from, memo)
      return (input) => from(input) === Fails ? Fails : Unknown
    }
    case "TupleType": {
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return unknown
      const item = compileCheck(ast.rest[0]!.type, memo)
      return (input) => {
        if (!Array.isArray(input)) return Fails
        let verdict: Verdict = Identity
        for (let i = 0; i < input.length; i++) {
          const element = item(input[i])
          if (element === Fails) return Fails
          if (element === Unknown) verdict = Unknown
        }
        return verdict
      }
    }
    case "TypeLiteral":
      return checkTypeLiteral(ast, memo)
    default:
      return unknown
  }
}

/** `Object.keys(input).length`, without building the array. */
const ownKeyCount = (input: object): number => {
  let count = 0
  for (const key in input) if (Object.prototype.hasOwnProperty.call(input, key)) count++
  return count
}

const isRecord = (input: unknown): input is Record<string, unknown> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

/** A struct (property signatures only) or a record (one string index signature), else `undefined`. */
const shapeOf = (ast: SchemaAST.TypeLiteral) => {
  const { indexSignatures, propertySignatures } = ast
  if (indexSignatures.length === 0 && propertySignatures.every((ps) => typeof ps.name === "string")) {
    return { _tag: "Struct" as const, properties: propertySignatures }
  }
  const [signature] = indexSignatures
  if (
    propertySignatures.length === 0 && indexSignatures.length === 1 && signature!.parameter._tag === "StringKeyword"
  ) {
    return { _tag: "Record" as const, value: signature!.type }
  }
  return undefined
}

const checkTypeLiteral = (ast: SchemaAST.TypeLiteral, memo: Map<SchemaAST.AST, Check>): Check => {
  const shape = shapeOf(ast)
  if (shape === undefined) return unknown
  if (shape._tag === "Record") {
    const value = compileCheck(shape.value, memo)
    return (input) => {
      if (!isRecord(input)) return Fails
      let verdict: Verdict = Identity
      for (const key of Object.keys(input)) {
        const entry = value(input[key])
        if (entry === Fails) return Fails
        // the generic decoder assigns entries, and assigning `__proto__` sets the prototype instead
        if (entry === Unknown || key === "__proto__") verdict = Unknown
      }
      return verdict
    }
  }
  const properties = shape.properties.map((ps) => ({
    name: ps.name as string,
    isOptional: ps.isOptional,
    check: compileCheck(ps.type, memo)
  }))
  return (input) => {
    if (!isRecord(input)) return Fails
    let verdict: Verdict = Identity
    let present = 0
    for (let i = 0; i < properties.length; i++) {
      const property = properties[i]!
      if (!Object.prototype.hasOwnProperty.call(input, property.name)) {
        if (property.isOptional) continue
        // a missing required key decodes `undefined`, and a value that accepts it adds the key
        if (property.check(undefined) === Fails) return Fails
        verdict = Unknown
        continue
      }
      present++
      const value = property.check(input[property.name])
      if (value === Fails) return Fails
      if (value === Unknown) verdict = Unknown
    }
    // excess properties are dropped by decoding
    return verdict === Identity && ownKeyCount(input) !== present ? Unknown : verdict
  }
}

// -----------------------------------------------------------------------------
// decoding
// -----------------------------------------------------------------------------

/** Decoding fails, or needs the generic decoder: run it on the whole input for its error. */
const Fallback: unique symbol = Symbol("Fallback")

type Decode = (input: unknown) => unknown

interface Compiler {
  readonly checks: Map<SchemaAST.AST, Check>
  readonly decoders: Map<SchemaAST.AST, Decode>
}

/** The generic decoder of a node: the parser is compositional, so it gives what decoding the whole would give there. */
const generic = (ast: SchemaAST.AST): Decode => {
  const decode = ParseResult.decodeUnknownEither(Schema.make(ast))
  return (input) => {
    const result = decode(input)
    return Either.isRight(result) ? result.right : Fallback
  }
}

const compileDecode = (ast: SchemaAST.AST, compiler: Compiler): Decode => {
  const cached = compiler.decoders.get(ast)
  if (cached !== undefined) return cached
  const compiled = goDecode(ast, compiler)
  compiler.decoders.set(ast, compiled)
  return compiled
}

const goDecode = (ast: SchemaAST.AST, compiler: Compiler): Decode => {
  switch (ast._tag) {
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "UndefinedKeyword":
    case "UnknownKeyword":
    case "AnyKeyword":
    case "Literal": {
      const check = compileCheck(ast, compiler.checks)
      return (input) => check(input) === Identity ? input : Fallback
    }
    case "Union": {
      const check = compileCheck(ast, compiler.checks)
      const fallback = generic(ast)
      return (input) => {
        const verdict = check(input)
        return verdict === Identity ? input : verdict === Fails ? Fallback : fallback(input)
      }
    }
    case "Refinement": {
      const from = compileDecode(ast.from, compiler)
      return (input) => {
        const value = from(input)
        if (value === Fallback) return Fallback
        return Option.isNone(ast.filter(value, SchemaAST.defaultParseOption, ast)) ? value : Fallback
      }
    }
    case "TupleType": {
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return generic(ast)
      const item = compileDecode(ast.rest[0]!.type, compiler)
      return (input) => {
        if (!Array.isArray(input)) return Fallback
        let output: Array<unknown> | undefined
        for (let i = 0; i < input.length; i++) {
          const value = item(input[i])
          if (value === Fallback) return Fallback
          if (value !== input[i]) (output ??= input.slice())[i] = value
        }
        return output ?? input
      }
    }
    case "TypeLiteral":
      return decodeTypeLiteral(ast, compiler)
    default:
      return generic(ast)
  }
}

const decodeTypeLiteral = (ast: SchemaAST.TypeLiteral, compiler: Compiler): Decode => {
  const shape = shapeOf(ast)
  if (shape === undefined) return generic(ast)
  if (shape._tag === "Record") {
    const decode = compileDecode(shape.value, compiler)
    const fallback = generic(ast)
    return (input) => {
      if (!isRecord(input)) return Fallback
      let output: Record<string, unknown> | undefined
      for (const key of Object.keys(input)) {
        // the generic decoder assigns entries, and assigning `__proto__` sets the prototype instead
        if (key === "__proto__") return fallback(input)
        const value = decode(input[key])
        if (value === Fallback) return Fallback
        if (value !== input[key]) (output ??= { ...input })[key] = value
      }
      return output ?? input
    }
  }
  const properties = shape.properties.map((ps) => ({
    name: ps.name as string,
    isOptional: ps.isOptional,
    decode: compileDecode(ps.type, compiler)
  }))
  const fallback = generic(ast)
  return (input) => {
    if (!isRecord(input)) return Fallback
    let changed = false
    let present = 0
    const values: Array<unknown> = new Array(properties.length)
    for (let i = 0; i < properties.length; i++) {
      const property = properties[i]!
      if (!Object.prototype.hasOwnProperty.call(input, property.name)) {
        if (property.isOptional) continue
        return fallback(input)
      }
      present++
      const value = property.decode(input[property.name])
      if (value === Fallback) return Fallback
      values[i] = value
      if (value !== input[property.name]) changed = true
    }
    if (!changed && ownKeyCount(input) === present) return input
    // as the generic decoder builds it: the declared properties that are present, in declaration order
    const output: Record<string, unknown> = {}
    for (let i = 0; i < properties.length; i++) {
      const property = properties[i]!
      if (Object.prototype.hasOwnProperty.call(input, property.name)) output[property.name] = values[i]
    }
    return output
  }
}

/**
 * `Schema.decodeUnknownEither(schema)` without the copies: the parts of a
 * value the schema gives back unchanged (no excess property, no
 * transformation, every refinement satisfied) are checked in place and kept
 * as they are; the parts that change (an attachment of an unknown kind, an
 * object with fields this SDK does not know) are decoded by the generic
 * decoder; any failure runs the generic decoder on the whole value for its
 * error. Results and errors are the generic decoder's.
 *
 * Only for values nobody else holds, such as freshly parsed JSON: the result
 * shares their unchanged parts.
 */
export const decodeUnknownEither = <A, I>(
  schema: Schema.Schema<A, I>
): (input: unknown) => Either.Either<A, ParseResult.ParseError> => {
  const decode = compileDecode(schema.ast, { checks: new Map(), decoders: new Map() })
  const whole = Schema.decodeUnknownEither(schema)
  return (input) => {
    const value = decode(input)
    return value === Fallback ? whole(input) : Either.right(value as A)
  }
}
