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

/**
 * What a merchant reads for each ePayment error code: what happened and what to do. Every code of the
 * API's table has one (a unit test holds the two lists together). Codes a shopper can meet at checkout
 * (7010) are worded so they can be shown to the shopper as they are.
 */
export const CODE_MESSAGES: Readonly<Record<number, string>> = {
  3010: "Vipps MobilePay had an internal error (often caused by a malformed request). Try again; if it persists, contact Vipps MobilePay support with the traceId.",
  4010: "This capture was already sent with different details under the same key. Check the payment in the admin before capturing again.",
  4020: "This request was already sent with different details under the same key. Reload the payment and try the action again.",
  4040: "The amount is not valid for Vipps MobilePay (it must be a whole number of øre/cents within the limits). Check the order total.",
  4050: "The customer token is not valid. Start the payment again without it.",
  4060: "The customer's personal QR code is not valid. Ask the customer to show it again.",
  4070: "The phone number is not valid: use the country code and number without + or spaces, e.g. 4791234567.",
  4080: "The profile sharing scope is not valid: check the provider option profileScope.",
  4090: "A URL sent to Vipps MobilePay is not valid (it must be https:// or an app scheme): check returnUrl and the legal-link options.",
  4100: "Too much metadata for Vipps MobilePay (at most 5 entries).",
  4110: "A metadata key is too long for Vipps MobilePay (at most 100 characters).",
  4120: "A metadata value is too long for Vipps MobilePay (at most 500 characters).",
  4130: "The payment metadata is not valid for Vipps MobilePay (string pairs only).",
  4140: "A required field is missing in the request to Vipps MobilePay: check the provider options (e.g. returnUrl for the redirect flows).",
  4150: "Vipps MobilePay already has a payment with this reference, or this refund was already sent with different details. Reload the payment before trying again.",
  4160: "The payment method is not allowed for this payment (cards need the WEB_REDIRECT flow). Check the provider options paymentMethod and userFlow.",
  5010: "Blocking commercial cards only works for Danish and Finnish sales units: remove blockedSources from this registration's options.",
  5020: "Express checkout is not enabled for this sales unit: ask Vipps MobilePay to activate it in the business portal.",
  5030: "This sales unit may not ask for that profile data (e.g. nin): remove it from profileScope or ask Vipps MobilePay for approval.",
  5040: "The currency is not enabled for this Vipps MobilePay sales unit: use the currency of its market (NOK, DKK or EUR).",
  5050: "Long-living payments are not enabled for this sales unit: ask Vipps MobilePay to activate them, or do not send expiresAt.",
  5060: "The sales unit's bank account is not verified yet: finish the setup in the Vipps MobilePay business portal.",
  5070: "Vipps MobilePay cannot create payments for this sales unit yet (a setup step is missing): check the business portal or contact Vipps MobilePay.",
  5080: "Push-message payments are not enabled for this sales unit: use another userFlow or ask Vipps MobilePay to activate it.",
  5090: "Vipps MobilePay does not know this reference for this sales unit: check that the payment was made with these credentials.",
  5100: "Vipps MobilePay cannot refund this payment because of a configuration problem: contact Vipps MobilePay support with the traceId.",
  6010: "The amount is below Vipps MobilePay's minimum (1.00 NOK, 0.01 DKK or 0.01 EUR).",
  6020: "Nothing has been captured yet, so there is nothing to refund. Cancel the payment to release the reservation instead.",
  6030: "The cancellation period at Vipps MobilePay has passed; the reservation has already been released or must be refunded once captured.",
  6040: "The payment is fully captured and can no longer be cancelled; refund it instead.",
  6050: "The payment is not reserved (it was never approved, or has ended), so there is nothing to cancel.",
  6060: "The customer has already approved the payment, so it was not cancelled. Cancel the order to release the reservation, or capture it.",
  6070: "The payment was cancelled at Vipps MobilePay and cannot be captured. Ask the customer to pay again.",
  6080: "The customer has not approved the payment yet, so it cannot be captured. Wait for the approval.",
  6090: "The capture is larger than what remains reserved at Vipps MobilePay. Capture at most the remaining amount.",
  6100: "The capture deadline at Vipps MobilePay has passed; the reservation was released. Ask the customer to pay again.",
  6110: "The payment's expiry time is too far ahead (at most 60 days).",
  6120: "The payment's expiry time is too soon (at least 10 minutes ahead).",
  6130: "A long-living payment needs order lines (a receipt) that add up to the amount.",
  6140: "This sales unit only allows capturing the full amount: capture everything at once.",
  6150: "The refund is larger than what Vipps MobilePay holds as captured and not yet refunded. Refund at most that.",
  6160: "Vipps MobilePay is still processing another change of this payment. It was retried; try again in a moment.",
  6170: "The payment is already captured at Vipps MobilePay: reload the payment instead of capturing again.",
  6180: "The payment is already refunded at Vipps MobilePay: reload the payment instead of refunding again.",
  6190: "The payment cannot be cancelled in its current state: reload it to see what Vipps MobilePay holds.",
  6200: "The payment cannot be captured in its current state (it was not approved or has ended): reload it.",
  6210: "The payment cannot be refunded in its current state (nothing captured): reload it.",
  6220: "The refund period at Vipps MobilePay (365 days) has passed: settle with the customer another way.",
  6230: "The payment is already reserved: reload it instead of approving again.",
  6250: "Vipps MobilePay is still processing this payment, so it cannot be cancelled yet. It was retried; try again in a few minutes.",
  6260: "The customer's funds are no longer available (the bank released the reservation). Do not ship: try the capture again later, or contact the customer for a new payment.",
  6280: "Vipps MobilePay could not capture right now. It was retried with the same key; try again in a few minutes — it will not be charged twice.",
  7010: "Vipps MobilePay cannot take this payment from this customer (for example, an age limit applies). Choose another payment method.",
  10010: "Test environment: the test user was not found. Use a test user of this sales unit's market.",
  10020: "Test environment: the test user does not match the payment's customer.",
  10030: "Test environment: the approval token does not belong to this payment.",
  10040: "Test environment: the payment could not be force-approved. Approve it in the test app instead.",
  10050: "Test environment: the test user has no card. Add one in the test app.",
  10060: "Test environment: the payment cannot be approved in its current state.",
  10070:
    "Test environment: force approve is not possible for this payment (e.g. Express): approve it in the test app.",
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
