import http from "node:http"
import type { AddressInfo } from "node:net"
import { GetPaymentResponse, WebhookEvent } from "../../lib/vipps/schemas"
import type { RunningSimulator } from "../index"
import {
  Api,
  errorCode,
  newReference,
  startReceiver,
  startTestSimulator,
  type WebhookReceiver,
} from "./helpers"
import { EPAYMENT, EPAYMENT_ADDITIONS, OpenApiValidator } from "./openapi-validator"

/**
 * Express (ePayment 1.8.0) in the simulator, checked against spec/epayment-1.8-additions.yml: fixed options,
 * dynamic options through the merchant's callback (token, body, 400 for an address it cannot ship to),
 * `shippingDetails` and `userDetails` in GET and the AUTHORIZED webhook, amount + option authorized, and
 * the 1.8 rules (WALLET only, scope with address, fixed xor dynamic, no force approve).
 */

const SCOPE = "name address email phoneNumber"
const option = (id: string, value: number, extra: Record<string, unknown> = {}) => ({
  id,
  amount: { currency: "NOK", value },
  name: `Option ${id}`,
  ...extra,
})
const FIXED = [
  {
    brand: "POSTEN",
    type: "HOME_DELIVERY",
    isDefault: true,
    priority: 0,
    options: [option("so_home", 9_900, { isDefault: true })],
  },
  {
    brand: "OTHER",
    type: "PICKUP_POINT",
    isDefault: false,
    priority: 1,
    options: [option("so_pickup", 4_900), option("so_locker", 2_900)],
  },
]

type CallbackCall = { headers: http.IncomingHttpHeaders; body: Record<string, unknown>; url: string }

/** A merchant's shipping callback: answers what `answer` says for each call and records it. */
async function startCallback(answer: (body: Record<string, unknown>) => { status: number; body?: unknown }) {
  const calls: CallbackCall[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>
      calls.push({ headers: req.headers, body, url: req.url ?? "" })
      const out = answer(body)
      res
        .writeHead(out.status, { "content-type": "application/json" })
        .end(out.body ? JSON.stringify(out.body) : "")
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/shipping?ref=x`
  return {
    url,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe("simulator: Express checkout", () => {
  let sim: RunningSimulator
  let api: Api
  let receiver: WebhookReceiver
  const validator = new OpenApiValidator()
  const additions = (name: string) => validator.schemaRef(EPAYMENT_ADDITIONS, name)
  const base = (name: string) => validator.schemaRef(EPAYMENT, name)

  beforeAll(async () => {
    sim = await startTestSimulator()
    api = new Api(sim)
    receiver = await startReceiver()
    await api.call("POST", "/webhooks/v1/webhooks", {
      body: { url: `${receiver.url}/hooks`, events: ["epayments.payment.authorized.v1"] },
    })
  })
  afterAll(async () => {
    await sim.stop()
    await receiver.close()
  })

  it("fixed options: the chosen option is added to the amount; GET and the webhook carry shippingDetails", async () => {
    const reference = newReference("express")
    const body = {
      amount: { currency: "NOK", value: 49_900 },
      paymentMethod: { type: "WALLET" },
      profile: { scope: SCOPE },
      reference,
      userFlow: "WEB_REDIRECT",
      returnUrl: "https://shop.example.com/return",
      paymentDescription: "Express order",
      shipping: { fixedOptions: FIXED },
    }
    expect(validator.check(additions("CreatePaymentRequestAdditions"), body)).toEqual([])
    const created = await api.call("POST", "/epayment/v1/payments", {
      body,
      idempotencyKey: `c-${reference}`,
    })
    expect(created.status).toBe(201)

    const page = await fetch(sim.control.landingUrl(reference)).then((r) => r.text())
    expect(page).toContain('value="so_locker"')
    expect(page).toMatch(/value="so_home" checked/)
    expect(page).toContain("Robert Levins gate 5")

    sim.control.approve(reference, { shippingOptionId: "so_locker" })
    const got = await api.getPayment(reference)
    expect(validator.check(base("GetPaymentResponse"), got.body)).toEqual([])
    expect(validator.check(additions("GetPaymentResponseAdditions"), got.body)).toEqual([])
    const payment = GetPaymentResponse.parse(got.body)
    expect(payment.amount.value).toBe(49_900)
    expect(payment.aggregate.authorizedAmount.value).toBe(49_900 + 2_900)
    expect(payment.shippingDetails).toEqual({
      address: {
        addressLine1: "Robert Levins gate 5",
        addressLine2: null,
        city: "Oslo",
        postCode: "0154",
        country: "NO",
      },
      shippingCost: 2_900,
      shippingOptionId: "so_locker",
      shippingOptionName: "Option so_locker",
    })
    expect(payment.userDetails).toMatchObject({ firstName: "Ola", email: "ola.nordmann@example.com" })

    const [hook] = await sim.control.waitForWebhooks(1, { reference, eventName: "AUTHORIZED" })
    expect(validator.check(base("WebhookEvent"), hook.payload)).toEqual([])
    expect(validator.check(additions("WebhookEventAdditions"), hook.payload)).toEqual([])
    const event = WebhookEvent.parse(hook.payload)
    expect(event.amount.value).toBe(52_800)
    expect(event.shippingDetails).toEqual(payment.shippingDetails)

    // The whole authorized amount can be captured, shipping included.
    const captured = await api.call("POST", `/epayment/v1/payments/${reference}/capture`, {
      body: { modificationAmount: { currency: "NOK", value: 52_800 } },
      idempotencyKey: `cap-${reference}`,
    })
    expect(captured.status).toBe(200)
    expect(captured.body.aggregate.capturedAmount.value).toBe(52_800)
  })

  it("the landing page approves the option the shopper picked", async () => {
    const reference = newReference("express")
    await api.createPayment({ reference, profile: { scope: SCOPE }, shipping: { fixedOptions: FIXED } })
    const token = new URL(sim.control.landingUrl(reference)).searchParams.get("token")!
    const res = await fetch(`${sim.url}/landing/approve`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token, shippingOptionId: "so_pickup" }).toString(),
      redirect: "manual",
    })
    expect(res.status).toBe(303)
    expect(sim.control.getPayment(reference)!.aggregate.authorized).toBe(49_900 + 4_900)
  })

  it("dynamic options: calls the merchant with the token and the address, again when the address changes", async () => {
    const callback = await startCallback((body) =>
      body.country === "NO"
        ? {
            status: 200,
            body: {
              groups: [
                {
                  brand: "POSTNORD",
                  type: "HOME_DELIVERY",
                  options: [option(`so_${body.postCode}`, 12_300)],
                },
              ],
            },
          }
        : { status: 400 },
    )
    try {
      const reference = newReference("express")
      const shipping = {
        dynamicOptions: { callbackUrl: callback.url, callbackAuthorizationToken: "Bearer secret-token-1" },
      }
      expect(validator.check(additions("Shipping"), shipping)).toEqual([])
      expect((await api.createPayment({ reference, profile: { scope: SCOPE }, shipping })).status).toBe(201)

      const page = await fetch(sim.control.landingUrl(reference)).then((r) => r.text())
      expect(page).toContain('value="so_0154"')
      expect(callback.calls).toHaveLength(1)
      expect(callback.calls[0].headers.authorization).toBe("Bearer secret-token-1")
      expect(callback.calls[0].url).toBe("/shipping?ref=x")
      expect(validator.check(additions("DynamicShippingCallbackRequest"), callback.calls[0].body)).toEqual([])
      expect(callback.calls[0].body).toEqual({
        reference,
        addressLine1: "Robert Levins gate 5",
        addressLine2: null,
        city: "Oslo",
        postCode: "0154",
        country: "NO",
      })

      // Abroad: the merchant says 400, the app cannot approve and the payment stays CREATED.
      await expect(
        sim.control.approveExpress(reference, { address: { country: "SE", postCode: "11122" } }),
      ).rejects.toThrow(/cannot deliver/)
      expect(sim.control.getPayment(reference)!.state).toBe("CREATED")

      await sim.control.approveExpress(reference, { address: { postCode: "0155", city: "Oslo" } })
      const payment = GetPaymentResponse.parse((await api.getPayment(reference)).body)
      expect(payment.aggregate.authorizedAmount.value).toBe(49_900 + 12_300)
      expect(payment.shippingDetails?.shippingOptionId).toBe("so_0155")
      expect(payment.shippingDetails?.address?.postCode).toBe("0155")
    } finally {
      await callback.close()
    }
  })

  it("refuses a callback answer without groups (an empty success) and approves nothing", async () => {
    const callback = await startCallback(() => ({ status: 200, body: { groups: [] } }))
    try {
      const reference = newReference("express")
      const shipping = { dynamicOptions: { callbackUrl: callback.url, callbackAuthorizationToken: "t" } }
      await api.createPayment({ reference, profile: { scope: SCOPE }, shipping })
      await expect(sim.control.approveExpress(reference)).rejects.toThrow(/no shipping groups/)
      expect(sim.control.getPayment(reference)!.state).toBe("CREATED")
    } finally {
      await callback.close()
    }
  })

  it("enforces the 1.8 rules: WALLET, scope with address, fixed xor dynamic, same currency, no force approve", async () => {
    const dynamic = {
      dynamicOptions: { callbackUrl: "https://shop.example.com/cb", callbackAuthorizationToken: "t" },
    }
    const cases: Record<string, unknown>[] = [
      { paymentMethod: { type: "CARD" }, profile: { scope: SCOPE }, shipping: { fixedOptions: FIXED } },
      { profile: { scope: "name email" }, shipping: { fixedOptions: FIXED } },
      { profile: { scope: SCOPE }, shipping: { fixedOptions: FIXED, ...dynamic } },
      { profile: { scope: SCOPE }, shipping: {} },
      {
        profile: { scope: SCOPE },
        shipping: {
          fixedOptions: [
            { ...FIXED[0], options: [{ ...option("x", 1), amount: { currency: "DKK", value: 1 } }] },
          ],
        },
      },
      { profile: { scope: SCOPE }, shipping: { fixedOptions: [FIXED[0], FIXED[0]] } },
      {
        profile: { scope: SCOPE },
        shipping: { fixedOptions: [{ ...FIXED[0], options: [{ ...option("x", 1), description: "no" }] }] },
      },
    ]
    for (const overrides of cases) {
      const res = await api.createPayment(overrides)
      expect({ overrides, status: res.status }).toEqual({ overrides, status: 400 })
    }
    const reference = newReference("express")
    await api.createPayment({ reference, profile: { scope: SCOPE }, shipping: { fixedOptions: FIXED } })
    const forced = await api.forceApprove(reference)
    expect(forced.status).toBe(400)
    expect(sim.control.getPayment(reference)!.state).toBe("CREATED")
  })

  it("a sales unit without Express answers 5020", async () => {
    const other = await startTestSimulator({
      merchants: [
        {
          clientId: "c",
          clientSecret: "s",
          subscriptionKey: "k",
          msn: "223344",
          currencies: ["NOK"],
          allowExpress: false,
        },
      ],
    })
    try {
      const res = await new Api(other, other.merchants[0]).createPayment({
        profile: { scope: SCOPE },
        shipping: { fixedOptions: FIXED },
      })
      expect(res.status).toBe(400)
      expect(errorCode(res.body)).toBe("5020")
    } finally {
      await other.stop()
    }
  })
})
