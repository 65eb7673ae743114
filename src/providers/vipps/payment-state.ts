import { PaymentSessionStatus } from "@medusajs/framework/utils"
import type { Aggregate, GetPaymentResponse, ModificationResponse } from "../../lib/vipps/schemas"
import { SHOPPER_MESSAGES } from "./errors"
import type { VippsSessionData } from "./session-data"

/**
 * Pure rules about one ePayment payment: what is still reserved, when it counts as released, and what Medusa
 * calls its state. The provider, the sync and the admin views all read a payment through these.
 */

/** Metadata key holding the Medusa payment collection a Vipps payment was created for. */
export const PAYMENT_COLLECTION_METADATA = "medusaPaymentCollectionId"

/** Still reserved and capturable (minor units): authorized − captured − cancelled. */
type Amounts = Pick<Aggregate, "authorizedAmount" | "capturedAmount" | "cancelledAmount">
type Values = { [K in keyof Amounts]: { value: number } }

export function remainingToCapture(aggregate: Values): number {
  const { authorizedAmount, capturedAmount, cancelledAmount } = aggregate
  return authorizedAmount.value - capturedAmount.value - cancelledAmount.value
}

export function isFullyReleased(payment: GetPaymentResponse): boolean {
  return remainingToCapture(payment.aggregate) <= 0
}

/** Approved, then cancelled before anything was captured (in the portal, by a deadline, by a rollback). */
export function isReleased(payment: GetPaymentResponse): boolean {
  return (
    payment.state === "AUTHORIZED" &&
    payment.aggregate.cancelledAmount.value > 0 &&
    payment.aggregate.capturedAmount.value === 0
  )
}

export function medusaStatus(payment: GetPaymentResponse): PaymentSessionStatus {
  switch (payment.state) {
    case "CREATED":
      return PaymentSessionStatus.PENDING
    case "AUTHORIZED": {
      const { authorizedAmount, capturedAmount } = payment.aggregate
      return capturedAmount.value > 0 && capturedAmount.value >= authorizedAmount.value
        ? PaymentSessionStatus.CAPTURED
        : PaymentSessionStatus.AUTHORIZED
    }
    case "TERMINATED":
      return PaymentSessionStatus.CANCELED
    default:
      return PaymentSessionStatus.ERROR
  }
}

/** The session data brought up to date with a payment read from the ePayment API. */
export function withPayment(session: VippsSessionData, payment: GetPaymentResponse): VippsSessionData {
  const failureReason = SHOPPER_MESSAGES[payment.state]
  return {
    ...session,
    state: payment.state,
    aggregate: payment.aggregate,
    pspReference: payment.pspReference,
    ...(payment.captureGuaranteedUntil ? { captureGuaranteedUntil: payment.captureGuaranteedUntil } : {}),
    ...(failureReason ? { failureReason } : {}),
  }
}

export function withModification(
  session: VippsSessionData,
  response: ModificationResponse,
): VippsSessionData {
  return { ...session, state: response.state, aggregate: response.aggregate }
}

/**
 * The payment Vipps holds is the one the session created: same currency and amount. For Express the shopper
 * approved the goods plus the chosen shipping; whether GET's `amount` echoes the created amount or that
 * total is not documented, so both are accepted once the sync recorded the authorized total.
 */
export function isSamePayment(session: VippsSessionData, payment: GetPaymentResponse): boolean {
  if (payment.amount.currency !== session.amount.currency) return false
  if (payment.amount.value === session.amount.value) return true
  const approved = session.expressApproved?.authorizedValue
  return (
    approved !== undefined &&
    payment.amount.value === approved &&
    payment.aggregate.authorizedAmount.value === approved
  )
}
