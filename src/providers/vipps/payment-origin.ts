import { MedusaError } from "@medusajs/framework/utils"
import type { Currency, Receipt } from "../../lib/vipps/schemas"
import { isAdminRequestGrant } from "./admin-request"
import { cartOfPayment } from "./cart-lookup"
import { cartMinimumUserAge } from "./minimum-age"
import { orderReceipt } from "./order-receipt"
import { buildReceipt } from "./receipt"

/** The payment module's session service, as the provider's container holds it. */
export type PaymentSessionLookup = {
  retrieve(id: string, config: { select: string[] }): Promise<{ payment_collection_id?: string }>
}

/** What a new payment pays for: a shopper's cart, or an order staff sent a payment request for. */
export type PaymentOrigin = {
  cartId?: string
  collectionId?: string
  /** Staff sent the request from the admin (the admin-request grant proved it). */
  byStaff: boolean
  receipt?: Receipt
  /** The highest age limit of the cart's products, when any. */
  minimumUserAge?: number
}

async function paymentCollectionOf(
  sessions: PaymentSessionLookup | undefined,
  sessionId: string,
): Promise<string | undefined> {
  try {
    return (await sessions?.retrieve(sessionId, { select: ["id", "payment_collection_id"] }))
      ?.payment_collection_id
  } catch {
    return undefined
  }
}

/**
 * The cart or order behind a new payment session. A request staff send from the admin (no cart: an order's
 * collection) carries the admin-request grant; a storefront cannot make one, so a wrong grant is refused.
 */
export async function paymentOrigin(
  sessions: PaymentSessionLookup | undefined,
  returnTokenKey: Buffer,
  sessionId: string,
  adminRequest: string | undefined,
  currency: Currency,
  value: number,
): Promise<PaymentOrigin> {
  const collectionId = await paymentCollectionOf(sessions, sessionId)
  const cart = collectionId ? await cartOfPayment(collectionId) : undefined
  const byStaff = adminRequest !== undefined
  if (byStaff && !isAdminRequestGrant(returnTokenKey, collectionId, adminRequest)) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "adminRequest is not valid for this payment collection",
    )
  }
  const receipt = cart
    ? buildReceipt(cart, currency, value)
    : byStaff
      ? await orderReceipt(collectionId, currency, value)
      : undefined
  return {
    cartId: cart?.id,
    collectionId,
    byStaff,
    receipt,
    minimumUserAge: cart ? cartMinimumUserAge(cart.items) : undefined,
  }
}
