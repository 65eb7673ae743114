import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { reconcileVippsPayments } from "../../src/sync/reconcile"
import { region, useSeededStore } from "../helpers/fixture"
import { answerOnLandingPage } from "../helpers/shopper"
import { eventually, useSimulator } from "../helpers/simulator"

jest.setTimeout(120_000)

const sim = useSimulator()

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const { shop, admin } = useSeededStore(api, getContainer, {
      regions: [region("no", "pp_vipps_vipps", "pp_vipps_profile")],
      products: [
        { label: "mug", amounts: { nok: 249.5 } },
        { label: "tee", amounts: { nok: 199 } },
      ],
    })

    /**
     * The storefront's return page: look the payment up by its reference (works in any browser), proving it
     * started the payment with the return token of its URL or the cart id it holds.
     */
    const outcome = async (reference: string, proof: { token?: string; cart_id?: string }) =>
      (await api.get(`/store/vipps/payments/${reference}`, { headers: shop.headers, params: proof })).data
        .payment

    /** Asks again (as a return page polls) until the payment is no longer pending. */
    const settled = (reference: string, proof: { token?: string; cart_id?: string }) =>
      eventually(async () => {
        const payment = await outcome(reference, proof)
        return payment.status !== "pending" && payment
      })

    /** Medusa's order and the simulator's payment must agree on amount and state. */
    async function expectAgreement(orderId: string, reference: string) {
      const { data } = await api.get(
        `/admin/orders/${orderId}?fields=id,total,payment_collections.payments.*`,
        admin,
      )
      const payment = data.order.payment_collections[0].payments[0]
      const vipps = sim.current.control.getPayment(reference)!
      expect(vipps.state).toBe("AUTHORIZED")
      expect(Math.round(payment.amount * 100)).toBe(vipps.amount.value)
      expect(vipps.aggregate.authorized).toBe(vipps.amount.value)
      expect(payment.data.reference).toBe(reference)
      return { order: data.order, vipps }
    }

    async function session(
      data: Record<string, unknown>,
      provider = "pp_vipps_vipps",
      cartExtra?: Record<string, unknown>,
    ) {
      const cart = await shop.createCart("nok", [{ label: "mug", quantity: 2 }, { label: "tee" }], cartExtra)
      const started = await shop.startPayment(cart.id, provider, data)
      return { cart, session: started.session, reference: started.session.data.reference as string }
    }

    it("WEB_REDIRECT: the return page alone, in any browser, leads to the order", async () => {
      const { cart, session: s, reference } = await session({})
      const returnTo = await answerOnLandingPage(s.data.redirectUrl, "approve")
      expect(returnTo).toContain(`reference=${reference}`)
      expect(returnTo).toContain(`cart_id=${cart.id}`)
      const back = new URL(returnTo).searchParams
      const token = back.get("vipps_token")!
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
      const result = await settled(back.get("reference")!, { token })
      expect(result).toMatchObject({ status: "authorized", state: "AUTHORIZED", cart_id: cart.id })
      await expectAgreement(result.order_id, reference)
      // and asking again is harmless
      expect((await outcome(reference, { token })).order_id).toBe(result.order_id)
    })

    it("NATIVE_REDIRECT: app-switch link, then the order", async () => {
      const { cart, session: s, reference } = await session({ userFlow: "NATIVE_REDIRECT" })
      expect(s.data.userFlow).toBe("NATIVE_REDIRECT")
      expect(s.data.redirectUrl).toBeTruthy()
      expect(sim.current.control.getPayment(reference)!.userFlow).toBe("NATIVE_REDIRECT")
      expect((await outcome(reference, { cart_id: cart.id })).status).toBe("pending")
      await answerOnLandingPage(s.data.redirectUrl, "approve")
      const result = await settled(reference, { cart_id: cart.id })
      await expectAgreement(result.order_id, reference)
    })

    it("PUSH_MESSAGE: the phone number gets the payment, no redirect", async () => {
      const bad = await shop
        .startPayment((await shop.createCart("nok", [{ label: "mug" }])).id, "pp_vipps_vipps", {
          userFlow: "PUSH_MESSAGE",
          phoneNumber: "12ab",
        })
        .catch((e) => e.response)
      expect(bad.status).toBe(400)
      expect(bad.data.message).toMatch(/phoneNumber must be an MSISDN/)

      const {
        cart,
        session: s,
        reference,
      } = await session({
        userFlow: "PUSH_MESSAGE",
        phoneNumber: "+47 912 34 567",
      })
      expect(s.data.redirectUrl).toBeUndefined()
      const vipps = sim.current.control.getPayment(reference)!
      expect(vipps.customer).toEqual({ phoneNumber: "4791234567" })
      sim.current.control.approve(reference, { phoneNumber: "4791234567" })
      const result = await settled(reference, { cart_id: cart.id })
      await expectAgreement(result.order_id, reference)
    })

    it("QR at the till: SVG, PNG and target URL, customer present", async () => {
      const svg = await session({ userFlow: "QR", customerInteraction: "CUSTOMER_PRESENT" })
      const image = await api.get(`/store/vipps/payments/${svg.reference}/qr`, { headers: shop.headers })
      expect(image.headers["content-type"]).toMatch(/^image\/svg\+xml/)
      expect(String(image.data)).toMatch(/<svg[\s>]/)
      expect(sim.current.control.getPayment(svg.reference)!.customerInteraction).toBe("CUSTOMER_PRESENT")

      const png = await session({ userFlow: "QR", qrFormat: "IMAGE/PNG", qrSize: 200 })
      const pngImage = await api.get(`/store/vipps/payments/${png.reference}/qr`, {
        headers: shop.headers,
        responseType: "arraybuffer",
      })
      expect(pngImage.headers["content-type"]).toBe("image/png")
      expect(Buffer.from(pngImage.data).subarray(0, 8)).toEqual(
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      )

      const target = await session({ userFlow: "QR", qrFormat: "TEXT/TARGETURL" })
      const url = (await api.get(`/store/vipps/payments/${target.reference}/qr`, { headers: shop.headers }))
        .data.url
      expect(url).toBe(target.session.data.redirectUrl)

      sim.current.control.approve(svg.reference)
      await expectAgreement((await settled(svg.reference, { cart_id: svg.cart.id })).order_id, svg.reference)
    })

    it("card payments: freestanding card form, WEB_REDIRECT only", async () => {
      const refused = await shop
        .startPayment((await shop.createCart("nok", [{ label: "mug" }])).id, "pp_vipps_vipps", {
          paymentMethod: "CARD",
          userFlow: "QR",
        })
        .catch((e) => e.response)
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/Card payments need userFlow WEB_REDIRECT/)

      const { cart, session: s, reference } = await session({ paymentMethod: "CARD" })
      expect(sim.current.control.getPayment(reference)!.paymentMethodType).toBe("CARD")
      await answerOnLandingPage(s.data.redirectUrl, "approve")
      await expectAgreement((await settled(reference, { cart_id: cart.id })).order_id, reference)
    })

    it("sends the cart's order lines as a receipt that adds up exactly", async () => {
      const { reference } = await session({})
      const receipt = sim.current.control.getPayment(reference)!.receipt as {
        orderLines: { name: string; totalAmount: number; unitInfo: { quantity: string; unitPrice: number } }[]
        bottomLine: { currency: string }
      }
      expect(receipt.bottomLine.currency).toBe("NOK")
      expect(
        receipt.orderLines.map((l) => [l.name, l.unitInfo.quantity, l.unitInfo.unitPrice, l.totalAmount]),
      ).toEqual(
        expect.arrayContaining([
          ["Product mug – Variant mug", "2", 24950, 49900],
          ["Product tee – Variant tee", "1", 19900, 19900],
        ]),
      )
      const sum = receipt.orderLines.reduce((total, l) => total + l.totalAmount, 0)
      expect(sum).toBe(sim.current.control.getPayment(reference)!.amount.value)
    })

    it("long-living QR payment: approved a day later, picked up by reconciliation", async () => {
      const expiresAt = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString()
      const { cart, reference, session: s } = await session({ userFlow: "QR", expiresAt })
      expect(s.data.expiresAt).toBe(expiresAt)
      const vipps = sim.current.control.getPayment(reference)!
      expect(vipps.longLiving).toBe(true)
      expect(vipps.receipt).toBeTruthy()

      const web = await shop.startPayment(cart.id, "pp_vipps_vipps", { expiresAt }).catch((e) => e.response)
      expect(web.status).toBe(400)
      expect(web.data.message).toMatch(/needs userFlow QR or PUSH_MESSAGE/)

      const again = await session({ userFlow: "QR", expiresAt })
      sim.current.control.advanceTime(24 * 3600 * 1000)
      sim.current.control.approve(again.reference)
      const report = await reconcileVippsPayments(getContainer(), {
        now: new Date(Date.now() + 24 * 3600 * 1000),
      })
      expect(report.outcomes.authorized).toBeGreaterThanOrEqual(1)
      const result = await settled(again.reference, { cart_id: again.cart.id })
      expect(result.status).toBe("authorized")
      await expectAgreement(result.order_id, again.reference)
      sim.current.control.resetTime()
    })

    it("profile sharing fills what the cart lacks and keeps what the shopper typed", async () => {
      const blank = await session({}, "pp_vipps_profile", {})
      expect(sim.current.control.getPayment(blank.reference)!.profileScope).toEqual(
        expect.arrayContaining(["name", "email", "phoneNumber", "address"]),
      )
      await answerOnLandingPage(blank.session.data.redirectUrl, "approve")
      const result = await settled(blank.reference, { cart_id: blank.cart.id })
      const { order } = await expectAgreement(result.order_id, blank.reference)
      const { data } = await api.get(
        `/admin/orders/${order.id}?fields=email,shipping_address.*,billing_address.*`,
        admin,
      )
      expect(data.order.email).toBe("ola.nordmann@example.com")
      expect(data.order.shipping_address).toMatchObject({
        first_name: "Ola",
        last_name: "Nordmann",
        address_1: "Robert Levins gate 5",
        postal_code: "0154",
        city: "Oslo",
        country_code: "no",
        phone: "4712345678",
      })
      expect(data.order.billing_address).toMatchObject({ address_1: "Robert Levins gate 5" })

      const typed = await session({}, "pp_vipps_profile", { email: "typed@example.com" })
      await answerOnLandingPage(typed.session.data.redirectUrl, "approve")
      const typedOrder = await settled(typed.reference, { cart_id: typed.cart.id })
      const { data: kept } = await api.get(`/admin/orders/${typedOrder.order_id}?fields=email`, admin)
      expect(kept.order.email).toBe("typed@example.com")
    })

    it("answers 404 for a reference it does not know", async () => {
      const missing = await api
        .get(`/store/vipps/payments/test-no-payses-01ABCDEFGHJKMNPQRSTVWXYZ00`, { headers: shop.headers })
        .catch((e: { response: unknown }) => e.response)
      expect(missing.status).toBe(404)
    })
  },
})
