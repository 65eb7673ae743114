import type { SimEvent, SimPayment } from "./types"

/** JSON views of a payment, in the shapes of the ePayment API's responses and webhook bodies. */

const amount = (payment: SimPayment, value: number) => ({ currency: payment.amount.currency, value })

export function aggregateView(payment: SimPayment) {
  const agg = payment.aggregate
  return {
    authorizedAmount: amount(payment, agg.authorized),
    cancelledAmount: amount(payment, agg.cancelled),
    capturedAmount: amount(payment, agg.captured),
    refundedAmount: amount(payment, agg.refunded),
  }
}

/** `GetPaymentResponse`. */
export function getPaymentView(payment: SimPayment): Record<string, unknown> {
  const view: Record<string, unknown> = {
    aggregate: aggregateView(payment),
    amount: { ...payment.amount },
    state: payment.state,
    paymentMethod:
      payment.paymentMethodType === "CARD" && payment.state === "AUTHORIZED"
        ? { type: "CARD", cardBin: "540185" }
        : { type: payment.paymentMethodType },
    profile: payment.sub ? { sub: payment.sub } : {},
    pspReference: payment.pspReference,
    reference: payment.reference,
  }
  if (payment.redirectUrl) view.redirectUrl = payment.redirectUrl
  if (payment.metadata !== undefined) view.metadata = payment.metadata
  return view
}

/** `ModificationResponse` (capture, refund, cancel). */
export function modificationView(payment: SimPayment): Record<string, unknown> {
  return {
    amount: { ...payment.amount },
    state: payment.state,
    aggregate: aggregateView(payment),
    pspReference: payment.pspReference,
    reference: payment.reference,
  }
}

/** `PaymentEvent` (event log entry). */
export function eventView(event: SimEvent): Record<string, unknown> {
  return {
    reference: event.reference,
    pspReference: event.pspReference,
    name: event.name,
    amount: { ...event.amount },
    timestamp: event.timestamp,
    idempotencyKey: event.idempotencyKey,
    success: event.success,
  }
}

/** `WebhookEvent` (webhook delivery body). */
export function webhookEventView(msn: string, event: SimEvent): Record<string, unknown> {
  return { msn, ...eventView(event) }
}

export function webhookEventType(event: SimEvent): string {
  return `epayments.payment.${event.name.toLowerCase()}.v1`
}
