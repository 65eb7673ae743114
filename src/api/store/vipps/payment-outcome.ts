import type { MedusaContainer } from "@medusajs/framework/types"
import { SHOPPER_MESSAGES } from "../../../providers/vipps/errors"
import type { VippsSessionData } from "../../../providers/vipps/session-data"
import { cartOfSession, orderOfCart } from "../../../providers/vipps/links"

export type ShopperStatus = "pending" | "authorized" | "failed"

/** What the database says became of a payment; `settled` when nothing can change it any more. */
export type PaymentOutcome = {
  status: ShopperStatus
  settled: boolean
  cartId?: string
  orderId?: string
  failureReason?: string
}

type StoredPayment = { sessionId: string; status: string; data: VippsSessionData }

const GENERIC_FAILURE = "The payment did not go through. You can try again or choose another payment method."

/**
 * The outcome from Medusa's own rows, without asking Vipps MobilePay: authorized once the session is
 * authorized and its cart has become an order; failed once the session was cancelled or failed (or the
 * sync wrote a reason for the shopper); pending otherwise.
 */
export async function storedOutcome(
  container: MedusaContainer,
  stored: StoredPayment,
): Promise<PaymentOutcome> {
  const cartId = stored.data.cart_id ?? (await cartOfSession(container, stored.sessionId))
  if (stored.status === "authorized" || stored.status === "captured") {
    const orderId = cartId ? await orderOfCart(container, cartId) : undefined
    // Authorized but the cart is not an order yet: the sync is still at work.
    if (cartId && !orderId) return { status: "pending", settled: false, cartId }
    return { status: "authorized", settled: true, cartId, orderId }
  }
  if (stored.status === "canceled" || stored.status === "error" || stored.data.failureReason) {
    return {
      status: "failed",
      settled: true,
      cartId,
      failureReason: stored.data.failureReason ?? SHOPPER_MESSAGES[stored.data.state] ?? GENERIC_FAILURE,
    }
  }
  return { status: "pending", settled: false, cartId }
}
