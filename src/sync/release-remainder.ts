import type { IPaymentModuleService, Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { remainingToCapture } from "../providers/vipps/payment-state"
import { findRegistration } from "../providers/vipps/registration"
import { isVippsSessionData } from "../providers/vipps/session-data"
import { withReferenceLock } from "./lock"

type OrderPayments = {
  id: string
  payment_collections?: {
    payments?: { id: string; provider_id: string; data?: unknown; canceled_at?: string | null }[]
  }[]
}

/**
 * Releases what is still reserved at Vipps MobilePay for a canceled order. Medusa cancels payments with no
 * captures itself, but refunds a partly captured one and leaves its uncaptured rest reserved; this cancels
 * that payment through Medusa's payment module (the provider releases the rest, keyed by the payment id),
 * so Medusa's payment says canceled as Vipps does. Idempotent: under the reference lock, only when
 * something is still reserved.
 */
export async function releaseRemainderOfOrder(
  container: MedusaContainer,
  orderId: string,
): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "payment_collections.payments.id",
      "payment_collections.payments.provider_id",
      "payment_collections.payments.data",
      "payment_collections.payments.canceled_at",
    ],
    filters: { id: orderId },
  })
  const order = data[0] as OrderPayments | undefined
  const released: string[] = []
  for (const payment of (order?.payment_collections ?? []).flatMap((c) => c.payments ?? [])) {
    if (payment.canceled_at || !isVippsSessionData(payment.data)) continue
    const registration = findRegistration(container, payment.provider_id)
    if (!registration) continue
    const reference = payment.data.reference
    await withReferenceLock(container, reference, async () => {
      const vipps = await registration.client.epayment.getPayment(reference)
      if (vipps.state !== "AUTHORIZED" || remainingToCapture(vipps.aggregate) <= 0) return
      await paymentModule.cancelPayment(payment.id)
      released.push(reference)
      logger.info(
        `Vipps MobilePay released the uncaptured rest of ${reference} for canceled order ${orderId}`,
      )
    })
  }
  return released
}
