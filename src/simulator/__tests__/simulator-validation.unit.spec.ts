import type { RunningSimulator } from "../index"
import { Api, errorCode, newReference, startTestSimulator } from "./helpers"

const receipt = {
  orderLines: [
    {
      name: "Socks",
      id: "line-1",
      totalAmount: 49_900,
      totalAmountExcludingTax: 39_920,
      totalTaxAmount: 9_980,
      taxPercentage: 25,
    },
  ],
  bottomLine: { currency: "NOK" },
}

const minutesAhead = (sim: RunningSimulator, minutes: number) =>
  new Date(sim.control.now().getTime() + minutes * 60_000).toISOString()

describe("simulator: create-payment validation", () => {
  let sim: RunningSimulator
  let api: Api
  let restricted: Api

  beforeAll(async () => {
    sim = await startTestSimulator({
      merchants: [
        {
          clientId: "main",
          clientSecret: "main-secret",
          subscriptionKey: "main-key",
          msn: "123456",
          currencies: ["NOK", "DKK", "EUR"],
        },
        {
          clientId: "dk",
          clientSecret: "dk-secret",
          subscriptionKey: "dk-key",
          msn: "654321",
          currencies: ["DKK"],
          allowPushMessage: false,
          allowLongLiving: false,
        },
      ],
    })
    api = new Api(sim, sim.merchants[0])
    restricted = new Api(sim, sim.merchants[1])
  })
  afterAll(() => sim.stop())

  const cases: Array<[string, Record<string, unknown>, number, string | undefined]> = [
    ["missing amount", { amount: undefined }, 400, "4140"],
    ["missing userFlow", { userFlow: undefined }, 400, "4140"],
    ["decimal amount", { amount: { currency: "NOK", value: 100.5 } }, 400, "4040"],
    ["amount over the maximum", { amount: { currency: "NOK", value: 65_000_001 } }, 400, "4040"],
    ["amount below the NOK minimum", { amount: { currency: "NOK", value: 99 } }, 400, "6010"],
    ["zero EUR amount", { amount: { currency: "EUR", value: 0 } }, 400, "6010"],
    ["unknown currency", { amount: { currency: "SEK", value: 1000 } }, 400, undefined],
    ["reference too short", { reference: "short" }, 400, undefined],
    ["reference with bad characters", { reference: "order_123456" }, 400, undefined],
    ["reference over 50 characters", { reference: "a".repeat(51) }, 400, undefined],
    ["invalid phone number", { customer: { phoneNumber: "+4712345678" } }, 400, "4070"],
    ["WEB_REDIRECT without returnUrl", { returnUrl: undefined }, 400, "4140"],
    ["invalid returnUrl", { returnUrl: "not a url" }, 400, "4090"],
    ["javascript: returnUrl", { returnUrl: "javascript:alert(1)" }, 400, "4090"],
    ["plain http on a public host", { returnUrl: "http://shop.example.com/return" }, 400, "4090"],
    ["PUSH_MESSAGE without customer", { userFlow: "PUSH_MESSAGE", returnUrl: undefined }, 400, "4140"],
    ["CARD with QR", { paymentMethod: { type: "CARD" }, userFlow: "QR", returnUrl: undefined }, 400, "4160"],
    ["unknown payment method", { paymentMethod: { type: "CASH" } }, 400, "4160"],
    ["unknown scope", { profile: { scope: "name shoeSize" } }, 400, "4080"],
    ["nin scope", { profile: { scope: "name nin" } }, 400, "5030"],
    ["six metadata entries", { metadata: { a: "1", b: "2", c: "3", d: "4", e: "5", f: "6" } }, 400, "4100"],
    ["long metadata value", { metadata: { a: "x".repeat(501) } }, 400, "4120"],
    ["unknown property", { favouriteColour: "blue" }, 400, undefined],
    ["short paymentDescription", { paymentDescription: "ab" }, 400, undefined],
  ]

  it.each(cases)("rejects %s", async (_name, overrides, status, code) => {
    const res = await api.createPayment(overrides)
    expect(res.status).toBe(status)
    expect(res.headers.get("content-type")).toContain("application/problem+json")
    expect(errorCode(res.body)).toBe(code)
    expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) })
    expect(Array.isArray(res.body.extraDetails)).toBe(true)
  })

  it("accepts the valid variants: custom scheme and loopback http returnUrls, CARD web redirect, 5 metadata", async () => {
    for (const overrides of [
      { returnUrl: "myshopapp://vipps/return" },
      { returnUrl: "http://localhost:8000/checkout/return" },
      { paymentMethod: { type: "CARD" } },
      { metadata: { a: "1", b: "2", c: "3", d: "4", e: "5" } },
      { amount: { currency: "DKK", value: 1 } },
      {
        customer: { phoneNumber: "4712345678" },
        profile: { scope: "name email address phoneNumber birthDate" },
      },
      { receipt, receiptUrl: "https://shop.example.com/receipt/1" },
      {
        industryData: {
          airlineData: {
            agencyInvoiceNumber: "1",
            airlineCode: "074",
            airlineDesignatorCode: "KL",
            passengerName: "FLYER / MARY MS.",
          },
        },
      },
    ]) {
      const res = await api.createPayment(overrides)
      expect([res.status, res.text]).toEqual([201, expect.any(String)])
    }
  })

  it("currency must be one the merchant's market allows (5040)", async () => {
    const res = await restricted.createPayment({ amount: { currency: "NOK", value: 1000 } })
    expect(res.status).toBe(400)
    expect(errorCode(res.body)).toBe("5040")
  })

  it("PUSH_MESSAGE only when the sales unit is allowed (5080)", async () => {
    const res = await restricted.createPayment({
      amount: { currency: "DKK", value: 1000 },
      userFlow: "PUSH_MESSAGE",
      returnUrl: undefined,
      customer: { phoneNumber: "4512345678" },
    })
    expect(errorCode(res.body)).toBe("5080")
  })

  it("long-living payments: flow, merchant permission, receipt and time window", async () => {
    const qr = { userFlow: "QR", returnUrl: undefined }
    const expiresAt = minutesAhead(sim, 60)
    const ok = await api.createPayment({ ...qr, expiresAt, receipt })
    expect(ok.status).toBe(201)
    expect(sim.control.getPayment(ok.body.reference)?.expiresAt).toBe(Date.parse(expiresAt))

    const webRedirect = await api.createPayment({ expiresAt: minutesAhead(sim, 60), receipt })
    expect(webRedirect.status).toBe(400)
    expect(webRedirect.body.extraDetails).toEqual([expect.objectContaining({ name: "expiresAt" })])
    expect(errorCode((await api.createPayment({ ...qr, expiresAt: minutesAhead(sim, 60) })).body)).toBe(
      "6130",
    )
    expect(
      errorCode((await api.createPayment({ ...qr, expiresAt: minutesAhead(sim, 9), receipt })).body),
    ).toBe("6120")
    expect(
      errorCode(
        (await api.createPayment({ ...qr, expiresAt: minutesAhead(sim, 60 * 24 * 61), receipt })).body,
      ),
    ).toBe("6110")
    const notAllowed = await restricted.createPayment({
      ...qr,
      amount: { currency: "DKK", value: 1000 },
      expiresAt: minutesAhead(sim, 60),
      receipt: { ...receipt, bottomLine: { currency: "DKK" } },
    })
    expect(errorCode(notAllowed.body)).toBe("5050")
    expect((await api.createPayment({ ...qr, expiresAt: "tomorrow", receipt })).status).toBe(400)
  })

  it("a reference is unique per MSN: another create with another key → 409 / 4150", async () => {
    const reference = newReference()
    expect((await api.createPayment({ reference }, `create-${reference}-a`)).status).toBe(201)
    const again = await api.createPayment({ reference }, `create-${reference}-b`)
    expect(again.status).toBe(409)
    expect(errorCode(again.body)).toBe("4150")
  })

  it("invalid JSON → 400", async () => {
    const res = await api.call("POST", "/epayment/v1/payments", {
      rawBody: "{not json",
      idempotencyKey: "k-json",
    })
    expect(res.status).toBe(400)
    expect(res.body.extraDetails[0]).toMatchObject({ name: "body" })
  })
})
