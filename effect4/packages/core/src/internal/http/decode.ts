/**
 * The decoder of a response schema: the code Effect's JIT compiler writes for
 * it, with a faster twin in front.
 *
 * Effect's JIT compiles straight-line code only for schemas with no
 * transformation anywhere inside: one transforming node makes the node that
 * holds it, and every node above, fall back to the generic, Effect-driven
 * parser. Our pages hold one: the unknown variant that keeps a discriminated
 * union open (`Attachment.UnknownAttachment`, `{ type: "unknown", raw }`,
 * decoded from any other `type`), the last member of its union. So each page
 * would be parsed generically — about ten times the CPU per message of the
 * compiled code — for a member that almost no page needs.
 *
 * The twin is the same schema without those trailing transforming members of
 * its unions ({@link withoutTrailingTransformations}), compiled whole. A body
 * it accepts decodes as the full schema decodes it: the members left are the
 * same, tried in the same order, and a removed member could only have matched
 * where every member before it had failed. A body it refuses (an unknown
 * variant, or an invalid body) is decoded by the full schema, whose result —
 * the value, or the issue an error reports — is the one returned. The twin
 * derives from the one declaration of the contract: there is no second copy of
 * a schema to keep in step.
 */
import * as Schema from "effect/Schema"
import * as SchemaJITCompiler from "effect/schema/SchemaJITCompiler"
import * as SchemaAST from "effect/SchemaAST"
import * as SchemaParser from "effect/SchemaParser"
import type { Decoder } from "./response.js"

const changedFrom = <A>(after: ReadonlyArray<A>, before: ReadonlyArray<A>): boolean =>
  after.length !== before.length || after.some((item, i) => item !== before[i])

/**
 * `ast` without the members at the end of its `anyOf` unions that transform
 * (at any depth; a union keeps at least one member), rebuilt only where
 * something inside changed, so `ast` itself when nothing did.
 */
export const withoutTrailingTransformations = (ast: SchemaAST.AST): SchemaAST.AST => {
  switch (ast._tag) {
    case "Objects": {
      const properties = ast.propertySignatures.map((property) => {
        const type = withoutTrailingTransformations(property.type)
        return type === property.type ? property : new SchemaAST.PropertySignature(property.name, type)
      })
      const indexes = ast.indexSignatures.map((index) => {
        const type = withoutTrailingTransformations(index.type)
        return type === index.type ? index : new SchemaAST.IndexSignature(index.parameter, type)
      })
      return changedFrom(properties, ast.propertySignatures) || changedFrom(indexes, ast.indexSignatures)
        ? new SchemaAST.Objects(
          properties,
          indexes,
          ast.annotations,
          ast.checks,
          ast.encoding,
          ast.context,
          ast.encodingChecks
        )
        : ast
    }
    case "Arrays": {
      const elements = ast.elements.map(withoutTrailingTransformations)
      const rest = ast.rest.map(withoutTrailingTransformations)
      return changedFrom(elements, ast.elements) || changedFrom(rest, ast.rest)
        ? new SchemaAST.Arrays(
          ast.isMutable,
          elements,
          rest,
          ast.annotations,
          ast.checks,
          ast.encoding,
          ast.context,
          ast.encodingChecks
        )
        : ast
    }
    case "Union": {
      // "oneOf" counts the members that match: removing one would change the answer
      if (ast.options?.mode === "oneOf") return ast
      let end = ast.types.length
      while (end > 1 && ast.types[end - 1]!.encoding !== undefined) end--
      const types = ast.types.slice(0, end).map(withoutTrailingTransformations)
      return changedFrom(types, ast.types)
        ? new SchemaAST.Union(
          types,
          ast.options,
          ast.annotations,
          ast.checks,
          ast.encoding,
          ast.context,
          ast.encodingChecks
        )
        : ast
    }
    default:
      return ast
  }
}

const twins = new WeakMap<SchemaAST.AST, SchemaAST.AST>()

/** {@link withoutTrailingTransformations} of `ast`, worked out once per AST. */
export const twinOf = (ast: SchemaAST.AST): SchemaAST.AST => {
  let twin = twins.get(ast)
  if (twin === undefined) {
    twin = withoutTrailingTransformations(ast)
    twins.set(ast, twin)
  }
  return twin
}

const decoders = new WeakMap<SchemaAST.AST, Decoder<unknown>>()

/**
 * The decoder of `schema`'s responses (one per schema, shared by every
 * client): its twin without trailing transforming members first, `schema`
 * itself for what the twin refuses; both compiled by Effect's JIT on first use
 * (the interpreter where the runtime refuses to compile code).
 */
export const decoder = <A>(schema: Schema.Decoder<A>): Decoder<A> => {
  const cached = decoders.get(schema.ast)
  if (cached !== undefined) return cached as Decoder<A>
  SchemaJITCompiler.enable(schema.ast)
  const full: Decoder<A> = SchemaParser.decodeUnknownResult(schema)
  const twinAst = twinOf(schema.ast)
  let decode = full
  if (twinAst !== schema.ast) {
    SchemaJITCompiler.enable(twinAst)
    // the twin's values are the schema's: the same members, fewer of them
    const twin = SchemaParser.decodeUnknownResult(Schema.make(twinAst) as Schema.Decoder<A>)
    decode = (input) => {
      const result = twin(input)
      return result._tag === "Success" ? result : full(input)
    }
  }
  decoders.set(schema.ast, decode as Decoder<unknown>)
  return decode
}
