import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { listRegistrations } from "../../providers/vipps/registration"
import { isVippsSessionData } from "../../providers/vipps/session-data"
import { isExpressSession } from "../../sync/express"
import { fillCartFromProfile } from "../../sync/profile"
import { syncVippsPayment } from "../../sync/sync-payment"

type CompletingCart = {
  id: string
  completed_at?: string | null
  payment_collection?: {
    payment_sessions?: { id: string; provider_id: string; status?: string; data?: unknown }[] | null
  } | null
}

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
    const cartId = req.params?.id
    if (typeof cartId === "string" && /^cart_[A-Za-z0-9]+$/.test(cartId)) {
      await fillBeforeCompletion(req.scope, cartId)
    }
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
export async function fillBeforeCompletion(container: MedusaContainer, cartId: string): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: [
      "id",
      "completed_at",
      "payment_collection.payment_sessions.id",
      "payment_collection.payment_sessions.provider_id",
      "payment_collection.payment_sessions.status",
      "payment_collection.payment_sessions.data",
    ],
    filters: { id: cartId },
  })
  const cart = data[0] as CompletingCart | undefined
  const sessions = cart?.payment_collection?.payment_sessions ?? []
  if (!cart || cart.completed_at || sessions.length === 0) return []

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
    return fillCartFromProfile(container, registration, cartId, payment)
  }
  return []
}
