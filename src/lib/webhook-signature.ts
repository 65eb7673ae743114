import { createHash, createHmac, timingSafeEqual } from "node:crypto"

/**
 * Vipps MobilePay webhook request signing (HMAC-SHA256), as the Webhooks API signs every delivery.
 * Shared by the webhook route (verify) and the simulator (sign), so both run the same algorithm.
 */

export const SIGNED_HEADERS = "x-ms-date;host;x-ms-content-sha256"
const AUTHORIZATION_PREFIX = `HMAC-SHA256 SignedHeaders=${SIGNED_HEADERS}&Signature=`

export type WebhookSignatureInput = {
  /** The secret string exactly as returned at registration (never base64-decoded). */
  secret: string
  /** Path plus query of the registered webhook URL, e.g. `/hooks/vipps/vipps?store=main`. */
  pathAndQuery: string
  /** Host of the registered URL, with `:port` only when it is not the scheme's default. */
  host: string
  /** The `x-ms-date` header value, verbatim (RFC 1123). */
  date: string
  /** The raw request body bytes as sent. */
  body: Buffer | string
}

export type WebhookSignature = {
  contentHash: string
  stringToSign: string
  signature: string
  authorization: string
}

export function contentHash(body: Buffer | string): string {
  return createHash("sha256").update(body).digest("base64")
}

export function signWebhook(input: WebhookSignatureInput): WebhookSignature {
  const hash = contentHash(input.body)
  const stringToSign = `POST\n${input.pathAndQuery}\n${input.date};${input.host};${hash}`
  const signature = createHmac("sha256", Buffer.from(input.secret, "utf8"))
    .update(stringToSign, "utf8")
    .digest("base64")
  return { contentHash: hash, stringToSign, signature, authorization: AUTHORIZATION_PREFIX + signature }
}

/** Headers a delivery carries (Node lower-cases incoming names). */
export function webhookHeaders(input: WebhookSignatureInput): Record<string, string> {
  const signed = signWebhook(input)
  return {
    host: input.host,
    "x-ms-date": input.date,
    "x-ms-content-sha256": signed.contentHash,
    authorization: signed.authorization,
  }
}

export type WebhookVerificationFailure =
  "missing_headers" | "content_hash_mismatch" | "signature_mismatch" | "stale_date" | "invalid_date"

export type WebhookVerificationResult = { ok: true } | { ok: false; reason: WebhookVerificationFailure }

export type VerifyWebhookInput = {
  secret: string
  pathAndQuery: string
  host: string
  body: Buffer | string
  /** Incoming headers, lower-cased names (as Node gives them). */
  headers: Record<string, string | string[] | undefined>
  /** Allowed clock difference for `x-ms-date`, in milliseconds. Default 5 minutes; `Infinity` disables. */
  toleranceMs?: number
  now?: Date
}

function header(headers: VerifyWebhookInput["headers"], name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8")
  const right = Buffer.from(b, "utf8")
  // Equal lengths first: timingSafeEqual throws otherwise, and the length of our own value is not secret.
  return left.length === right.length && timingSafeEqual(left, right)
}

export function verifyWebhook(input: VerifyWebhookInput): WebhookVerificationResult {
  const date = header(input.headers, "x-ms-date")
  const claimedHash = header(input.headers, "x-ms-content-sha256")
  // Some proxies hide Authorization from the application; Vipps MobilePay also sends X-Vipps-Authorization.
  const authorization =
    header(input.headers, "authorization") ?? header(input.headers, "x-vipps-authorization")
  if (!date || !claimedHash || !authorization) {
    return { ok: false, reason: "missing_headers" }
  }

  const tolerance = input.toleranceMs ?? 5 * 60 * 1000
  if (Number.isFinite(tolerance)) {
    const sent = Date.parse(date)
    if (Number.isNaN(sent)) {
      return { ok: false, reason: "invalid_date" }
    }
    const now = (input.now ?? new Date()).getTime()
    if (Math.abs(now - sent) > tolerance) {
      return { ok: false, reason: "stale_date" }
    }
  }

  const expected = signWebhook({ ...input, date })
  if (!constantTimeEquals(expected.contentHash, claimedHash)) {
    return { ok: false, reason: "content_hash_mismatch" }
  }
  if (!constantTimeEquals(expected.authorization, authorization)) {
    return { ok: false, reason: "signature_mismatch" }
  }
  return { ok: true }
}
