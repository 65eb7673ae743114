import { z } from "zod"
import {
  CancelRequest,
  ForceApproveRequest,
  MAX_AMOUNT_VALUE,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MSISDN_PATTERN,
  ModificationRequest,
  RegisterWebhookRequest,
} from "../lib/vipps/schemas"
import { ApiError, badRequest, type ExtraDetail } from "./problems"

/**
 * Request validation as the real API does it: specific checks first (they carry the documented numeric
 * error codes), then the strict schema from lib/vipps/schemas.ts (plain 400 naming the field, no code).
 */

type Headers = Record<string, string | string[] | undefined>

const FORBIDDEN_SCHEMES = new Set(["javascript:", "data:", "file:", "vbscript:", "blob:", "about:"])
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"])
const VIPPS_SYSTEM_HEADERS = [
  "vipps-system-name",
  "vipps-system-version",
  "vipps-system-plugin-name",
  "vipps-system-plugin-version",
]

export function headerValue(headers: Headers, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

function missingHeader(name: string): ApiError {
  return badRequest(undefined, `The header ${name} is required.`, [
    { name, reason: "The header is required and cannot be empty." },
  ])
}

/** Headers every ePayment / Webhooks call needs. Returns the MSN and the Idempotency-Key (if required). */
export function validateApiHeaders(
  headers: Headers,
  options: { idempotencyKey: boolean; merchantSerialNumber: boolean },
): { msn: string | undefined; idempotencyKey: string | undefined } {
  if (!headerValue(headers, "ocp-apim-subscription-key")) throw missingHeader("Ocp-Apim-Subscription-Key")
  const msn = headerValue(headers, "merchant-serial-number")
  if (options.merchantSerialNumber && !msn) throw missingHeader("Merchant-Serial-Number")
  if (msn !== undefined && !/^\d{4,7}$/.test(msn)) {
    throw badRequest(undefined, "Merchant-Serial-Number must be 4-7 digits.", [
      { name: "Merchant-Serial-Number", reason: "Must match ^[0-9]{4,7}$." },
    ])
  }
  for (const name of VIPPS_SYSTEM_HEADERS) {
    const value = headerValue(headers, name)
    if (value !== undefined && value.length > 30) {
      throw badRequest(undefined, `The header ${name} is longer than 30 characters.`, [
        { name, reason: "Maximum length is 30 characters." },
      ])
    }
  }
  const idempotencyKey = headerValue(headers, "idempotency-key")
  if (options.idempotencyKey && !idempotencyKey) throw missingHeader("Idempotency-Key")
  if (idempotencyKey !== undefined && idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw badRequest(undefined, `Idempotency-Key is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`, [
      { name: "Idempotency-Key", reason: `Maximum length is ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.` },
    ])
  }
  return { msn, idempotencyKey }
}

/** `https://`, a custom app scheme, or `http://` on a loopback host (or any host when allowed). */
export function isAcceptableUrl(value: unknown, allowHttp: boolean): boolean {
  if (typeof value !== "string" || value.length === 0 || value.length > 2500 || /\s/.test(value)) return false
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  if (url.protocol === "https:") return url.hostname.length > 0
  if (url.protocol === "http:")
    return url.hostname.length > 0 && (allowHttp || LOOPBACK_HOSTS.has(url.hostname))
  return !FORBIDDEN_SCHEMES.has(url.protocol) && /^[a-z][a-z0-9+.-]*:$/i.test(url.protocol)
}

/** A webhook URL must be absolute http(s); plain http only on loopback unless allowed. */
export function isAcceptableWebhookUrl(value: unknown, allowHttp: boolean): boolean {
  if (!isAcceptableUrl(value, allowHttp)) return false
  const protocol = new URL(value as string).protocol
  return protocol === "https:" || protocol === "http:"
}

function fieldDetails(error: z.ZodError): ExtraDetail[] {
  return error.issues.map((issue) => ({
    name: issue.path.length > 0 ? issue.path.join(".") : "body",
    reason: issue.message,
  }))
}

export function schemaError(error: z.ZodError): ApiError {
  return badRequest(undefined, "One or more validation errors occurred.", fieldDetails(error))
}

export function checkAmountValue(value: unknown, field: string): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_AMOUNT_VALUE) {
    throw badRequest(
      "4040",
      `${field} must be an integer in minor units between 0 and ${MAX_AMOUNT_VALUE}.`,
      [{ name: field, reason: "Invalid amount." }],
    )
  }
}

export function checkCustomer(customer: unknown): void {
  if (!isObject(customer)) return
  if ("phoneNumber" in customer) {
    const phone = customer.phoneNumber
    if (typeof phone !== "string" || !MSISDN_PATTERN.test(phone)) {
      throw badRequest("4070", "The phone number is invalid (MSISDN: digits only, 10-15, no '+').", [
        { name: "customer.phoneNumber", reason: "Must match ^\\d{10,15}$." },
      ])
    }
  }
  if ("personalQr" in customer) {
    const qr = customer.personalQr
    if (typeof qr !== "string" || qr.length < 5 || qr.length > 255) {
      throw badRequest("4060", "The parameter PersonalQr is invalid.")
    }
  }
  if ("customerToken" in customer) {
    const token = customer.customerToken
    if (typeof token !== "string" || token.length === 0) {
      throw badRequest("4050", "The customer token is invalid.")
    }
  }
}

/** Capture / refund body. */
export function validateModification(body: unknown): ModificationRequest {
  if (!isObject(body) || body.modificationAmount === undefined || body.modificationAmount === null) {
    throw badRequest("4140", "Missing required parameter: modificationAmount.", [
      { name: "modificationAmount", reason: "The property is required and cannot be null or empty." },
    ])
  }
  if (isObject(body.modificationAmount)) {
    checkAmountValue(body.modificationAmount.value, "modificationAmount.value")
  }
  const parsed = ModificationRequest.safeParse(body)
  if (!parsed.success) throw schemaError(parsed.error)
  if (parsed.data.modificationAmount.value <= 0) {
    throw badRequest("4040", "modificationAmount.value must be greater than 0.")
  }
  return parsed.data
}

export function validateCancel(body: unknown): CancelRequest {
  if (body === undefined) return {}
  const parsed = CancelRequest.safeParse(body)
  if (!parsed.success) throw schemaError(parsed.error)
  return parsed.data
}

export function validateForceApprove(body: unknown): ForceApproveRequest {
  if (body === undefined) return {}
  if (isObject(body)) checkCustomer(body.customer)
  const parsed = ForceApproveRequest.safeParse(body)
  if (!parsed.success) throw schemaError(parsed.error)
  return parsed.data
}

/** Event names the Webhooks API accepts: any `<area>.<thing>...v<n>` (only ePayment events are sent). */
const EVENT_NAME_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+\.v\d+$/

export function validateRegisterWebhook(body: unknown, allowHttpUrls: boolean): RegisterWebhookRequest {
  const parsed = RegisterWebhookRequest.safeParse(body)
  if (!parsed.success) throw schemaError(parsed.error)
  if (!isAcceptableWebhookUrl(parsed.data.url, allowHttpUrls)) {
    throw badRequest(undefined, "url must be a valid, absolute HTTPS URL.", [
      { name: "url", reason: "Must be a valid absolute URL using HTTPS." },
    ])
  }
  const invalid = parsed.data.events.filter((event) => !EVENT_NAME_PATTERN.test(event))
  if (invalid.length > 0) {
    throw badRequest(undefined, `Unknown event type(s): ${invalid.join(", ")}.`, [
      { name: "events", reason: "Contains unknown event types." },
    ])
  }
  return parsed.data
}
