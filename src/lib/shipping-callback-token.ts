import { createHmac } from "node:crypto"
import { sameSecret } from "./return-token"

/**
 * The Express shipping callback's `callbackAuthorizationToken`: Vipps MobilePay presents it on every call.
 * Made per payment from the registration's return-token key (a different purpose label, so it is not the
 * return token), so nothing is stored and a token proves one reference only.
 */
const PURPOSE = "express-shipping-callback/v1:"

export function shippingCallbackToken(key: Buffer, reference: string): string {
  return `Bearer ${createHmac("sha256", key).update(`${PURPOSE}${reference}`, "utf8").digest("base64url")}`
}

/**
 * Whether `presented` (the `Authorization` header, verbatim as documented, or the same value without its
 * "Bearer " prefix) is the token of `reference`. Constant time.
 */
export function isShippingCallbackToken(key: Buffer, reference: string, presented: unknown): boolean {
  if (typeof presented !== "string" || presented.length === 0 || presented.length > 300) return false
  const expected = shippingCallbackToken(key, reference)
  const given = presented.startsWith("Bearer ") ? presented : `Bearer ${presented}`
  return sameSecret(expected, given)
}
