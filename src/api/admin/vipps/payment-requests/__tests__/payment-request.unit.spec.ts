import { adminRequestGrant, isAdminRequestGrant } from "../../../../../providers/vipps/admin-request"
import { buildCreatePaymentRequest } from "../../../../../providers/vipps/create-payment"
import { parseOptions } from "../../../../../providers/vipps/options"
import { StorefrontInput } from "../../../../../providers/vipps/session-data"
import { parsePaymentRequest } from "../request-input"
import { requestState, requestView } from "../request-view"

const data = (state: string) => ({
  reference: "test-no-payses-01ABC",
  state,
  amount: { currency: "NOK", value: 10000 },
  redirectUrl: "https://landing.example/abc",
})
const marker = { method: "link" as const, requested_at: "2026-11-30T06:00:00.000Z" }

describe("payment request state in merchant words", () => {
  it.each([
    ["CREATED", "pending", undefined, "sent"],
    ["ABORTED", "canceled", undefined, "rejected"],
    ["EXPIRED", "canceled", undefined, "expired"],
    ["TERMINATED", "canceled", undefined, "cancelled"],
    ["AUTHORIZED", "authorized", { id: "pay_1", captured: 0, canceled: false }, "approved"],
    ["AUTHORIZED", "authorized", { id: "pay_1", captured: 10000, canceled: false }, "paid"],
  ])("%s / %s → %s", (state, status, payment, expected) => {
    expect(requestState({ status, data: data(state), payment })).toBe(expected)
  })

  it("hands out the link only while the request is open", () => {
    const open = requestView({ registration: "vipps", status: "pending", data: data("CREATED"), marker })
    expect(open).toMatchObject({
      state: "sent",
      link: "https://landing.example/abc",
      amount: { decimal: "100.00" },
    })
    const expired = requestView({ registration: "vipps", status: "canceled", data: data("EXPIRED"), marker })
    expect(expired.link).toBeUndefined()
  })
})

describe("payment request input", () => {
  it("accepts a push request with a formatted number, as digits", () => {
    const parsed = parsePaymentRequest({
      registration: "vipps",
      method: "push",
      phone_number: "+47 912 34 567",
    })
    expect(parsed).toEqual({ input: { registration: "vipps", method: "push", phone_number: "4791234567" } })
  })

  it.each([
    [{ registration: "vipps", method: "push" }, /needs the customer's phone_number/],
    [{ registration: "vipps", method: "qr", phone_number: "4791234567" }, /only for push/],
    [{ registration: "vipps", method: "push", phone_number: "91 23" }, /country code and number/],
    [{ registration: "vipps", method: "fax" }, /method must be one of push, qr, link/],
    [{ registration: "vipps", method: "qr", amount: "-5" }, /amount must be a positive amount/],
    [{ registration: "vipps", method: "qr", amount: "10.005" }, /at most 2 decimals/],
    [
      { registration: "vipps", method: "qr", expires_at: new Date(Date.now() + 60_000).toISOString() },
      /10 minutes and 60 days/,
    ],
    [{ registration: "vipps", method: "qr", extra: 1 }, /unknown field\(s\) extra/],
  ])("refuses %j", (body, message) => {
    const parsed = parsePaymentRequest(body)
    expect("error" in parsed && parsed.error).toMatch(message)
  })
})

describe("admin-request grant", () => {
  const key = Buffer.alloc(32, 7)
  it("is bound to one payment collection and one key", () => {
    const grant = adminRequestGrant(key, "pay_col_1")
    expect(isAdminRequestGrant(key, "pay_col_1", grant)).toBe(true)
    expect(isAdminRequestGrant(key, "pay_col_2", grant)).toBe(false)
    expect(isAdminRequestGrant(Buffer.alloc(32, 8), "pay_col_1", grant)).toBe(false)
    expect(isAdminRequestGrant(key, undefined, grant)).toBe(false)
    expect(isAdminRequestGrant(key, "pay_col_1", "forged")).toBe(false)
  })
})

describe("what staff may ask the provider for (admin-request grant proved)", () => {
  const options = parseOptions({
    clientId: "id",
    clientSecret: "secret",
    subscriptionKey: "key",
    merchantSerialNumber: "123456",
    returnUrl: "https://shop.example/return?reference={reference}",
  })
  const known = {
    reference: "payses-01JQ8ZK3W4N6B2X9T5V7Y0C1DE",
    sessionId: "payses_01JQ8ZK3W4N6B2X9T5V7Y0C1DE",
    currency: "NOK" as const,
    value: 10000,
  }
  const push = StorefrontInput.parse({
    userFlow: "PUSH_MESSAGE",
    phoneNumber: "4791234567",
    customerInteraction: "CUSTOMER_PRESENT",
  })

  it("a storefront may not push or say the customer is present where the options do not allow it", () => {
    expect(() => buildCreatePaymentRequest(options, push, known)).toThrow(/not enabled for the storefront/)
  })

  it("staff may", () => {
    const request = buildCreatePaymentRequest(options, push, { ...known, byStaff: true })
    expect(request).toMatchObject({
      userFlow: "PUSH_MESSAGE",
      customer: { phoneNumber: "4791234567" },
      customerInteraction: "CUSTOMER_PRESENT",
    })
  })
})
