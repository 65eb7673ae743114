/**
 * The words a merchant reads for a Vipps MobilePay payment, and what the order page may still do with it.
 * Pure: decided from the amounts both sides hold. The ePayment state (AUTHORIZED, …) stays beside the
 * word for support; it alone cannot tell "reserved" from "captured" or "refunded".
 */

export type MerchantStateLabel =
  | "Awaiting approval"
  | "Reserved"
  | "Partly captured"
  | "Captured"
  | "Partly refunded"
  | "Refunded"
  | "Released"
  | "Expired"
  | "Failed"

export type MerchantState = {
  label: MerchantStateLabel
  tone: "green" | "orange" | "blue" | "red" | "grey"
  /** One short sentence for the merchant, e.g. "The uncaptured rest was released." */
  detail: string | null
}

/** Minor units the payment state is decided from. */
export type StateFacts = {
  /** ePayment state: CREATED, AUTHORIZED, ABORTED, EXPIRED, TERMINATED. */
  state: string
  authorized: number
  captured: number
  refunded: number
  cancelled: number
  /** The reservation's capture deadline has passed. */
  deadlinePassed: boolean
}

export function merchantState(facts: StateFacts): MerchantState {
  const { state, authorized, captured, refunded, cancelled } = facts
  switch (state) {
    case "CREATED":
      return { label: "Awaiting approval", tone: "orange", detail: null }
    case "EXPIRED":
      return { label: "Expired", tone: "grey", detail: "The customer did not approve the payment in time." }
    case "ABORTED":
      return { label: "Failed", tone: "red", detail: "The customer cancelled the payment." }
    case "TERMINATED":
      return { label: "Released", tone: "grey", detail: "The payment was stopped before it was approved." }
    case "AUTHORIZED":
      break
    default:
      return { label: "Failed", tone: "red", detail: null }
  }
  const uncaptured = authorized - captured - cancelled
  if (refunded > 0) {
    return refunded >= captured
      ? { label: "Refunded", tone: "grey", detail: null }
      : { label: "Partly refunded", tone: "orange", detail: null }
  }
  if (captured > 0) {
    if (uncaptured > 0) return { label: "Partly captured", tone: "blue", detail: null }
    return {
      label: "Captured",
      tone: "green",
      detail: cancelled > 0 ? "The uncaptured rest was released." : null,
    }
  }
  if (cancelled > 0 || uncaptured <= 0) {
    return { label: "Released", tone: "grey", detail: "The reservation was released: nothing was captured." }
  }
  if (facts.deadlinePassed) {
    return { label: "Expired", tone: "red", detail: "The reservation passed its capture deadline." }
  }
  return { label: "Reserved", tone: "blue", detail: null }
}
