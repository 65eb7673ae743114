import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { region, useSeededStore } from "../helpers/fixture"
import { answerOnLandingPage } from "../helpers/shopper"
import { DENMARK, eventually, NORWAY, useSimulator } from "../helpers/simulator"

jest.setTimeout(120_000)

const sim = useSimulator()

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const { shop, admin } = useSeededStore(api, getContainer, {
      regions: [
        region("no", "pp_vipps_vipps", "pp_vipps_direct"),
        region("dk", "pp_vipps_mobilepay"),
        region("fi", "pp_vipps_mobilepay"),
        region("us", "pp_vipps_vipps"),
      ],
      products: [
        { label: "mug", amounts: { nok: 249.5, dkk: 19.99, eur: 19.99, usd: 25 } },
        { label: "cent", amounts: { dkk: 0.01, eur: 0.01 } },
        { label: "car", amounts: { dkk: 649999.99, eur: 649999.99 } },
        { label: "yacht", amounts: { dkk: 1234567.89, nok: 1234567.89 } },
      ],
    })

    /** cart → session → approve on the landing page → complete */
    async function checkout(currency: string, providerId: string, items = [{ label: "mug", quantity: 2 }]) {
      const cart = await shop.createCart(currency, items)
      const { session } = await shop.startPayment(cart.id, providerId, { cart_id: cart.id })
      const returnTo = await answerOnLandingPage(session.data.redirectUrl, "approve")
      const completed = await shop.complete(cart.id)
      expect(completed.status).toBe(200)
      expect(completed.data.type).toBe("order")
      return { cart, session, returnTo, order: completed.data.order }
    }

    async function orderPayment(orderId: string) {
      const { data } = await api.get(
        `/admin/orders/${orderId}?fields=id,total,payment_collections.payments.*,payment_collections.payments.captures.*,payment_collections.payments.refunds.*`,
        admin,
      )
      return data.order.payment_collections[0].payments[0]
    }

    const vipps = (reference: string) => sim.current.control.getPayment(reference)!

    it("checks out in NOK: redirect, approval, order with the exact authorized amount", async () => {
      const { cart, session, returnTo, order } = await checkout("nok", "pp_vipps_vipps")
      expect(cart.total).toBe(499)
      expect(session.data).toMatchObject({
        reference: expect.stringMatching(/^test-no-payses-[A-Za-z0-9]+$/),
        userFlow: "WEB_REDIRECT",
        amount: { currency: "NOK", value: 49900 },
        state: "CREATED",
      })
      expect(JSON.stringify(session.data)).not.toMatch(/secret|subscription/i)
      expect(returnTo).toMatch(
        new RegExp(
          `^http://localhost:8000/checkout/vipps/return\\?reference=${session.data.reference}&cart_id=${cart.id}&vipps_token=[A-Za-z0-9_-]{43}$`,
        ),
      )
      const payment = vipps(session.data.reference)
      expect(payment.msn).toBe(NORWAY.msn)
      expect(payment.state).toBe("AUTHORIZED")
      expect(payment.aggregate).toEqual({ authorized: 49900, captured: 0, refunded: 0, cancelled: 0 })
      // Recognisable for the shopper, no internal id: the store and what was bought.
      expect(payment.paymentDescription).toBe("Demo Store: 2 × Product mug – Variant mug")

      const medusaPayment = await orderPayment(order.id)
      expect(medusaPayment.amount).toBe(499)
      expect(medusaPayment.provider_id).toBe("pp_vipps_vipps")
      expect(medusaPayment.data).toMatchObject({ reference: session.data.reference, state: "AUTHORIZED" })
    })

    it("refuses to complete before approval with a clear message, and completes once approved", async () => {
      const cart = await shop.createCart("nok", [{ label: "mug" }])
      const { session } = await shop.startPayment(cart.id, "pp_vipps_vipps", { cart_id: cart.id })
      const early = await shop.complete(cart.id)
      expect(early.status).toBe(200)
      expect(early.data.type).toBe("cart")
      expect(early.data.error.message).toMatch(/Waiting for the customer to approve/)

      await answerOnLandingPage(session.data.redirectUrl, "approve")
      const done = await shop.complete(cart.id)
      expect(done.data.type).toBe("order")
      expect(done.data.order.total).toBe(249.5)
    })

    it.each([
      ["rejected", "ABORTED", /cancelled in Vipps MobilePay/],
      ["expired", "EXPIRED", /expired/],
    ])("explains a %s payment and lets the shopper start again", async (how, state, message) => {
      const cart = await shop.createCart("nok", [{ label: "mug" }])
      const { session } = await shop.startPayment(cart.id, "pp_vipps_vipps", { cart_id: cart.id })
      if (how === "rejected") await answerOnLandingPage(session.data.redirectUrl, "reject")
      else sim.current.control.expire(session.data.reference)
      expect(vipps(session.data.reference).state).toBe(state)

      const failed = await shop.complete(cart.id)
      expect(failed.data.type).toBe("cart")
      expect(failed.data.error.message).toMatch(message)

      const retry = await shop.startPayment(cart.id, "pp_vipps_vipps", { cart_id: cart.id })
      expect(retry.session.data.reference).not.toBe(session.data.reference)
      await answerOnLandingPage(retry.session.data.redirectUrl, "approve")
      const done = await shop.complete(cart.id)
      expect(done.data.type).toBe("order")
    })

    it("captures in full from the admin", async () => {
      const { session, order } = await checkout("nok", "pp_vipps_vipps")
      const payment = await orderPayment(order.id)
      await api.post(`/admin/payments/${payment.id}/capture`, {}, admin)
      expect(vipps(session.data.reference).aggregate.captured).toBe(49900)
      expect((await orderPayment(order.id)).captured_at).toBeTruthy()
    })

    it("captures in two parts, refunds twice, and refuses an over-refund", async () => {
      const { session, order } = await checkout("nok", "pp_vipps_vipps")
      const reference = session.data.reference
      const payment = await orderPayment(order.id)
      await api.post(`/admin/payments/${payment.id}/capture`, { amount: 200.25 }, admin)
      expect(vipps(reference).aggregate.captured).toBe(20025)
      await api.post(`/admin/payments/${payment.id}/capture`, { amount: 298.75 }, admin)
      expect(vipps(reference).aggregate.captured).toBe(49900)

      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 100 }, admin)
      expect(vipps(reference).aggregate.refunded).toBe(10000)
      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 50.5 }, admin)
      expect(vipps(reference).aggregate.refunded).toBe(15050)

      const over = await api.post(
        `/admin/payments/${payment.id}/refund`,
        { amount: 400 },
        {
          ...admin,
          validateStatus: () => true,
        },
      )
      expect(over.status).toBe(400)
      expect(vipps(reference).aggregate.refunded).toBe(15050)
    })

    it("releases the uncaptured reservation when the order is cancelled", async () => {
      const { session, order } = await checkout("nok", "pp_vipps_vipps")
      await api.post(`/admin/orders/${order.id}/cancel`, {}, admin)
      expect(vipps(session.data.reference).aggregate).toEqual({
        authorized: 49900,
        captured: 0,
        refunded: 0,
        cancelled: 49900,
      })
    })

    it("captures at completion with autoCapture, calling capture exactly once", async () => {
      const { session, order } = await checkout("nok", "pp_vipps_direct")
      const reference = session.data.reference
      expect(reference).toMatch(/^test-direct-/)
      expect(vipps(reference).aggregate.captured).toBe(49900)
      const payment = await orderPayment(order.id)
      expect(payment.captured_at).toBeTruthy()
      expect(payment.captures).toHaveLength(1)
      const captures = sim.current.control
        .requests()
        .filter((r) => r.method === "POST" && r.path === `/epayment/v1/payments/${reference}/capture`)
      expect(captures).toHaveLength(1)
    })

    it.each([
      ["dkk", "mug", 1999],
      ["eur", "cent", 1],
      ["dkk", "car", 64999999],
    ])("sends %s %s to Vipps MobilePay exactly (%i minor units)", async (currency, label, minor) => {
      const { session, order } = await checkout(currency, "pp_vipps_mobilepay", [{ label, quantity: 1 }])
      const payment = vipps(session.data.reference)
      expect(payment.msn).toBe(DENMARK.msn)
      expect(payment.amount).toEqual({ currency: currency.toUpperCase(), value: minor })
      expect(payment.aggregate.authorized).toBe(minor)
      const captured = await orderPayment(order.id)
      await api.post(`/admin/payments/${captured.id}/capture`, {}, admin)
      expect(vipps(session.data.reference).aggregate.captured).toBe(minor)
    })

    it("refuses an amount above the ePayment maximum before calling Vipps MobilePay", async () => {
      const cart = await shop.createCart("dkk", [{ label: "yacht" }])
      const before = sim.current.control.requests().length
      const error = await shop.startPayment(cart.id, "pp_vipps_mobilepay").catch((e) => e.response)
      expect(error.status).toBe(400)
      expect(error.data.message).toMatch(/at most 650000.00 DKK per payment; the amount is 1234567.89 DKK/)
      expect(sim.current.control.requests().length).toBe(before)
    })

    it("refuses USD before calling Vipps MobilePay", async () => {
      const cart = await shop.createCart("usd", [{ label: "mug" }])
      const before = sim.current.control.requests().length
      const error = await shop.startPayment(cart.id, "pp_vipps_vipps").catch((e) => e.response)
      expect(error.status).toBe(400)
      expect(error.data.message).toMatch(/does not support the currency "usd"/)
      expect(sim.current.control.requests().length).toBe(before)
    })

    it("refuses unknown session fields from the storefront", async () => {
      const cart = await shop.createCart("nok", [{ label: "mug" }])
      const error = await shop
        .startPayment(cart.id, "pp_vipps_vipps", { reference: "someone-elses-payment" })
        .catch((e) => e.response)
      expect(error.status).toBe(400)
      expect(error.data.message).toMatch(/unknown field\(s\) reference/)
    })

    it("captures and refunds exactly once when the connection drops after Vipps acted", async () => {
      const { session, order } = await checkout("nok", "pp_vipps_vipps")
      const reference = session.data.reference
      const payment = await orderPayment(order.id)

      sim.current.control.cutConnection("capture", { times: 1, when: "after" })
      await api.post(`/admin/payments/${payment.id}/capture`, { amount: 300 }, admin)
      expect(vipps(reference).aggregate.captured).toBe(30000)
      expect(vipps(reference).events.filter((e) => e.name === "CAPTURED")).toHaveLength(1)

      sim.current.control.cutConnection("refund", { times: 1, when: "after" })
      await api.post(`/admin/payments/${payment.id}/refund`, { amount: 120 }, admin)
      expect(vipps(reference).aggregate.refunded).toBe(12000)
      expect(vipps(reference).events.filter((e) => e.name === "REFUNDED")).toHaveLength(1)
      const attempts = sim.current.control
        .requests()
        .filter((r) => r.path === `/epayment/v1/payments/${reference}/refund`)
      expect(attempts.length).toBe(2)
    })

    it("records a capture that went through although every answer was lost", async () => {
      const { session, order } = await checkout("nok", "pp_vipps_vipps")
      const reference = session.data.reference
      const payment = await orderPayment(order.id)
      sim.current.control.cutConnection("capture", { times: 10, when: "after" })
      const captured = await api.post(`/admin/payments/${payment.id}/capture`, { amount: 300 }, admin)
      sim.current.control.clearFaults()
      expect(captured.status).toBe(200)
      expect(vipps(reference).aggregate.captured).toBe(30000)
      expect((await orderPayment(order.id)).captures.map((c: { amount: number }) => c.amount)).toEqual([300])
    })

    it("never captures twice when an earlier capture went through unseen", async () => {
      const { session, order } = await checkout("nok", "pp_vipps_vipps")
      const reference = session.data.reference
      const payment = await orderPayment(order.id)

      // Every attempt reaches Vipps but no answer comes back, and the event log cannot be read either:
      // Medusa sees a failure and drops its capture row.
      sim.current.control.cutConnection("capture", { times: 10, when: "after" })
      sim.current.control.failNext("getPaymentEvents", { times: 10, status: 503 })
      const lost = await api.post(
        `/admin/payments/${payment.id}/capture`,
        { amount: 300 },
        { ...admin, validateStatus: () => true },
      )
      expect(lost.status).toBeGreaterThanOrEqual(400)
      sim.current.control.clearFaults()
      expect(vipps(reference).aggregate.captured).toBe(30000)

      // The merchant tries again: a new capture id, so a new Idempotency-Key; the plugin must refuse.
      const again = await api.post(
        `/admin/payments/${payment.id}/capture`,
        { amount: 300 },
        { ...admin, validateStatus: () => true },
      )
      expect(again.status).toBe(400)
      expect(again.data.message).toMatch(/holds 300.00 NOK captured .* Medusa recorded 0.00 NOK/)
      expect(vipps(reference).aggregate.captured).toBe(30000)
      expect(vipps(reference).events.filter((e) => e.name === "CAPTURED")).toHaveLength(1)
    })

    it("refunds the captured part and releases the rest when a partly captured order is cancelled", async () => {
      const { session, order } = await checkout("nok", "pp_vipps_vipps")
      const reference = session.data.reference
      const payment = await orderPayment(order.id)
      await api.post(`/admin/payments/${payment.id}/capture`, { amount: 200 }, admin)
      await api.post(`/admin/orders/${order.id}/cancel`, {}, admin)
      await eventually(async () => vipps(reference).aggregate.cancelled === 29900)
      expect(vipps(reference).aggregate).toEqual({
        authorized: 49900,
        captured: 20000,
        refunded: 20000,
        cancelled: 29900,
      })
      expect(vipps(reference).events.filter((e) => e.name === "CANCELLED")).toHaveLength(1)
    })

    it("refuses to place an order on a reservation released before completion", async () => {
      const cart = await shop.createCart("nok", [{ label: "mug" }])
      const { session } = await shop.startPayment(cart.id, "pp_vipps_vipps", { cart_id: cart.id })
      await answerOnLandingPage(session.data.redirectUrl, "approve")
      sim.current.control.cancel(session.data.reference) // e.g. in the business portal
      const completed = await shop.complete(cart.id)
      expect(completed.data.type).toBe("cart")
      expect(completed.data.error.message).toMatch(/reservation was released/)
    })

    it("does not let the storefront send push messages unless the registration allows it", async () => {
      const cart = await shop.createCart("dkk", [{ label: "mug" }])
      const refused = await shop
        .startPayment(cart.id, "pp_vipps_mobilepay", { userFlow: "PUSH_MESSAGE", phoneNumber: "4512345678" })
        .catch((e) => e.response)
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/PUSH_MESSAGE is not enabled for the storefront/)
    })
  },
})
