import { z } from "zod"
import { CreatePaymentRequest, PAYMENT_METHOD_TYPES, PROFILE_SCOPES } from "../lib/vipps/schemas"
import { badRequest } from "./problems"
import type { SimulatorMerchant } from "./types"
import {
  checkAmountValue,
  checkCustomer,
  isAcceptableUrl,
  isAcceptableWebhookUrl,
  isObject,
  schemaError,
} from "./validation"

/**
 * The create-payment request checked as the real API does it: specific checks first (they carry the
 * documented numeric error codes), then the strict schema (plain 400 naming the field, no code).
 */

/** The create schema plus the optional fields the spec and live API know that our client never sends. */
export const SimCreatePaymentRequest = CreatePaymentRequest.extend({
  industryData: z
    .strictObject({
      airlineData: z
        .strictObject({
          agencyInvoiceNumber: z.string().min(1).max(6),
          airlineCode: z.string().length(3),
          airlineDesignatorCode: z.string().length(2),
          passengerName: z.string().min(1).max(49),
          ticketNumber: z.string().min(1).max(150).optional(),
        })
        .optional(),
    })
    .optional(),
})
export type SimCreatePaymentRequest = z.infer<typeof SimCreatePaymentRequest>

export const MIN_AMOUNT: Record<string, number> = { NOK: 100, DKK: 1, EUR: 1 }
export const MAX_METADATA_ENTRIES = 5
const MIN_EXPIRES_AHEAD_MS = 10 * 60 * 1000
const MAX_EXPIRES_AHEAD_MS = 60 * 24 * 60 * 60 * 1000

function checkMetadata(metadata: unknown): void {
  if (metadata === undefined || metadata === null) return
  if (!isObject(metadata)) throw badRequest("4130", "metadata must be an object of string pairs.")
  const entries = Object.entries(metadata)
  if (entries.length > MAX_METADATA_ENTRIES) {
    throw badRequest("4100", `metadata can hold at most ${MAX_METADATA_ENTRIES} key-value pairs.`)
  }
  for (const [key, value] of entries) {
    if (key.length > 100) throw badRequest("4110", "A metadata key is longer than 100 characters.")
    if (typeof value !== "string") throw badRequest("4130", "metadata values must be strings.")
    if (value.length > 500) throw badRequest("4120", "A metadata value is longer than 500 characters.")
  }
}

function checkScope(profile: unknown): void {
  if (!isObject(profile) || typeof profile.scope !== "string") return
  const scopes = profile.scope.split(" ").filter(Boolean)
  const unknown = scopes.filter((s) => !(PROFILE_SCOPES as readonly string[]).includes(s))
  if (unknown.length > 0 || scopes.length === 0) {
    throw badRequest("4080", `Invalid scope: ${unknown.join(" ") || "(empty)"}.`)
  }
  if (scopes.includes("nin"))
    throw badRequest("5030", "The sales unit is not allowed to request the nin scope.")
}

export type CreateValidationContext = { merchant: SimulatorMerchant; now: number; allowHttpUrls: boolean }

/** Validates a create-payment body; throws an ApiError with the real API's status and code. */
export function validateCreatePayment(body: unknown, ctx: CreateValidationContext): SimCreatePaymentRequest {
  if (!isObject(body)) throw badRequest(undefined, "The request body must be a JSON object.")
  for (const field of ["amount", "paymentMethod", "reference", "userFlow"]) {
    if (body[field] === undefined || body[field] === null) {
      throw badRequest("4140", `Missing required parameter: ${field}.`, [
        { name: field, reason: "The property is required and cannot be null or empty." },
      ])
    }
  }
  if (isObject(body.amount)) checkAmountValue(body.amount.value, "amount.value")
  checkCustomer(body.customer)
  for (const field of ["returnUrl", "receiptUrl"]) {
    if (
      body[field] !== undefined &&
      body[field] !== null &&
      !isAcceptableUrl(body[field], ctx.allowHttpUrls)
    ) {
      throw badRequest("4090", `${field} is not a valid URL (https:// or a custom scheme).`, [
        { name: field, reason: "Must use HTTPS or a custom URL scheme." },
      ])
    }
  }
  checkMetadata(body.metadata)
  checkScope(body.profile)
  checkLegalLinks(body.merchantLegalLinks, ctx.allowHttpUrls)
  const methodType = isObject(body.paymentMethod) ? body.paymentMethod.type : undefined
  if (!(PAYMENT_METHOD_TYPES as readonly unknown[]).includes(methodType)) {
    throw badRequest("4160", "Invalid payment method type.", [
      { name: "paymentMethod.type", reason: `Must be one of ${PAYMENT_METHOD_TYPES.join(", ")}.` },
    ])
  }

  const parsed = SimCreatePaymentRequest.safeParse(body)
  if (!parsed.success) throw schemaError(parsed.error)
  const request = parsed.data
  checkReceipt(request)
  checkFlowRules(request)
  checkMerchantRules(request, ctx)
  checkExpress(request, ctx)
  return request
}

/**
 * Express (1.8.0): WALLET only, a profile scope that includes `address`, exactly one of `fixedOptions` and
 * `dynamicOptions`, option prices in the payment currency, option ids unique, a sales unit allowed to.
 */
function checkExpress(request: SimCreatePaymentRequest, ctx: CreateValidationContext): void {
  const shipping = request.shipping
  if (!shipping) return
  if (ctx.merchant.allowExpress === false) {
    throw badRequest("5020", "Express payment not allowed for this sales unit.")
  }
  const invalid = (name: string, reason: string) =>
    badRequest(undefined, "One or more validation errors occurred.", [{ name, reason }])
  if (request.paymentMethod.type !== "WALLET") {
    throw invalid("paymentMethod.type", "Express payments need paymentMethod WALLET.")
  }
  const scopes = request.profile?.scope.split(" ").filter(Boolean) ?? []
  if (!scopes.includes("address")) {
    throw invalid("profile.scope", "Express payments need a profile scope that includes address.")
  }
  if (!!shipping.fixedOptions === !!shipping.dynamicOptions) {
    throw invalid("shipping", "Send exactly one of fixedOptions and dynamicOptions.")
  }
  if (
    shipping.dynamicOptions &&
    !isAcceptableWebhookUrl(shipping.dynamicOptions.callbackUrl, ctx.allowHttpUrls)
  ) {
    throw invalid("shipping.dynamicOptions.callbackUrl", "Must be a valid absolute HTTPS URL.")
  }
  if (shipping.fixedOptions)
    checkShippingGroups(shipping.fixedOptions, request.amount.currency, "shipping.fixedOptions")
}

/** Shipping groups (create request or callback answer): the payment's currency, unique option ids. */
export function checkShippingGroups(
  groups: { options: { id: string; amount: { currency: string; value: number } }[] }[],
  currency: string,
  field: string,
): void {
  const ids = new Set<string>()
  groups.forEach((group, g) =>
    group.options.forEach((option, o) => {
      if (option.amount.currency !== currency) {
        throw badRequest(undefined, "One or more validation errors occurred.", [
          {
            name: `${field}.${g}.options.${o}.amount.currency`,
            reason: `Must be ${currency}, as the payment.`,
          },
        ])
      }
      if (ids.has(option.id)) {
        throw badRequest(undefined, "One or more validation errors occurred.", [
          { name: `${field}.${g}.options.${o}.id`, reason: "Option ids must be unique across groups." },
        ])
      }
      ids.add(option.id)
    }),
  )
}

/** Order Management 2.3.24 requires `unitPrice` whenever `unitInfo` is given. */
function checkReceipt(request: SimCreatePaymentRequest): void {
  request.receipt?.orderLines.forEach((line, index) => {
    if (line.unitInfo && line.unitInfo.unitPrice === undefined) {
      throw badRequest(undefined, "One or more validation errors occurred.", [
        { name: `receipt.orderLines.${index}.unitInfo.unitPrice`, reason: "The property is required." },
      ])
    }
  })
}

function checkFlowRules(request: SimCreatePaymentRequest): void {
  if (request.userFlow === "PUSH_MESSAGE" && !request.customer) {
    throw badRequest("4140", "userFlow PUSH_MESSAGE requires customer.", [
      { name: "customer", reason: "Required when userFlow is PUSH_MESSAGE." },
    ])
  }
  if (request.userFlow === "WEB_REDIRECT" && !request.returnUrl) {
    throw badRequest("4140", "userFlow WEB_REDIRECT requires returnUrl.", [
      { name: "returnUrl", reason: "Required when userFlow is WEB_REDIRECT." },
    ])
  }
  if (request.paymentMethod.type === "CARD" && request.userFlow !== "WEB_REDIRECT") {
    throw badRequest("4160", "paymentMethod CARD can only be used with userFlow WEB_REDIRECT.")
  }
}

/** `merchantLegalLinks` (Oct 2026): absolute URLs the app can open (https; http on loopback if allowed). */
function checkLegalLinks(links: unknown, allowHttp: boolean): void {
  if (links === undefined || links === null) return
  if (!isObject(links)) throw badRequest(undefined, "merchantLegalLinks must be an object.")
  for (const field of ["termsOfSaleUrl", "privacyPolicyUrl"]) {
    const url = links[field]
    if (url === undefined) continue
    const web = typeof url === "string" && /^https?:\/\//i.test(url)
    if (!web || !isAcceptableUrl(url, allowHttp)) {
      throw badRequest("4090", `merchantLegalLinks.${field} is not a valid URL (https://).`, [
        { name: `merchantLegalLinks.${field}`, reason: "Must be an absolute HTTPS URL." },
      ])
    }
  }
}

const COUNTRY_OF_CURRENCY: Record<string, "NO" | "DK" | "FI"> = { NOK: "NO", DKK: "DK", EUR: "FI" }

function checkMerchantRules(request: SimCreatePaymentRequest, ctx: CreateValidationContext): void {
  const { merchant } = ctx
  if (request.paymentMethod.blockedSources) {
    const country = merchant.country ?? COUNTRY_OF_CURRENCY[request.amount.currency]
    if (country === "NO" || request.paymentMethod.type !== "WALLET") {
      throw badRequest(
        "5010",
        "Blocking sources not applicable: WALLET payments of Danish and Finnish sales units only.",
      )
    }
  }
  if (!merchant.currencies.includes(request.amount.currency)) {
    throw badRequest("5040", `Currency ${request.amount.currency} is not valid for this sales unit.`)
  }
  if (request.userFlow === "PUSH_MESSAGE" && merchant.allowPushMessage === false) {
    throw badRequest("5080", "PUSH_MESSAGE flow not allowed for this sales unit.")
  }
  if (request.amount.value < MIN_AMOUNT[request.amount.currency]) {
    throw badRequest(
      "6010",
      `The amount is too small: minimum is ${MIN_AMOUNT[request.amount.currency]} (minor units).`,
    )
  }
  if (request.expiresAt !== undefined && request.expiresAt !== null) {
    checkExpiresAt(request, request.expiresAt, ctx)
  }
}

function checkExpiresAt(
  request: SimCreatePaymentRequest,
  expiresAt: string,
  ctx: CreateValidationContext,
): void {
  if (request.paymentMethod.type === "CARD") {
    throw badRequest("4160", "Long-living payments cannot use paymentMethod CARD.")
  }
  if (request.userFlow !== "PUSH_MESSAGE" && request.userFlow !== "QR") {
    throw badRequest(undefined, "expiresAt can only be combined with userFlow PUSH_MESSAGE or QR.", [
      { name: "expiresAt", reason: "Only allowed with userFlow PUSH_MESSAGE or QR." },
    ])
  }
  if (ctx.merchant.allowLongLiving === false) {
    throw badRequest("5050", "ExpiresAt not allowed: the sales unit may not create long-living payments.")
  }
  if (!request.receipt) throw badRequest("6130", "A long-living payment (expiresAt) requires a receipt.")
  const at = Date.parse(expiresAt)
  if (at - ctx.now <= MIN_EXPIRES_AHEAD_MS) {
    throw badRequest("6120", "expiresAt must be more than 10 minutes in the future.")
  }
  if (at - ctx.now >= MAX_EXPIRES_AHEAD_MS) {
    throw badRequest("6110", "expiresAt must be less than 60 days in the future.")
  }
}
