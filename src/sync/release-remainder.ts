import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { idempotencyKey } from "../lib/reference"
import { resolveVippsProvider } from "../providers/vipps/registry"
import { isVippsSessionData } from "../providers/vipps/session-data"

type OrderPayments = {
  id: string
  payment_collections?: { payments?: { id: string; provider_id: string; data?: unknown }[] }[]
}

/**
 * Releases what is still reserved at Vipps MobilePay for a canceled order. Medusa cancels payments with no
 * captures itself, but refunds a partly captured one and leaves its uncaptured rest reserved; this releases
 * that rest (the checklist: cancel reservations that will not be captured). Idempotent: it reads the
 * remainder under the reference lock and sends a cancel keyed by the payment id only when something is left.
 */
export async function releaseRemainderOfOrder(
  container: MedusaContainer,
  orderId: string,
): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const locking = container.resolve(Modules.LOCKING)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "payment_collections.payments.id",
      "payment_collections.payments.provider_id",
      "payment_collections.payments.data",
    ],
    filters: { id: orderId },
  })
  const order = data[0] as OrderPayments | undefined
  const released: string[] = []
  for (const payment of (order?.payment_collections ?? []).flatMap((c) => c.payments ?? [])) {
    if (!payment.provider_id.startsWith("pp_vipps_") || !isVippsSessionData(payment.data)) continue
    const registration = resolveVippsProvider(container, payment.provider_id.slice("pp_vipps_".length))
    if (!registration) continue
    const reference = payment.data.reference
    await locking.execute(
      `vipps:${reference}`,
      async () => {
        const vipps = await registration.provider.vipps.epayment.getPayment(reference)
        const { authorizedAmount, capturedAmount, cancelledAmount } = vipps.aggregate
        const remaining = authorizedAmount.value - capturedAmount.value - cancelledAmount.value
        if (vipps.state !== "AUTHORIZED" || remaining <= 0) return
        await registration.provider.vipps.epayment.cancelPayment(
          reference,
          idempotencyKey("cancel-rest", payment.id),
        )
        released.push(reference)
        logger.info(
          `Vipps MobilePay released the uncaptured rest of ${reference} for canceled order ${orderId}`,
        )
      },
      { timeout: 30, expire: 120 },
    )
  }
  return released
}
