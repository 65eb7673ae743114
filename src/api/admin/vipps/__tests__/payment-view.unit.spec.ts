import type { GetPaymentResponse, PaymentEvent } from "../../../../lib/vipps/schemas"
import { buildPaymentView, captureDeadline, type PaymentFacts } from "../payment-view"

const DAY = 24 * 3600 * 1000
const authorizedAt = "2026-03-01T10:00:00.000Z"

function vipps(overrides: Partial<GetPaymentResponse> = {}, aggregate: Partial<Record<string, number>> = {}) {
  const amount = (value: number) => ({ currency: "NOK" as const, value })
  return {
    aggregate: {
      authorizedAmount: amount(aggregate.authorized ?? 49900),
      capturedAmount: amount(aggregate.captured ?? 0),
      refundedAmount: amount(aggregate.refunded ?? 0),
      cancelledAmount: amount(aggregate.cancelled ?? 0),
    },
    amount: amount(49900),
    state: "AUTHORIZED",
    paymentMethod: { type: "WALLET" },
    profile: {},
    pspReference: "psp-1",
    reference: "test-no-payses-abc",
    ...overrides,
  } as GetPaymentResponse
}

const events: PaymentEvent[] = [
  {
    reference: "r",
    pspReference: "p1",
    name: "CREATED",
    amount: { currency: "NOK", value: 49900 },
    timestamp: "2026-03-01T09:59:00Z",
    success: true,
  },
  {
    reference: "r",
    pspReference: "p2",
    name: "AUTHORIZED",
    amount: { currency: "NOK", value: 49900 },
    timestamp: authorizedAt,
    success: true,
  },
]

function facts(overrides: Partial<PaymentFacts> = {}): PaymentFacts {
  return {
    paymentId: "pay_1",
    providerId: "pp_vipps_vipps",
    reference: "test-no-payses-abc",
    currency: "nok",
    medusa: { amount: 49900, captured: 0, refunded: 0, capturedAt: null, canceledAt: null },
    vipps: vipps(),
    events,
    now: new Date(Date.parse(authorizedAt) + 10 * DAY),
    ...overrides,
  }
}

describe("captureDeadline", () => {
  it("is 180 days after authorization in Norway", () => {
    const deadline = captureDeadline(vipps(), events, new Date(Date.parse(authorizedAt) + 10 * DAY))
    expect(deadline).toEqual({
      at: new Date(Date.parse(authorizedAt) + 180 * DAY).toISOString(),
      basis: "norway-180-days",
      authorized_at: authorizedAt,
      days_left: 170,
      passed: false,
    })
  })

  it("is 14 days after authorization in Denmark and Finland", () => {
    const dkk = vipps({ amount: { currency: "DKK", value: 1999 } })
    const deadline = captureDeadline(dkk, events, new Date(Date.parse(authorizedAt) + 15 * DAY))
    expect(deadline).toMatchObject({ basis: "denmark-finland-14-days", days_left: 0, passed: true })
    expect(deadline?.at).toBe(new Date(Date.parse(authorizedAt) + 14 * DAY).toISOString())
  })

  it("uses captureGuaranteedUntil when Vipps MobilePay gives it", () => {
    const deadline = captureDeadline(
      vipps({ captureGuaranteedUntil: "2026-03-08T10:00:00Z" }),
      events,
      new Date(authorizedAt),
    )
    expect(deadline).toMatchObject({
      basis: "captureGuaranteedUntil",
      at: "2026-03-08T10:00:00.000Z",
      days_left: 7,
    })
  })

  it("has none before authorization or without an authorization event", () => {
    expect(captureDeadline(vipps({ state: "CREATED" }), events, new Date())).toBeNull()
    expect(captureDeadline(vipps(), events.slice(0, 1), new Date())).toBeNull()
  })
})

describe("buildPaymentView", () => {
  it("agrees when both sides hold the same amounts, and converts them exactly", () => {
    const view = buildPaymentView(
      facts({
        medusa: { amount: 49900, captured: 20025, refunded: 5050, capturedAt: null, canceledAt: null },
        vipps: vipps({}, { captured: 20025, refunded: 5050 }),
      }),
    )
    expect(view.discrepancies).toEqual([])
    expect(view.vipps?.captured).toEqual({ currency: "NOK", value: 20025, decimal: "200.25" })
    expect(view.vipps?.capturable.decimal).toBe("298.75")
    expect(view.capture_deadline?.basis).toBe("norway-180-days")
    expect(view.events.map((e) => e.name)).toEqual(["CREATED", "AUTHORIZED"])
  })

  it("names every disagreement", () => {
    const view = buildPaymentView(
      facts({
        medusa: {
          amount: 49900,
          captured: 0,
          refunded: 0,
          capturedAt: null,
          canceledAt: "2026-03-02T00:00:00Z",
        },
        vipps: vipps({}, { captured: 10000, refunded: 2000 }),
      }),
    )
    expect(view.discrepancies.map((d) => d.kind)).toEqual(["captured", "refunded", "cancelled"])
    expect(view.discrepancies[2].message).toBe(
      "Medusa cancelled the payment, but Vipps MobilePay still reserves 399.00 NOK.",
    )
  })

  it("reports a release Medusa has not recorded, and no deadline when nothing is reserved", () => {
    const view = buildPaymentView(facts({ vipps: vipps({}, { cancelled: 49900 }) }))
    expect(view.discrepancies.map((d) => d.kind)).toEqual(["cancelled"])
    expect(view.capture_deadline).toBeNull()
  })

  it("warns when Vipps MobilePay no longer reserves anything for a Medusa payment", () => {
    const view = buildPaymentView(facts({ vipps: vipps({ state: "EXPIRED" }) }))
    expect(view.discrepancies.map((d) => d.kind)).toContain("state")
  })

  it("keeps Medusa's side and the reason when Vipps MobilePay could not be read", () => {
    const view = buildPaymentView(facts({ vipps: undefined, events: undefined, error: "unreachable" }))
    expect(view.vipps).toBeNull()
    expect(view.medusa.amount.decimal).toBe("499.00")
    expect(view.error).toBe("unreachable")
    expect(view.discrepancies).toEqual([])
  })

  it("names the state in the merchant's words and offers what is left on both sides", () => {
    const partly = buildPaymentView(
      facts({
        medusa: { amount: 49900, captured: 20000, refunded: 0, capturedAt: null, canceledAt: null },
        vipps: vipps({}, { captured: 20000 }),
      }),
    )
    expect(partly.status?.label).toBe("Partly captured")
    expect(partly.actions).toEqual({
      uncaptured: { currency: "NOK", value: 29900, decimal: "299.00" },
      can_capture: true,
      can_release: true,
      // Medusa's payment section refunds only fully captured payments: the panel offers it.
      refundable: { currency: "NOK", value: 20000, decimal: "200.00" },
      can_refund: true,
    })
    const captured = buildPaymentView(
      facts({
        medusa: { amount: 49900, captured: 49900, refunded: 0, capturedAt: authorizedAt, canceledAt: null },
        vipps: vipps({}, { captured: 49900 }),
      }),
    )
    expect(captured.status?.label).toBe("Captured")
    // Fully captured: Medusa's own refund applies.
    expect(captured.actions).toMatchObject({ can_capture: false, can_release: false, can_refund: false })
    expect(captured.actions.uncaptured.value).toBe(0)
    expect(captured.actions.refundable.value).toBe(49900)
  })

  it("offers a refund of a released payment's captures, never more than both sides hold", () => {
    const released = buildPaymentView(
      facts({
        medusa: {
          amount: 49900,
          captured: 20000,
          refunded: 5000,
          capturedAt: null,
          canceledAt: authorizedAt,
        },
        vipps: vipps({}, { captured: 20000, refunded: 7000, cancelled: 29900 }),
      }),
    )
    expect(released.actions).toMatchObject({ can_capture: false, can_release: false, can_refund: true })
    expect(released.actions.refundable.value).toBe(13000)
    const nothing = buildPaymentView(
      facts({
        medusa: { amount: 49900, captured: 0, refunded: 0, capturedAt: null, canceledAt: authorizedAt },
        vipps: vipps({}, { cancelled: 49900 }),
      }),
    )
    expect(nothing.actions).toMatchObject({ can_refund: false, refundable: { value: 0 } })
  })

  it("offers no more than Medusa still has uncaptured, and nothing for a cancelled payment", () => {
    const view = buildPaymentView(
      facts({
        medusa: { amount: 49900, captured: 30000, refunded: 0, capturedAt: null, canceledAt: null },
        vipps: vipps({}, { captured: 20000 }),
      }),
    )
    expect(view.actions.uncaptured.value).toBe(19900)
    const cancelled = buildPaymentView(
      facts({
        medusa: { amount: 49900, captured: 0, refunded: 0, capturedAt: null, canceledAt: authorizedAt },
      }),
    )
    expect(cancelled.actions).toMatchObject({ can_capture: false, can_release: false })
  })

  it("does not call a release of the uncaptured rest made through Medusa a disagreement", () => {
    const released: PaymentEvent = {
      reference: "r",
      pspReference: "p4",
      name: "CANCELLED",
      amount: { currency: "NOK", value: 29900 },
      timestamp: "2026-03-03T10:00:00Z",
      success: true,
      idempotencyKey: "cancel-rest-pay_1",
    }
    const medusa = { amount: 49900, captured: 20000, refunded: 0, capturedAt: null, canceledAt: null }
    const vippsSide = vipps({}, { captured: 20000, cancelled: 29900 })
    const view = buildPaymentView(
      facts({
        medusa,
        vipps: vippsSide,
        events: [...events, released],
      }),
    )
    expect(view.discrepancies).toEqual([])
    expect(view.status).toEqual({
      label: "Captured",
      tone: "green",
      detail: "The uncaptured rest was released.",
    })
    // The same release from the business portal (no Idempotency-Key) is reported.
    const portal = buildPaymentView(
      facts({ medusa, vipps: vippsSide, events: [...events, { ...released, idempotencyKey: undefined }] }),
    )
    expect(portal.discrepancies.map((d) => d.kind)).toEqual(["cancelled"])
  })
})
