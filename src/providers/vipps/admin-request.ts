import { createHmac } from "node:crypto"
import { sameSecret } from "../../lib/return-token"

/**
 * Proof that a payment session was started by the plugin's admin routes (a payment request staff send),
 * not by a storefront: base64url HMAC-SHA256 of the payment collection id, keyed by a key derived from the
 * registration's return-token key. Only the server holds the key, so a storefront cannot unlock what staff
 * may do: any user flow, `customerInteraction`, a receipt of the order. The grant is bound to one payment
 * collection and never stored: the provider replaces the session data with its own.
 */
const PURPOSE = "medusa-payment-vipps-mobilepay/admin-request/v1"

function grantKey(returnTokenKey: Buffer): Buffer {
  return createHmac("sha256", returnTokenKey).update(PURPOSE, "utf8").digest()
}

export function adminRequestGrant(returnTokenKey: Buffer, paymentCollectionId: string): string {
  return createHmac("sha256", grantKey(returnTokenKey))
    .update(paymentCollectionId, "utf8")
    .digest("base64url")
}

export function isAdminRequestGrant(
  returnTokenKey: Buffer,
  paymentCollectionId: string | undefined,
  grant: unknown,
): boolean {
  if (!paymentCollectionId || typeof grant !== "string" || grant.length === 0 || grant.length > 200)
    return false
  return sameSecret(adminRequestGrant(returnTokenKey, paymentCollectionId), grant)
}
