import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYMENT_CHECK_EVENT, type PaymentCheck } from "../providers/vipps/events"
import { findRegistration } from "../providers/vipps/registration"
import { findReferenceOwner } from "../sync/find-registration"
import { loggable, SyncError, syncVippsPayment } from "../sync/sync-payment"

/**
 * The webhook inbox: syncs a payment a verified webhook (or a refused capture or refund) named. A failure
 * is thrown so the Redis event bus retries; whatever is still out of line is the reconciler's next visit.
 */
export default async function vippsPaymentCheck({ event, container }: SubscriberArgs<PaymentCheck>) {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const { reference, cause } = event.data
  const registration = event.data.provider_id
    ? findRegistration(container, event.data.provider_id)
    : (await findReferenceOwner(container, reference))?.registration
  if (!registration) return
  try {
    const result = await syncVippsPayment(container, registration, reference, { cause })
    const why = "reason" in result ? ` (${result.reason})` : ""
    logger.info(`Vipps MobilePay ${cause} for ${reference}: ${result.outcome}${why}`)
  } catch (error) {
    const message = loggable(error)
    if (error instanceof SyncError) {
      logger.info(
        `Vipps MobilePay ${cause} for ${reference}: not in line yet (${message}); reconciliation retries`,
      )
      return
    }
    logger.warn(`Vipps MobilePay ${cause} for ${reference} not processed: ${message}`)
    throw error
  }
}

export const config: SubscriberConfig = {
  event: PAYMENT_CHECK_EVENT,
  context: { subscriberId: "vipps-mobilepay-payment-check" },
}
