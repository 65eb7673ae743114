/**
 * Until when an authorized payment can be captured. Vipps MobilePay's `captureGuaranteedUntil` (GET and the
 * AUTHORIZED webhook since Aug 2026) wins: banks and card networks can release a hold long before the
 * market's API deadline (Visa ~5-7 days, BankAxept 7, Mastercard 30), and after it a capture may fail with
 * 6260. Without it, the market rule: Norway (NOK) 180 days, Denmark (DKK) and Finland (EUR) 14 days after
 * authorization. Pure: no clock, no I/O.
 */

const DAY_MS = 24 * 3600 * 1000

export type CaptureDeadlineBasis = "captureGuaranteedUntil" | "norway-180-days" | "denmark-finland-14-days"

/** Reservation lifetime per market, by currency (the sales unit's market). */
export const MARKET_CAPTURE_DAYS: Readonly<Record<string, { days: number; basis: CaptureDeadlineBasis }>> = {
  NOK: { days: 180, basis: "norway-180-days" },
  DKK: { days: 14, basis: "denmark-finland-14-days" },
  EUR: { days: 14, basis: "denmark-finland-14-days" },
}

/** What the deadline needs of a payment: GetPaymentResponse, the AUTHORIZED webhook, or stored session data. */
export type CaptureDeadlineInput = {
  amount: { currency: string }
  captureGuaranteedUntil?: string | null
  /** When the payment was authorized (the AUTHORIZED event's timestamp); needed for the market rule only. */
  authorizedAt?: Date | string | null
}

export type CaptureDeadline = {
  /** ISO 8601 instant after which a capture is no longer guaranteed. */
  at: string
  basis: CaptureDeadlineBasis
}

function instant(value: Date | string | null | undefined): Date | undefined {
  if (!value) return undefined
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/**
 * The capture deadline of a payment: `captureGuaranteedUntil` when Vipps MobilePay sent a readable one,
 * else authorization time + the market's days; null when neither is known. An unknown currency gets the
 * shorter (Danish/Finnish) rule, the safe side.
 */
export function captureDeadline(payment: CaptureDeadlineInput): CaptureDeadline | null {
  const guaranteed = instant(payment.captureGuaranteedUntil)
  if (guaranteed) return { at: guaranteed.toISOString(), basis: "captureGuaranteedUntil" }
  const authorizedAt = instant(payment.authorizedAt)
  if (!authorizedAt) return null
  const market = MARKET_CAPTURE_DAYS[payment.amount.currency.toUpperCase()] ?? MARKET_CAPTURE_DAYS.DKK
  return { at: new Date(authorizedAt.getTime() + market.days * DAY_MS).toISOString(), basis: market.basis }
}

/** Whole days left before the deadline (0 once it has passed). */
export function captureDaysLeft(deadline: CaptureDeadline, now: Date): number {
  return Math.max(0, Math.floor((Date.parse(deadline.at) - now.getTime()) / DAY_MS))
}

/**
 * True when an uncaptured rest is due within `withinDays` (default 7) of its deadline, or past it: what the
 * attention list shows. A payment with nothing left to capture is never due.
 */
export function captureDueSoon(
  deadline: CaptureDeadline | null,
  uncapturedMinor: number,
  now: Date,
  withinDays = 7,
): boolean {
  if (!deadline || uncapturedMinor <= 0) return false
  return Date.parse(deadline.at) - now.getTime() <= withinDays * DAY_MS
}
