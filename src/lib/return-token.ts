import { createHash, createHmac, timingSafeEqual } from "node:crypto"

/**
 * The return token: proof that whoever asks about a payment started it. The plugin adds
 * `vipps_token=<token>` to the returnUrl it sends to Vipps MobilePay, so the browser that comes back from
 * the app holds it; a reference alone (it shows up in logs, links and reports) grants nothing.
 *
 * token = base64url(HMAC-SHA256(key, reference)), key = HMAC-SHA256(client secret, purpose label): the
 * key never leaves the server, and a token says nothing about the client secret.
 */

export const RETURN_TOKEN_PARAM = "vipps_token"
const KEY_PURPOSE = "medusa-payment-vipps-mobilepay/return-token/v1"

/** The key return tokens of one registration are made with, derived from its client secret. */
export function deriveReturnTokenKey(clientSecret: string): Buffer {
  return createHmac("sha256", Buffer.from(clientSecret, "utf8")).update(KEY_PURPOSE, "utf8").digest()
}

export function returnToken(key: Buffer, reference: string): string {
  return createHmac("sha256", key).update(reference, "utf8").digest("base64url")
}

/** Whether `token` is the return token of `reference` (constant time, whatever the token's length). */
export function isReturnToken(key: Buffer, reference: string, token: unknown): boolean {
  if (typeof token !== "string" || token.length === 0 || token.length > 200) return false
  return sameSecret(returnToken(key, reference), token)
}

/** Compares two secrets without leaking through timing where they differ or how long they are. */
export function sameSecret(expected: string, given: string): boolean {
  const a = createHash("sha256").update(expected, "utf8").digest()
  const b = createHash("sha256").update(given, "utf8").digest()
  return timingSafeEqual(a, b)
}

/**
 * `url` with `vipps_token=<token>` added to its query (before any fragment), for http(s) and app-scheme
 * URLs alike; a token already in the URL is replaced, never doubled.
 */
export function withReturnToken(url: string, token: string): string {
  const hashAt = url.indexOf("#")
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt)
  const hash = hashAt === -1 ? "" : url.slice(hashAt)
  const queryAt = beforeHash.indexOf("?")
  const base = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt)
  const kept = (queryAt === -1 ? "" : beforeHash.slice(queryAt + 1))
    .split("&")
    .filter((pair) => pair !== "" && pair.split("=")[0] !== RETURN_TOKEN_PARAM)
  kept.push(`${RETURN_TOKEN_PARAM}=${encodeURIComponent(token)}`)
  return `${base}?${kept.join("&")}${hash}`
}
