import type { ICacheService, IPaymentModuleService, Logger, MedusaContainer } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  MedusaError,
  Modules,
  PaymentSessionStatus,
} from "@medusajs/framework/utils"
import { referenceKey } from "../lib/reference"
import type { GetPaymentResponse } from "../lib/vipps/schemas"
import { remainingToCapture, withPayment } from "../providers/vipps/payment-state"
import type { VippsRegistration } from "../providers/vipps/registration"
import type { VippsSessionData } from "../providers/vipps/session-data"
import { ATTENTION_KEY, type Attention, flagForStaff } from "./attention"

/** What the shopper reads on the return page. */
export const UNORDERABLE_MESSAGE =
  "Your payment was approved, but we could not complete your order (for example, an item sold out). The reserved amount has been released and nothing was charged. Please review your cart and try again."

/** Errors that say the cart itself cannot become an order; anything else may pass on a later attempt. */
const DEFINITE = new Set<string>([
  MedusaError.Types.INVALID_DATA,
  MedusaError.Types.NOT_ALLOWED,
  MedusaError.Types.NOT_FOUND,
  MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR,
])

export function isDefiniteFailure(error: unknown): boolean {
  return MedusaError.isMedusaError(error) && DEFINITE.has((error as MedusaError).type)
}

export function isReleasedUnorderable(metadata: Record<string, unknown> | null | undefined): boolean {
  return (metadata?.[ATTENTION_KEY] as Attention | undefined)?.reason === "released_unorderable"
}

/**
 * Counts failed completions of one approved payment in Medusa's cache (Redis in production, shared by all
 * processes). Losing the count only means a few more attempts; a definite failure releases at once anyway.
 */
export async function completionFailed(container: MedusaContainer, reference: string): Promise<number> {
  const cache = container.resolve<ICacheService>(Modules.CACHE, { allowUnregistered: true } as never)
  if (!cache) return Number.MAX_SAFE_INTEGER
  const key = `vipps:completion-failures:${reference}`
  const attempts = ((await cache.get<number>(key)) ?? 0) + 1
  await cache.set(key, attempts, 7 * 24 * 3600)
  return attempts
}

type Session = {
  id: string
  amount: unknown
  currency_code: string
  status: string
  data: VippsSessionData
  metadata?: Record<string, unknown> | null
}

/**
 * An approved payment whose cart cannot become an order is released, not held until its capture deadline:
 * cancel at Vipps MobilePay (keyed by the session, so a retry is safe), mark the session failed with words
 * the shopper understands, and flag it for staff.
 */
export async function releaseUnorderable(
  container: MedusaContainer,
  { client }: VippsRegistration,
  session: Session,
  vipps: GetPaymentResponse,
  why: string,
): Promise<{ outcome: "released"; reason: string }> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  let after = vipps
  if (remainingToCapture(vipps.aggregate) > 0) {
    const released = await client.epayment.cancelPayment(
      vipps.reference,
      referenceKey("unorderable", vipps.reference),
    )
    after = { ...vipps, state: released.state, aggregate: released.aggregate }
  }
  const [current] = await paymentModule.listPaymentSessions({ id: session.id }, { relations: ["payment"] })
  if (current?.payment && !current.payment.canceled_at) {
    // Medusa's payment of a cart that never became an order: cancel it too (Vipps is released already).
    await paymentModule.cancelPayment(current.payment.id)
  }
  const currency = vipps.amount.currency
  await flagForStaff(
    container,
    { ...session, data: { ...withPayment(session.data, after), failureReason: UNORDERABLE_MESSAGE } },
    {
      reason: "released_unorderable",
      message: `Approved, but the order could not be created (${why}). The reservation was released at Vipps MobilePay and nothing was charged; the customer was asked to try again.`,
      vipps: {
        captured: after.aggregate.capturedAmount.value,
        refunded: after.aggregate.refundedAmount.value,
        cancelled: after.aggregate.cancelledAmount.value,
        currency,
      },
      medusa: { captured: 0, refunded: 0, currency },
    },
    PaymentSessionStatus.ERROR,
  )
  logger.warn(
    `Vipps MobilePay payment ${vipps.reference} was approved but could not become an order; released it`,
  )
  return { outcome: "released", reason: UNORDERABLE_MESSAGE }
}
