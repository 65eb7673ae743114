import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { listRegistrations } from "../../providers/vipps/registration"
import { isVippsSessionData } from "../../providers/vipps/session-data"
import { isExpressSession } from "../../sync/express"
import { fillCartFromProfile } from "../../sync/profile"
import { syncVippsPayment } from "../../sync/sync-payment"
import { type CompletingCart, completingCart } from "./completing-cart"

/**
 * Profile sharing on the storefront's path: `POST /store/carts/:id/complete` runs Medusa's
 * completeCartWorkflow, which reads the cart before it asks the provider to authorize, so the provider is too
 * late to add what the shopper shared. Before the workflow starts, when the cart's Vipps MobilePay session
 * belongs to a registration with `profileScope` and Vipps MobilePay says the payment is approved, the cart's
 * missing email and addresses are filled (`fillCartFromProfile`). Best effort: whatever happens here, the
 * completion goes ahead. An Express payment's cart is brought in line by the sync instead.
 */
export async function profileBeforeComplete(
  req: MedusaRequest,
  _res: MedusaResponse,
  next: MedusaNextFunction,
): Promise<void> {
  try {
    const cart = await completingCart(req)
    if (cart) await fillBeforeCompletion(req.scope, cart)
  } catch (error) {
    req.scope
      .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
      .warn(
        `Vipps MobilePay profile sharing before completing a cart failed: ${error instanceof Error ? error.name : "error"}`,
      )
  }
  next()
}

/** Fills the cart from the approved payment's shared profile; returns the cart fields filled. */
export async function fillBeforeCompletion(
  container: MedusaContainer,
  cart: CompletingCart,
): Promise<string[]> {
  const sessions = cart.payment_collection?.payment_sessions ?? []
  if (cart.completed_at || sessions.length === 0) return []

  const registrations = await listRegistrations(container)
  for (const session of sessions) {
    const registration = registrations.find((r) => r.providerId === session.provider_id)
    // Express: the sync fills the cart from the app's choice, checks the amount and completes it (or
    // releases the payment) under the reference lock; Medusa's completion then answers with that order.
    if (registration && isExpressSession(session.data)) {
      const outcome = await syncVippsPayment(container, registration, session.data.reference)
      return outcome.outcome === "authorized" ? ["express"] : []
    }
    if (!registration?.options.profileScope || !isVippsSessionData(session.data)) continue
    const payment = await registration.client.epayment.getPayment(session.data.reference)
    const { authorizedAmount, cancelledAmount } = payment.aggregate
    // Approved and still reserved: the order will be created from this cart.
    if (payment.state !== "AUTHORIZED" || cancelledAmount.value >= authorizedAmount.value) continue
    return fillCartFromProfile(container, registration, cart.id, payment)
  }
  return []
}
