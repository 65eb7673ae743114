import { readFileSync } from "node:fs"
import path from "node:path"
import Ajv, { type ValidateFunction } from "ajv"
import addFormats from "ajv-formats"
import { parse } from "yaml"

/**
 * Validates requests and responses against the official OpenAPI 3.0 specs in the repository's spec/ folder
 * (copies with their version and source noted; the repository carries what its tests read) with ajv:
 * `nullable: true` becomes a "null" type, `x-*` / `example(s)` are dropped, the external `receipt`
 * $ref points at order-management.2.3.24.yml, and the documented live-API deltas are applied.
 */

export const SPEC_DIR = path.resolve(__dirname, "../../../spec")
export const EPAYMENT = "epayment.v1.yml"
export const WEBHOOKS = "webhooks.v1.yml"
export const ORDER_MANAGEMENT = "order-management.2.3.24.yml"
/** Hand-written fragment of what ePayment added after 1.4.1 (see its header); schemas only, no routes. */
export const EPAYMENT_ADDITIONS = "epayment-1.8-additions.yml"
const ORDER_MANAGEMENT_URL =
  "https://raw.githubusercontent.com/vippsas/vipps-order-management-api/2.3.24/docs/swagger.yaml"
const KNOWN_FORMATS = new Set([
  "date-time",
  "date",
  "uri",
  "uuid",
  "email",
  "int32",
  "int64",
  "float",
  "double",
  "byte",
])

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)

/** OpenAPI 3.0 schema → JSON Schema (draft-07 flavour), leaving property names alone. */
function toJsonSchema(node: unknown, doc: string, inProperties = false): unknown {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, doc))
  if (!isObject(node)) return node
  const out: Json = {}
  for (const [key, value] of Object.entries(node)) {
    if (inProperties) {
      out[key] = toJsonSchema(value, doc)
      continue
    }
    if (key.startsWith("x-") || key === "example" || key === "examples" || key === "nullable") continue
    if (key === "format" && typeof value === "string" && !KNOWN_FORMATS.has(value)) continue
    if (key === "$ref" && typeof value === "string") {
      out.$ref = value.startsWith(ORDER_MANAGEMENT_URL)
        ? `${ORDER_MANAGEMENT}${value.slice(ORDER_MANAGEMENT_URL.length)}`
        : value.startsWith("#")
          ? `${doc}${value}`
          : value
      continue
    }
    out[key] = toJsonSchema(value, doc, key === "properties" || key === "patternProperties")
  }
  if (node.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"]
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null]
  }
  return out
}

function load(file: string): Json {
  return toJsonSchema(parse(readFileSync(path.join(SPEC_DIR, file), "utf8")), file) as Json
}

function at(doc: Json, ...keys: string[]): Json {
  let node: unknown = doc
  for (const key of keys) {
    if (!isObject(node) || !(key in node)) throw new Error(`spec path not found: ${keys.join("/")}`)
    node = node[key]
  }
  return node as Json
}

/** The documented differences between spec 1.4.1 and the live API (fact sheet section 16), plus one spec bug. */
function applyLiveDeltas(epayment: Json): void {
  const schemas = at(epayment, "components", "schemas")
  for (const target of [
    at(schemas, "Reference"),
    at(epayment, "components", "parameters", "Payment-Reference-ID", "schema"),
  ]) {
    target.pattern = "^[a-zA-Z0-9-]{8,64}$"
    target.maxLength = 64
  }
  const event = at(schemas, "PaymentEvent")
  event.required = (event.required as string[]).map((name) => (name === "paymentAction" ? "name" : name))
  // Spec bug: the three Customer variants have no `required`, so any object matches all of them and
  // `oneOf` can never pass. Each variant is defined by its one property.
  at(schemas, "CustomerPhoneNumber").required = ["phoneNumber"]
  at(schemas, "PersonalQrCode").required = ["personalQr"]
  at(schemas, "CustomerToken").required = ["customerToken"]
}

export type SpecOperation = {
  spec: string
  operationId: string
  method: string
  template: string
  operation: Json
  parameters: Json[]
}

export class OpenApiValidator {
  readonly ajv = new Ajv({ strict: false, allErrors: true })
  readonly docs: Record<string, Json>
  private readonly cache = new Map<string, ValidateFunction>()
  private readonly routes: Array<{ regex: RegExp; prefix: string; op: SpecOperation }> = []

  constructor() {
    addFormats(this.ajv)
    const epayment = load(EPAYMENT)
    applyLiveDeltas(epayment)
    this.docs = {
      [EPAYMENT]: epayment,
      [WEBHOOKS]: load(WEBHOOKS),
      [ORDER_MANAGEMENT]: load(ORDER_MANAGEMENT),
      [EPAYMENT_ADDITIONS]: load(EPAYMENT_ADDITIONS),
    }
    for (const [name, doc] of Object.entries(this.docs)) this.ajv.addSchema(doc, name)
    this.indexRoutes(EPAYMENT, "")
    this.indexRoutes(WEBHOOKS, "/webhooks")
  }

  private indexRoutes(spec: string, prefix: string): void {
    for (const [template, item] of Object.entries(at(this.docs[spec], "paths"))) {
      const pathItem = item as Json
      const shared = (pathItem.parameters as Json[] | undefined) ?? []
      for (const method of ["get", "post", "put", "delete", "patch"]) {
        const operation = pathItem[method]
        if (!isObject(operation)) continue
        const parameters = [...shared, ...((operation.parameters as Json[] | undefined) ?? [])].map((p) =>
          this.deref(p),
        )
        const regex = new RegExp(`^${prefix}${template.replace(/\{[^}]+\}/g, "([^/]+)")}$`)
        this.routes.push({
          regex,
          prefix,
          op: {
            spec,
            operationId: String(operation.operationId ?? `${method} ${template}`),
            method,
            template,
            operation,
            parameters,
          },
        })
      }
    }
  }

  /** Follows a local `$ref` (already prefixed with the document name) to its object. */
  deref(node: Json): Json {
    const ref = node.$ref
    if (typeof ref !== "string") return node
    const [doc, pointer] = ref.split("#")
    return this.deref(at(this.docs[doc], ...pointer.split("/").filter(Boolean).map(decodeURIComponent)))
  }

  find(method: string, pathname: string): { op: SpecOperation; params: string[] } | undefined {
    for (const route of this.routes) {
      const m = route.regex.exec(pathname)
      if (m && route.op.method === method.toLowerCase()) return { op: route.op, params: m.slice(1) }
    }
    return undefined
  }

  validator(schema: unknown): ValidateFunction {
    const key = JSON.stringify(schema)
    let fn = this.cache.get(key)
    if (!fn) {
      fn = this.ajv.compile(schema as object)
      this.cache.set(key, fn)
    }
    return fn
  }

  /** Errors of `data` against `schema`, as readable strings (empty when valid). */
  check(schema: unknown, data: unknown): string[] {
    const fn = this.validator(schema)
    return fn(data)
      ? []
      : (fn.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`)
  }

  schemaRef(spec: string, name: string): Json {
    return { $ref: `${spec}#/components/schemas/${name}` }
  }
}
