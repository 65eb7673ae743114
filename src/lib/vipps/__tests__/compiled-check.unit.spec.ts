import { z } from "zod"
import { compileCheck, fastSafeParse } from "../compiled-check"
import * as schemas from "../schemas"
import { seededRandom } from "../../../simulator/random"

/** Every zod schema of the ePayment shapes, by name. */
const ALL = (Object.entries(schemas) as [string, unknown][]).filter(
  (entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType,
)

const STRINGS = [
  "",
  "a",
  "ab",
  "abc",
  "NOK",
  "EUR",
  "WALLET",
  "WEB_REDIRECT",
  "AUTHORIZED",
  "12345678",
  "4712345678",
  "ref-2026-11-30-a",
  "x".repeat(64),
  "x".repeat(65),
  "x".repeat(101),
  "2026-11-30T12:00:00Z",
  "2026-11-30",
  "1.5",
  "2",
  "https://shop.example/return",
  "http://shop.example/terms",
  "PCS",
]
const NUMBERS = [0, 1, -1, 1.5, 100, 2000, 2001, 65_000_000, 65_000_001, NaN, Infinity, 2 ** 53]

type Def = {
  type: string
  checks?: { _zod: { def: { pattern?: RegExp } } }[]
  shape?: Record<string, z.ZodType>
  innerType?: z.ZodType
  element?: z.ZodType
  options?: z.ZodType[]
  valueType?: z.ZodType
  entries?: Record<string, string>
  values?: unknown[]
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def

/** A value shaped like `schema` most of the time, with wrong types, extra and missing keys now and then. */
function sample(schema: z.ZodType, next: () => number, noise: number, depth = 0): unknown {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]
  if (next() < noise) return pick([null, undefined, "x", 1, true, [], {}])
  const def = defOf(schema)
  switch (def.type) {
    case "string": {
      // Mostly a string its patterns accept, when the pool has one.
      const patterns = (def.checks ?? []).flatMap((check) => check._zod.def.pattern ?? [])
      const fitting = STRINGS.filter((text) => patterns.every((pattern) => pattern.test(text)))
      return fitting.length > 0 && next() < 0.8 ? pick(fitting) : pick(STRINGS)
    }
    case "number":
      return next() < 0.7 ? pick([0, 1, 100]) : pick(NUMBERS)
    case "boolean":
      return next() < 0.5
    case "enum":
      return next() < 0.9 ? pick(Object.values(def.entries!)) : pick(STRINGS)
    case "literal":
      return pick(def.values!)
    case "optional":
      return next() < 0.5 ? undefined : sample(def.innerType!, next, noise, depth)
    case "nullable":
      return next() < 0.2 ? null : sample(def.innerType!, next, noise, depth)
    case "array":
      return depth > 4
        ? []
        : Array.from({ length: Math.floor(next() * 3) }, () => sample(def.element!, next, noise, depth + 1))
    case "union":
      return sample(pick(def.options!), next, noise, depth)
    case "record":
      return next() < 0.5 ? {} : { [pick(STRINGS)]: sample(def.valueType!, next, noise, depth + 1) }
    case "object": {
      const value: Record<string, unknown> = {}
      for (const [key, property] of Object.entries(def.shape!)) {
        if (next() < noise) continue
        const item = sample(property, next, noise, depth + 1)
        // Mostly an absent key for undefined, as JSON has it; now and then present and undefined.
        if (item !== undefined || next() < 0.1) value[key] = item
      }
      if (next() < noise * 2) value[pick(["extra", "currency", "zzz"])] = pick(STRINGS)
      return value
    }
    default:
      return pick([undefined, "x", 1, { a: 1 }, null])
  }
}

describe("compiled checks of the ePayment schemas", () => {
  it("never accept what zod refuses or would return changed (property test, 6,000 values per schema)", () => {
    const accepted: Record<string, number> = {}
    for (const [name, schema] of ALL) {
      const check = compileCheck(schema)
      if (!check) continue
      // Seeded, so a failure names values that reproduce it.
      const next = seededRandom(name.length * 7919)
      accepted[name] = 0
      for (let i = 0; i < 6_000; i++) {
        // A third with much noise, the rest with little, so both sides of every check are reached.
        const value = sample(schema, next, i % 3 === 0 ? 0.06 : 0.005)
        if (!check(value)) continue
        accepted[name]++
        const parsed = schema.safeParse(value)
        if (!parsed.success || !equal(parsed.data, value)) {
          throw new Error(
            `${name}: the compiled check accepted ${JSON.stringify(value)}; zod: ${parsed.success ? JSON.stringify(parsed.data) : parsed.error.message}`,
          )
        }
      }
    }
    // The shapes of every hot call compile, and the samples reach their accepting side.
    for (const name of [
      "CreatePaymentRequest",
      "Amount",
      "ModificationRequest",
      "CancelRequest",
      "CreatePaymentResponse",
      "ModificationResponse",
      "PaymentEvent",
      "Problem",
    ]) {
      expect(accepted[name]).toBeGreaterThan(50)
    }
  })

  it("accept the requests the provider sends and the answers Vipps MobilePay gives, as zod parses them", () => {
    const create = {
      amount: { currency: "NOK", value: 49900 },
      paymentMethod: { type: "WALLET" },
      reference: "order-2026-11-30-0001",
      userFlow: "WEB_REDIRECT",
      returnUrl: "https://shop.example/vipps/return?reference=order-2026-11-30-0001",
      customer: { phoneNumber: "4712345678" },
      customerInteraction: "CUSTOMER_NOT_PRESENT",
      paymentDescription: "Order at Demo Store",
      profile: { scope: "name email" },
      metadata: { cart_id: "cart_01" },
      minimumUserAge: 18,
      receipt: {
        orderLines: [
          {
            name: "Mug",
            id: "variant_01",
            totalAmount: 49900,
            totalAmountExcludingTax: 39920,
            totalTaxAmount: 9980,
            taxPercentage: 25,
            unitInfo: { unitPrice: 24950, quantity: "2", quantityUnit: "PCS" },
          },
        ],
        bottomLine: { currency: "NOK" },
      },
    }
    const modification = { ...modificationLike(), newField: { from: "a later API" } }
    const cases: [z.ZodType, unknown][] = [
      [schemas.CreatePaymentRequest, create],
      [schemas.ModificationRequest, { modificationAmount: { currency: "DKK", value: 100 } }],
      [schemas.CancelRequest, { cancelTransactionOnly: false }],
      [schemas.CreatePaymentResponse, { reference: "r", redirectUrl: "https://x.example", more: 1 }],
      [schemas.ModificationResponse, modification],
      [schemas.AccessTokenResponse, { token_type: "Bearer", expires_in: "86398", access_token: "eyJ0" }],
    ]
    for (const [schema, value] of cases) {
      expect(compileCheck(schema)!(value)).toBe(true)
      expect(schema.parse(value)).toStrictEqual(value)
    }
  })

  it("leave to zod what they cannot decide: https links, transforms, unknown keys, present-but-undefined keys", () => {
    const base = {
      amount: { currency: "NOK", value: 100 },
      paymentMethod: { type: "WALLET" },
      reference: "order-0000001",
      userFlow: "QR",
    }
    const create = compileCheck(schemas.CreatePaymentRequest)!
    expect(create(base)).toBe(true)
    expect(create({ ...base, merchantLegalLinks: { termsOfSaleUrl: "https://shop.example/terms" } })).toBe(
      false,
    )
    expect(create({ ...base, amount: { currency: "NOK", value: 100, extra: 1 } })).toBe(false)
    expect(create({ ...base, returnUrl: undefined })).toBe(false)
    expect(create({ ...base, reference: "short" })).toBe(false)
    const payment = compileCheck(schemas.GetPaymentResponse)!
    const read = { ...modificationLike(), paymentMethod: { type: "WALLET" }, profile: {} }
    expect(payment(read)).toBe(true)
    expect(payment({ ...read, captureGuaranteedUntil: "2026-12-14T12:00:00Z" })).toBe(false)

    // fastSafeParse: zod's answer whenever the check says no, so errors read as before.
    const parse = fastSafeParse(schemas.CreatePaymentRequest)
    const refused = parse({ ...base, reference: "short" })
    expect(refused.success).toBe(false)
    const links = { ...base, merchantLegalLinks: { termsOfSaleUrl: "http://shop.example/terms" } }
    expect(parse(links).success).toBe(false)
    const accepted = parse(base)
    expect(accepted.success && accepted.data).toBe(base)
  })
})

function modificationLike() {
  return {
    amount: { currency: "NOK", value: 49900 },
    state: "AUTHORIZED",
    aggregate: {
      authorizedAmount: { currency: "NOK", value: 49900 },
      cancelledAmount: { currency: "NOK", value: 0 },
      capturedAmount: { currency: "NOK", value: 49900 },
      refundedAmount: { currency: "NOK", value: 0 },
    },
    pspReference: "psp-1",
    reference: "order-2026-11-30-0001",
  }
}

/** Structural equality that tells an absent key from one present with undefined, as JSON would not. */
function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  return ka.every(
    (key) => key in b && equal((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  )
}
