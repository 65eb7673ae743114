import { MedusaError } from "@medusajs/framework/utils"
import { MoneyError } from "../../lib/money"
import {
  VippsApiError,
  VippsError,
  VippsNetworkError,
  VippsRequestValidationError,
} from "../../lib/vipps/errors"

/** What a shopper reads when a payment ended without approval. */
export const SHOPPER_MESSAGES: Record<string, string> = {
  ABORTED:
    "The payment was cancelled in Vipps MobilePay. You can try again or choose another payment method.",
  EXPIRED:
    "The payment request in Vipps MobilePay expired before it was approved. Please start the payment again.",
  TERMINATED: "The payment was stopped before it was approved. Please start the payment again.",
  RELEASED: "The payment's reservation was released before the order was placed. Please pay again.",
}
export const WAITING_FOR_APPROVAL =
  "Waiting for the customer to approve the payment in the Vipps MobilePay app. The cart can be completed once it is approved."

/** Merchant-facing explanations of the ePayment codes an admin action can run into. */
const CODE_MESSAGES: Record<number, string> = {
  6040: "The payment is fully captured and can no longer be cancelled; refund it instead.",
  6070: "The payment was cancelled at Vipps MobilePay and cannot be captured.",
  6080: "The customer has not approved the payment yet, so it cannot be captured.",
  6090: "The capture is larger than what remains reserved at Vipps MobilePay.",
  6100: "The capture deadline at Vipps MobilePay has passed; the reservation was released.",
  6140: "This sales unit only allows capturing the full amount.",
  6150: "The refund is larger than what Vipps MobilePay holds as captured and not yet refunded.",
  6020: "Nothing has been captured yet, so there is nothing to refund.",
  6220: "The refund period at Vipps MobilePay (365 days) has passed.",
  6030: "The cancellation period at Vipps MobilePay has passed.",
  6260: "The customer's funds are no longer available (the card reservation expired).",
  5040: "The currency is not enabled for this Vipps MobilePay sales unit.",
  5080: "Push-message payments are not enabled for this sales unit.",
  5050: "Long-living payments are not enabled for this sales unit.",
  7010: "The customer cannot pay with Vipps MobilePay.",
}

/**
 * A Medusa error a merchant can act on: the operation, the reason, and the Vipps code and traceId for
 * support. No secrets or customer data are ever part of a VippsError.
 */
export function toMedusaError(error: unknown, action: string): MedusaError {
  if (error instanceof MedusaError) return error
  if (error instanceof MoneyError) return new MedusaError(MedusaError.Types.INVALID_DATA, error.message)
  if (error instanceof VippsRequestValidationError) {
    return new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Vipps MobilePay ${action}: ${error.issues.join("; ")}`,
    )
  }
  if (error instanceof VippsApiError) {
    const known = error.code !== undefined ? CODE_MESSAGES[error.code] : undefined
    const support = [
      error.code ? `code ${error.code}` : `HTTP ${error.status}`,
      error.traceId && `traceId ${error.traceId}`,
    ]
      .filter(Boolean)
      .join(", ")
    const reason = known ?? error.title ?? "the request was refused"
    const type =
      error.status === 404
        ? MedusaError.Types.NOT_FOUND
        : error.status >= 500 || error.status === 429
          ? MedusaError.Types.UNEXPECTED_STATE
          : MedusaError.Types.NOT_ALLOWED
    return new MedusaError(type, `Vipps MobilePay could not ${action}: ${reason} (${support})`)
  }
  if (error instanceof VippsNetworkError) {
    return new MedusaError(
      MedusaError.Types.UNEXPECTED_STATE,
      `Vipps MobilePay could not be reached to ${action} (${error.code ?? "network error"}). It is safe to try again.`,
    )
  }
  if (error instanceof VippsError) return new MedusaError(MedusaError.Types.UNEXPECTED_STATE, error.message)
  return new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `Vipps MobilePay could not ${action}`)
}
