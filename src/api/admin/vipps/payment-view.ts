import { captureDaysLeft, captureDeadline as deadlineOf } from "../../../lib/capture-deadline"
import { fromMinorUnits, isSupportedCurrency } from "../../../lib/money"
import type { GetPaymentResponse, PaymentEvent } from "../../../lib/vipps/schemas"
import { merchantState, type MerchantState } from "./merchant-state"

export type { MerchantState, MerchantStateLabel } from "./merchant-state"

/**
 * What the admin sees of one Vipps MobilePay payment: Vipps MobilePay's own numbers next to Medusa's,
 * the event log, the capture deadline and every disagreement between the two. Pure: the route gathers
 * the facts, this decides what they mean.
 */

export type Money = {
  currency: string
  /** Integer minor units (øre / cents), as Vipps MobilePay counts. */
  value: number
  /** The same amount in major units, exact ("200.25"). */
  decimal: string
}

export type MedusaSide = {
  amount: Money
  captured: Money
  refunded: Money
  captured_at: string | null
  canceled_at: string | null
}

export type VippsSide = {
  state: string
  psp_reference: string
  amount: Money
  authorized: Money
  captured: Money
  refunded: Money
  cancelled: Money
  /** Still reserved and capturable: authorized − captured − cancelled. */
  capturable: Money
  capture_guaranteed_until: string | null
}

export type TimelineEvent = {
  name: string
  amount: Money
  timestamp: string
  psp_reference: string
  success: boolean
  /** Whether the action was sent with an idempotency key (Medusa always sends one; the portal does not). */
  by_api: boolean
}

export type CaptureDeadline = {
  /** When the reservation can no longer be captured (or is no longer guaranteed). */
  at: string
  basis: "captureGuaranteedUntil" | "norway-180-days" | "denmark-finland-14-days"
  authorized_at: string | null
  days_left: number
  passed: boolean
}

export type Discrepancy = {
  kind: "captured" | "refunded" | "cancelled" | "amount" | "state"
  message: string
}

/** What the order page may still do with the payment. */
export type PaymentActions = {
  /** Still capturable on both sides: Vipps MobilePay's reservation and Medusa's uncaptured amount. */
  uncaptured: Money
  can_capture: boolean
  /** Release (cancel) the uncaptured rest of the reservation. */
  can_release: boolean
  /** Captured and not refunded, on both sides. */
  refundable: Money
  /**
   * Refund from the panel, through Medusa's refund: only where Medusa's payment section offers none — it
   * refunds only payments with `captured_at` (fully captured) and not cancelled, so a partly captured or
   * released payment could not be refunded from the dashboard otherwise.
   */
  can_refund: boolean
}

export type PaymentView = {
  payment_id: string
  provider_id: string
  reference: string
  currency: string
  /** The merchant's word for the payment (Reserved, Partly captured, …); `vipps.state` is the API's. */
  status: MerchantState | null
  actions: PaymentActions
  medusa: MedusaSide
  vipps: VippsSide | null
  events: TimelineEvent[]
  capture_deadline: CaptureDeadline | null
  discrepancies: Discrepancy[]
  /** Why Vipps MobilePay's side is missing or incomplete (never holds secrets). */
  error: string | null
}

export type PaymentFacts = {
  paymentId: string
  providerId: string
  reference: string
  currency: string
  medusa: {
    amount: number
    captured: number
    refunded: number
    capturedAt: Date | string | null
    canceledAt: Date | string | null
  }
  vipps?: GetPaymentResponse
  events?: PaymentEvent[]
  error?: string
  now: Date
}

export function money(value: number, currency: string): Money {
  const upper = currency.toUpperCase()
  return {
    currency: upper,
    value,
    decimal: isSupportedCurrency(upper) ? fromMinorUnits(value, upper) : String(value),
  }
}

const show = (m: Money) => `${m.decimal} ${m.currency}`

function iso(date: Date | string | null): string | null {
  if (!date) return null
  const parsed = date instanceof Date ? date : new Date(date)
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString()
}

/** The capture deadline of an authorized payment, with what the widget shows of it. */
export function captureDeadline(
  vipps: GetPaymentResponse,
  events: PaymentEvent[],
  now: Date,
): CaptureDeadline | null {
  if (vipps.state !== "AUTHORIZED") return null
  const authorized = events.find((e) => e.name === "AUTHORIZED" && e.success)
  const authorizedAt = authorized ? new Date(authorized.timestamp) : null
  const deadline = deadlineOf({ ...vipps, authorizedAt })
  if (!deadline) return null
  return {
    at: deadline.at,
    basis: deadline.basis,
    authorized_at: authorizedAt && !Number.isNaN(authorizedAt.getTime()) ? authorizedAt.toISOString() : null,
    days_left: captureDaysLeft(deadline, now),
    passed: Date.parse(deadline.at) <= now.getTime(),
  }
}

export function buildPaymentView(facts: PaymentFacts): PaymentView {
  const currency = (facts.vipps?.amount.currency ?? facts.currency).toUpperCase()
  const m = (value: number) => money(value, currency)
  const medusa: MedusaSide = {
    amount: m(facts.medusa.amount),
    captured: m(facts.medusa.captured),
    refunded: m(facts.medusa.refunded),
    captured_at: iso(facts.medusa.capturedAt),
    canceled_at: iso(facts.medusa.canceledAt),
  }
  const events: TimelineEvent[] = (facts.events ?? [])
    .map((e) => ({
      name: e.name,
      amount: money(e.amount.value, e.amount.currency),
      timestamp: e.timestamp,
      psp_reference: e.pspReference,
      success: e.success,
      by_api: !!e.idempotencyKey,
    }))
    .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))

  // Releases sent with an Idempotency-Key came from Medusa or this plugin, never from the business portal.
  const cancelledByMedusa = events
    .filter((e) => e.name === "CANCELLED" && e.success && e.by_api)
    .reduce((total, e) => total + e.amount.value, 0)

  let vipps: VippsSide | null = null
  const discrepancies: Discrepancy[] = []
  if (facts.vipps) {
    const { aggregate } = facts.vipps
    const capturable =
      aggregate.authorizedAmount.value - aggregate.capturedAmount.value - aggregate.cancelledAmount.value
    vipps = {
      state: facts.vipps.state,
      psp_reference: facts.vipps.pspReference,
      amount: m(facts.vipps.amount.value),
      authorized: m(aggregate.authorizedAmount.value),
      captured: m(aggregate.capturedAmount.value),
      refunded: m(aggregate.refundedAmount.value),
      cancelled: m(aggregate.cancelledAmount.value),
      capturable: m(Math.max(0, capturable)),
      capture_guaranteed_until: facts.vipps.captureGuaranteedUntil ?? null,
    }
  }
  // Movements made outside Medusa become Medusa rows through the sync: what is left here is a disagreement.
  if (vipps) discrepancies.push(...compare(medusa, vipps, cancelledByMedusa))
  const deadline =
    facts.vipps && vipps && vipps.capturable.value > 0
      ? captureDeadline(facts.vipps, facts.events ?? [], facts.now)
      : null

  const status = vipps
    ? merchantState({
        state: vipps.state,
        authorized: vipps.authorized.value,
        captured: vipps.captured.value,
        refunded: vipps.refunded.value,
        cancelled: vipps.cancelled.value,
        deadlinePassed: !!deadline?.passed,
      })
    : null
  const refundable = vipps
    ? Math.max(
        0,
        Math.min(vipps.captured.value - vipps.refunded.value, medusa.captured.value - medusa.refunded.value),
      )
    : 0
  const uncaptured =
    vipps && vipps.state === "AUTHORIZED" && !medusa.canceled_at
      ? Math.max(0, Math.min(vipps.capturable.value, medusa.amount.value - medusa.captured.value))
      : 0
  return {
    payment_id: facts.paymentId,
    provider_id: facts.providerId,
    reference: facts.reference,
    currency,
    status,
    actions: {
      uncaptured: m(uncaptured),
      can_capture: uncaptured > 0,
      can_release: uncaptured > 0,
      refundable: m(refundable),
      can_refund: refundable > 0 && (!!medusa.canceled_at || !medusa.captured_at),
    },
    medusa,
    vipps,
    events,
    capture_deadline: deadline,
    discrepancies,
    error: facts.error ?? null,
  }
}

function compare(medusa: MedusaSide, vipps: VippsSide, cancelledByMedusa: number): Discrepancy[] {
  const found: Discrepancy[] = []
  if (vipps.state !== "AUTHORIZED") {
    found.push({
      kind: "state",
      message: `Medusa has a payment, but Vipps MobilePay says the payment is ${vipps.state}: nothing is reserved.`,
    })
  }
  if (vipps.state === "AUTHORIZED" && vipps.authorized.value !== medusa.amount.value) {
    found.push({
      kind: "amount",
      message: `Medusa's payment is for ${show(medusa.amount)}, Vipps MobilePay authorized ${show(vipps.authorized)}.`,
    })
  }
  if (vipps.captured.value !== medusa.captured.value) {
    found.push({
      kind: "captured",
      message: `Medusa has recorded ${show(medusa.captured)} captured, Vipps MobilePay holds ${show(vipps.captured)} captured.`,
    })
  }
  if (vipps.refunded.value !== medusa.refunded.value) {
    found.push({
      kind: "refunded",
      message: `Medusa has recorded ${show(medusa.refunded)} refunded, Vipps MobilePay holds ${show(vipps.refunded)} refunded.`,
    })
  }
  if (medusa.canceled_at && vipps.state === "AUTHORIZED" && vipps.capturable.value > 0) {
    found.push({
      kind: "cancelled",
      message: `Medusa cancelled the payment, but Vipps MobilePay still reserves ${show(vipps.capturable)}.`,
    })
  }
  // Releasing the uncaptured rest of a partly captured payment leaves Medusa's payment open by design.
  const releasedElsewhere = vipps.cancelled.value - (medusa.captured.value > 0 ? cancelledByMedusa : 0)
  if (!medusa.canceled_at && releasedElsewhere > 0) {
    found.push({
      kind: "cancelled",
      message: `Vipps MobilePay released ${show(money(releasedElsewhere, vipps.cancelled.currency))} of the reservation; Medusa has not cancelled the payment.`,
    })
  }
  return found
}
