import type { GetPaymentResponse } from "../../../lib/vipps/schemas"
import { isReleased, isSamePayment, remainingToCapture } from "../payment-state"
import type { VippsSessionData } from "../session-data"

const nok = (value: number) => ({ currency: "NOK" as const, value })

function payment(amount: number, aggregate: Partial<Record<string, number>> = {}): GetPaymentResponse {
  return {
    reference: "shop-payses-01ABCDEFGHJKMNPQRSTVWXYZ00",
    state: "AUTHORIZED",
    amount: nok(amount),
    pspReference: "psp",
    aggregate: {
      authorizedAmount: nok(aggregate.authorized ?? amount),
      capturedAmount: nok(aggregate.captured ?? 0),
      refundedAmount: nok(aggregate.refunded ?? 0),
      cancelledAmount: nok(aggregate.cancelled ?? 0),
    },
  } as GetPaymentResponse
}

const session = (extra: Partial<VippsSessionData> = {}): VippsSessionData => ({
  reference: "shop-payses-01ABCDEFGHJKMNPQRSTVWXYZ00",
  userFlow: "WEB_REDIRECT",
  paymentMethod: "WALLET",
  amount: { currency: "NOK", value: 49900 },
  state: "CREATED",
  ...extra,
})

describe("payment state rules", () => {
  it("what is still reserved excludes captures and releases", () => {
    expect(remainingToCapture(payment(49900, { captured: 20000, cancelled: 9900 }).aggregate)).toBe(20000)
  })

  it("a payment released before anything was captured counts as released", () => {
    expect(isReleased(payment(49900, { cancelled: 49900 }))).toBe(true)
    expect(isReleased(payment(49900, { captured: 100, cancelled: 49800 }))).toBe(false)
  })

  it("the same payment: equal amount and currency", () => {
    expect(isSamePayment(session(), payment(49900))).toBe(true)
    expect(isSamePayment(session(), payment(49800))).toBe(false)
    expect(isSamePayment(session({ amount: { currency: "DKK", value: 49900 } }), payment(49900))).toBe(false)
  })

  it("an approved Express payment may report the goods or the goods plus the chosen shipping", () => {
    const approved = session({ expressApproved: { shippingOptionId: "so_1", authorizedValue: 59800 } })
    expect(isSamePayment(approved, payment(49900, { authorized: 59800 }))).toBe(true)
    expect(isSamePayment(approved, payment(59800, { authorized: 59800 }))).toBe(true)
    // A total nobody approved is not this payment.
    expect(isSamePayment(approved, payment(69800, { authorized: 69800 }))).toBe(false)
    expect(isSamePayment(session(), payment(59800, { authorized: 59800 }))).toBe(false)
  })
})
