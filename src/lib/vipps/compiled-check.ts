import type { z } from "zod"

/**
 * A straight-line check compiled once from a zod schema, for the client's hot path. zod's parsers are
 * generic and deep; between two API calls the process runs milliseconds of other code, so every parse
 * starts cold and costs 4–8× its warm time (docs/performance.md, section 1). The compiled check is one
 * small function per schema.
 *
 * It is conservative: `true` only for a value the schema accepts and would return unchanged (so the value
 * itself can be used as the parse result); `false` means "ask zod", which then gives the result or the
 * error. Anything it does not know — transforms, string formats, refinements, unknown keys of a stripping
 * object — compiles to `false` where it occurs. The property test holds it to that against every schema.
 */
export type CompiledCheck = (value: unknown) => boolean

class Unsupported extends Error {}

type Def = {
  type: string
  checks?: { _zod: { def: CheckDef } }[]
  shape?: Record<string, Schema>
  catchall?: Schema
  innerType?: Schema
  element?: Schema
  options?: Schema[]
  keyType?: Schema
  valueType?: Schema
  entries?: Record<string, string | number>
  values?: unknown[]
  format?: string
  coerce?: boolean
}
type CheckDef = {
  check: string
  format?: string
  pattern?: RegExp
  value?: unknown
  inclusive?: boolean
  minimum?: number
  maximum?: number
  length?: number
}
type Schema = { _zod: { def: Def } }

/** Compiles `schema`; undefined when its top level is not supported (then zod alone parses). */
export function compileCheck(schema: z.ZodType): CompiledCheck | undefined {
  try {
    return compile(schema as unknown as Schema, true)
  } catch {
    // Unsupported, or a zod internal this compiler does not know: zod alone is always correct.
    return undefined
  }
}

/** `lossyAllowed`: whether a stripping `z.object` may occur (not inside a union, see there). */
function compile(schema: Schema, lossyAllowed: boolean): CompiledCheck {
  const constants: unknown[] = []
  let names = 0
  const name = () => `t${names++}`
  const constant = (value: unknown) => `c[${constants.push(value) - 1}]`

  /** Statements that `return false` unless `t` passes `schema` unchanged. */
  function statements(s: Schema, t: string): string {
    const def = s._zod.def
    switch (def.type) {
      case "string":
        if (def.format !== undefined || def.coerce) throw new Unsupported()
        return `if (typeof ${t} !== "string") return false\n${checks(def, t)}`
      case "number":
        if (def.format !== undefined || def.coerce) throw new Unsupported()
        return `if (typeof ${t} !== "number" || !Number.isFinite(${t})) return false\n${checks(def, t)}`
      case "boolean":
        if (def.coerce) throw new Unsupported()
        return `if (typeof ${t} !== "boolean") return false\n`
      case "unknown":
      case "any":
        return ""
      case "enum":
        return `if (!${constant(new Set(Object.values(def.entries!)))}.has(${t})) return false\n`
      case "literal":
        return `if (!${constant(new Set(def.values))}.has(${t})) return false\n`
      case "nullable":
        return `if (${t} !== null) {\n${statements(def.innerType!, t)}}\n`
      case "optional":
        return `if (${t} !== undefined) {\n${statements(def.innerType!, t)}}\n`
      case "array": {
        const item = name()
        return (
          `if (!Array.isArray(${t})) return false\n${checks(def, t)}` +
          `for (const ${item} of ${t}) {\n${statements(def.element!, item)}}\n`
        )
      }
      case "record": {
        // Only string keys: zod requires every key of an enum key type to be present.
        if (def.keyType!._zod.def.type !== "string") throw new Unsupported()
        const key = name()
        const value = name()
        return (
          `if (typeof ${t} !== "object" || ${t} === null || Array.isArray(${t})) return false\n` +
          `for (const ${key} in ${t}) {\n` +
          `if (!Object.prototype.hasOwnProperty.call(${t}, ${key})) return false\n` +
          statements(def.keyType!, key) +
          `const ${value} = ${t}[${key}]\n` +
          statements(def.valueType!, value) +
          `}\n`
        )
      }
      case "object":
        return object(def, t)
      case "union": {
        // zod returns the first option that parses: only options that never change a value keep that equal.
        const options = def.options!.map((option) => constant(compile(option, false)))
        return `if (!(${options.map((option) => `${option}(${t})`).join(" || ")})) return false\n`
      }
      default:
        throw new Unsupported()
    }
  }

  function object(def: Def, t: string): string {
    const catchall = def.catchall?._zod.def.type
    const loose = catchall === "unknown" || catchall === "any"
    if (catchall !== undefined && catchall !== "never" && !loose) throw new Unsupported()
    // A plain `z.object` strips unknown keys: equal to its input only without them.
    if (catchall === undefined && !lossyAllowed) throw new Unsupported()
    const shape = def.shape!
    let code = `if (typeof ${t} !== "object" || ${t} === null || Array.isArray(${t})) return false\n`
    if (!loose) {
      const key = name()
      code += `for (const ${key} in ${t}) if (!${constant(new Set(Object.keys(shape)))}.has(${key})) return false\n`
    }
    for (const [key, property] of Object.entries(shape)) {
      const value = name()
      const literalKey = JSON.stringify(key)
      code += `const ${value} = ${t}[${literalKey}]\n`
      if (property._zod.def.type === "optional") {
        // Present but undefined: zod keeps the key; left to zod rather than reasoned about here.
        let inner: string
        try {
          inner = statements(property._zod.def.innerType!, value)
        } catch (error) {
          if (!(error instanceof Unsupported)) throw error
          inner = "return false\n"
        }
        code += `if (${value} === undefined) { if (${literalKey} in ${t}) return false }\nelse {\n${inner}}\n`
      } else {
        code += `if (${value} === undefined) return false\n${statements(property, value)}`
      }
    }
    return code
  }

  function checks(def: Def, t: string): string {
    let code = ""
    for (const check of def.checks ?? []) {
      const c = check._zod.def
      switch (c.check) {
        case "min_length":
          code += `if (${t}.length < ${number(c.minimum)}) return false\n`
          break
        case "max_length":
          code += `if (${t}.length > ${number(c.maximum)}) return false\n`
          break
        case "length_equals":
          code += `if (${t}.length !== ${number(c.length)}) return false\n`
          break
        case "greater_than":
          code += `if (!(${t} ${c.inclusive ? ">=" : ">"} ${number(c.value)})) return false\n`
          break
        case "less_than":
          code += `if (!(${t} ${c.inclusive ? "<=" : "<"} ${number(c.value)})) return false\n`
          break
        case "number_format":
          if (c.format !== "safeint") throw new Unsupported()
          code += `if (!Number.isSafeInteger(${t})) return false\n`
          break
        case "string_format": {
          if (c.format !== "regex" || !c.pattern || c.pattern.global || c.pattern.sticky)
            throw new Unsupported()
          code += `if (!${constant(c.pattern)}.test(${t})) return false\n`
          break
        }
        default:
          throw new Unsupported()
      }
    }
    return code
  }

  const body = statements(schema, "v")
  return new Function("c", `return function compiledCheck(v) {\n${body}return true\n}`)(
    constants,
  ) as CompiledCheck
}

function number(value: unknown): string {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Unsupported()
  return String(value)
}

type SafeParse<T> = (value: unknown) => z.ZodSafeParseResult<T>
const parsers = new WeakMap<z.ZodType, SafeParse<unknown>>()

/** zod's `safeParse`, answered by the compiled check when it can (the value itself is the result). */
export function fastSafeParse<T>(schema: z.ZodType<T>): SafeParse<T> {
  const check = compileCheck(schema)
  if (!check) return (value) => schema.safeParse(value)
  return (value) => (check(value) ? { success: true, data: value as T } : schema.safeParse(value))
}

/** `fastSafeParse(schema)`, compiled on first use and kept for the schema's lifetime. */
export function safeParser<T>(schema: z.ZodType<T>): SafeParse<T> {
  let parse = parsers.get(schema)
  if (!parse) parsers.set(schema, (parse = fastSafeParse(schema)))
  return parse as SafeParse<T>
}
