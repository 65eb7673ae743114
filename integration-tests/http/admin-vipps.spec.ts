import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { region, useSeededStore } from "../helpers/fixture"
import { answerOnLandingPage } from "../helpers/shopper"
import { useSimulator } from "../helpers/simulator"
import type { PaymentView } from "../../src/api/admin/vipps/payments/[id]/route"
import type { AdminVippsReleaseResponse } from "../../src/api/admin/vipps/payments/[id]/release/route"

jest.setTimeout(120_000)

const sim = useSimulator()
const DAY_MS = 24 * 3600 * 1000

type View = PaymentView

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const { shop, admin } = useSeededStore(api, getContainer, {
      regions: [region("no", "pp_vipps_vipps"), region("dk", "pp_vipps_mobilepay")],
      products: [{ label: "mug", amounts: { nok: 249.5, dkk: 19.99 } }],
    })

    /** A paid order: cart, session, approval on the landing page, completion. Returns the Medusa payment. */
    async function paidOrder(currency = "nok", providerId = "pp_vipps_vipps", quantity = 2) {
      const cart = await shop.createCart(currency, [{ label: "mug", quantity }])
      const { session } = await shop.startPayment(cart.id, providerId, { cart_id: cart.id })
      await answerOnLandingPage(session.data.redirectUrl, "approve")
      const completed = await shop.complete(cart.id)
      expect(completed.data.type).toBe("order")
      const { data } = await api.get(
        `/admin/orders/${completed.data.order.id}?fields=id,payment_collections.payments.id`,
        admin,
      )
      return {
        paymentId: data.order.payment_collections[0].payments[0].id as string,
        reference: session.data.reference as string,
      }
    }

    const view = async (paymentId: string) =>
      (await api.get(`/admin/vipps/payments/${paymentId}`, admin)).data.vipps_payment as View

    it("refuses anonymous requests and requests with a bad token", async () => {
      const { paymentId } = await paidOrder()
      const anonymous = await api.get(`/admin/vipps/payments/${paymentId}`, { validateStatus: () => true })
      expect(anonymous.status).toBe(401)
      expect(JSON.stringify(anonymous.data)).not.toContain("AUTHORIZED")
      const forged = await api.get(`/admin/vipps/payments/${paymentId}`, {
        headers: { authorization: "Bearer not-a-token" },
        validateStatus: () => true,
      })
      expect(forged.status).toBe(401)
      const storeKey = await api.get(`/admin/vipps/payments/${paymentId}`, {
        headers: shop.headers,
        validateStatus: () => true,
      })
      expect(storeKey.status).toBe(401)
    })

    it("shows Vipps MobilePay's numbers after a checkout and a partial capture, in agreement with Medusa", async () => {
      const { paymentId, reference } = await paidOrder()
      await api.post(`/admin/payments/${paymentId}/capture`, { amount: 200.25 }, admin)

      const v = await view(paymentId)
      const simulated = sim.current.control.getPayment(reference)!
      expect(v.payment_id).toBe(paymentId)
      expect(v.reference).toBe(reference)
      expect(v.vipps).toMatchObject({
        state: "AUTHORIZED",
        psp_reference: simulated.pspReference,
        authorized: { currency: "NOK", value: 49900, decimal: "499.00" },
        captured: { currency: "NOK", value: 20025, decimal: "200.25" },
        refunded: { value: 0 },
        cancelled: { value: 0 },
        capturable: { value: 29875, decimal: "298.75" },
      })
      expect(v.medusa).toMatchObject({
        amount: { value: 49900 },
        captured: { value: 20025 },
        refunded: { value: 0 },
        canceled_at: null,
      })
      expect(v.discrepancies).toEqual([])
      expect(v.error).toBeNull()
      expect(v.events.map((e) => [e.name, e.amount.value, e.success])).toEqual([
        ["CREATED", 49900, true],
        ["AUTHORIZED", 49900, true],
        ["CAPTURED", 20025, true],
      ])
      expect(v.events.find((e) => e.name === "CAPTURED")?.by_api).toBe(true)

      // Norway: Vipps MobilePay guarantees the capture for 180 days from the authorization.
      const authorized = simulated.events.find((e) => e.name === "AUTHORIZED")!
      expect(v.capture_deadline).toMatchObject({
        basis: "captureGuaranteedUntil",
        passed: false,
        days_left: 179,
      })
      expect(Date.parse(v.capture_deadline!.at) - Date.parse(authorized.timestamp)).toBe(180 * DAY_MS)
      expect(v.capture_deadline!.authorized_at).toBe(new Date(authorized.timestamp).toISOString())

      // A partial refund through Medusa's own admin action shows on both sides.
      await api.post(`/admin/payments/${paymentId}/refund`, { amount: 50.5 }, admin)
      const refunded = await view(paymentId)
      expect(refunded.vipps?.refunded.value).toBe(5050)
      expect(refunded.medusa.refunded.value).toBe(5050)
      expect(refunded.discrepancies).toEqual([])
      expect(refunded.events.map((e) => e.name)).toEqual(["CREATED", "AUTHORIZED", "CAPTURED", "REFUNDED"])
    })

    it("gives a Danish payment the 14-day capture deadline", async () => {
      const { paymentId } = await paidOrder("dkk", "pp_vipps_mobilepay", 1)
      const v = await view(paymentId)
      expect(v.vipps?.authorized).toEqual({ currency: "DKK", value: 1999, decimal: "19.99" })
      expect(v.capture_deadline).toMatchObject({
        basis: "captureGuaranteedUntil",
        days_left: 13,
        passed: false,
      })
      expect(Date.parse(v.capture_deadline!.at) - Date.parse(v.capture_deadline!.authorized_at!)).toBe(
        14 * DAY_MS,
      )
    })

    it("shows the deadline from captureGuaranteedUntil when the bank releases the hold early", async () => {
      const { paymentId, reference } = await paidOrder()
      const authorizedAt = Date.parse(
        sim.current.control.getPayment(reference)!.events.find((e) => e.name === "AUTHORIZED")!.timestamp,
      )
      // A card network keeps the hold 5 days only (e.g. Visa): that, not Norway's 180 days, is the deadline.
      const until = new Date(authorizedAt + 5 * DAY_MS)
      sim.current.control.setCaptureGuaranteedUntil(reference, until)
      const v = await view(paymentId)
      expect(v.capture_deadline).toMatchObject({
        basis: "captureGuaranteedUntil",
        at: until.toISOString(),
        days_left: 4,
        passed: false,
      })
    })

    it("falls back to the market rule when Vipps MobilePay sends no captureGuaranteedUntil", async () => {
      sim.current.control.setAdditions({ captureGuaranteedUntil: false })
      try {
        const { paymentId } = await paidOrder("dkk", "pp_vipps_mobilepay", 1)
        const v = await view(paymentId)
        expect(v.capture_deadline).toMatchObject({ basis: "denmark-finland-14-days", days_left: 13 })
      } finally {
        sim.current.control.setAdditions({ captureGuaranteedUntil: true })
      }
    })

    it("warns when Vipps MobilePay holds captures and refunds Medusa does not know about", async () => {
      const { paymentId, reference } = await paidOrder()
      // The merchant captured 100.00 and refunded 30.00 in the business portal.
      sim.current.control.capture(reference, 10000)
      sim.current.control.refund(reference, 3000)
      const v = await view(paymentId)
      expect(v.vipps).toMatchObject({ captured: { value: 10000 }, refunded: { value: 3000 } })
      expect(v.medusa).toMatchObject({ captured: { value: 0 }, refunded: { value: 0 } })
      expect(v.discrepancies.map((d) => d.kind).sort()).toEqual(["captured", "refunded"])
      expect(v.discrepancies.find((d) => d.kind === "captured")?.message).toBe(
        "Medusa has recorded 0.00 NOK captured, Vipps MobilePay holds 100.00 NOK captured.",
      )
      expect(v.events.filter((e) => e.name === "CAPTURED").map((e) => e.by_api)).toEqual([false])
    })

    it("still shows Medusa's side, with the reason, when Vipps MobilePay cannot be read", async () => {
      const { paymentId } = await paidOrder()
      sim.current.control.failNext("getPayment", { status: 403 })
      try {
        const v = await view(paymentId)
        expect(v.vipps).toBeNull()
        expect(v.medusa.amount.value).toBe(49900)
        expect(v.error).toMatch(/Vipps MobilePay could not read the payment .*HTTP 403/)
        expect(v.error).not.toMatch(/secret|subscription/i)
      } finally {
        sim.current.control.clearFaults()
      }
    })

    it("answers 404 for unknown payments", async () => {
      const missing = await api.get(`/admin/vipps/payments/pay_01JXXXXXXXXXXXXXXXXXXXXXXX`, {
        ...admin,
        validateStatus: () => true,
      })
      expect(missing.status).toBe(404)
    })

    const release = async (paymentId: string, headers = admin) => {
      const answer = await api.post(
        `/admin/vipps/payments/${paymentId}/release`,
        {},
        {
          ...headers,
          validateStatus: () => true,
        },
      )
      return answer as { status: number; data: AdminVippsReleaseResponse }
    }

    it("captures in parts through Medusa's capture and names the state in the merchant's words after each", async () => {
      const { paymentId, reference } = await paidOrder()
      const reserved = await view(paymentId)
      expect(reserved.status?.label).toBe("Reserved")
      expect(reserved.actions).toEqual({
        uncaptured: { currency: "NOK", value: 49900, decimal: "499.00" },
        can_capture: true,
        can_release: true,
        refundable: { currency: "NOK", value: 0, decimal: "0.00" },
        can_refund: false,
      })

      await api.post(`/admin/payments/${paymentId}/capture`, { amount: 100 }, admin)
      const partly = await view(paymentId)
      expect(partly.status?.label).toBe("Partly captured")
      expect(partly.vipps?.state).toBe("AUTHORIZED")
      expect(partly.actions.uncaptured.decimal).toBe("399.00")

      await api.post(`/admin/payments/${paymentId}/capture`, { amount: 399 }, admin)
      const captured = await view(paymentId)
      expect(captured.status).toEqual({ label: "Captured", tone: "green", detail: null })
      expect(captured.actions).toMatchObject({ can_capture: false, can_release: false })
      expect(captured.medusa.captured.value).toBe(49900)
      expect(sim.current.control.getPayment(reference)!.aggregate.captured).toBe(49900)

      await api.post(`/admin/payments/${paymentId}/refund`, { amount: 99 }, admin)
      expect((await view(paymentId)).status?.label).toBe("Partly refunded")
      await api.post(`/admin/payments/${paymentId}/refund`, { amount: 400 }, admin)
      expect((await view(paymentId)).status?.label).toBe("Refunded")

      // Nothing is reserved any more: a release changes nothing.
      const refused = await release(paymentId)
      expect(refused.status).toBe(400)
      expect(sim.current.control.getPayment(reference)!.aggregate.cancelled).toBe(0)
    })

    it("releases the uncaptured rest of a partly captured payment once, however often it is asked", async () => {
      const { paymentId, reference } = await paidOrder()
      await api.post(`/admin/payments/${paymentId}/capture`, { amount: 200 }, admin)

      // A double submit: both requests arrive; one releases, the other finds nothing left.
      const answers = await Promise.all([release(paymentId), release(paymentId)])
      expect(answers.map((a) => a.status).sort()).toEqual([200, 400])
      const released = answers.find((a) => a.status === 200)!.data
      expect(released).toEqual({
        payment_id: paymentId,
        scope: "rest",
        released: { currency: "NOK", value: 29900, decimal: "299.00" },
      })
      const simulated = sim.current.control.getPayment(reference)!
      expect(simulated.aggregate).toMatchObject({ captured: 20000, cancelled: 29900 })
      expect(simulated.events.filter((e) => e.name === "CANCELLED")).toHaveLength(1)

      const v = await view(paymentId)
      expect(v.status).toEqual({
        label: "Captured",
        tone: "green",
        detail: "The uncaptured rest was released.",
      })
      // Medusa cancels the payment (nothing more to capture); its captures stay and can be refunded.
      expect(v.medusa.captured.value).toBe(20000)
      expect(v.medusa.canceled_at).not.toBeNull()
      expect(v.actions).toMatchObject({ can_capture: false, can_release: false })
      expect(v.discrepancies).toEqual([])
    })

    it("refunds the captured part of a released payment through Medusa's refund", async () => {
      const { paymentId, reference } = await paidOrder()
      await api.post(`/admin/payments/${paymentId}/capture`, { amount: 200 }, admin)
      expect((await view(paymentId)).actions).toMatchObject({
        can_refund: true,
        refundable: { value: 20000 },
      })
      expect((await release(paymentId)).status).toBe(200)
      const released = await view(paymentId)
      expect(released.actions).toMatchObject({ can_refund: true, refundable: { value: 20000 } })

      await api.post(`/admin/payments/${paymentId}/refund`, { amount: 50 }, admin)
      const refunded = await view(paymentId)
      expect(refunded.status?.label).toBe("Partly refunded")
      expect(refunded.actions.refundable.value).toBe(15000)
      expect(refunded.medusa.refunded.value).toBe(5000)
      expect(refunded.discrepancies).toEqual([])
      expect(sim.current.control.getPayment(reference)!.aggregate).toMatchObject({
        captured: 20000,
        refunded: 5000,
        cancelled: 29900,
      })
    })

    it("releases a payment with nothing captured through Medusa's own cancel", async () => {
      const { paymentId, reference } = await paidOrder()
      const answer = await release(paymentId)
      expect(answer.status).toBe(200)
      expect(answer.data).toMatchObject({ scope: "payment", released: { value: 49900 } })
      expect(sim.current.control.getPayment(reference)!.aggregate.cancelled).toBe(49900)
      const v = await view(paymentId)
      expect(v.medusa.canceled_at).not.toBeNull()
      expect(v.status?.label).toBe("Released")
      expect(v.discrepancies).toEqual([])
      expect(v.actions).toMatchObject({ can_capture: false, can_release: false })
      expect((await release(paymentId)).status).toBe(400)
    })

    it("refuses a release without an admin session and for payments that are not Vipps MobilePay's", async () => {
      const { paymentId, reference } = await paidOrder()
      expect((await release(paymentId, { headers: {} })).status).toBe(401)
      expect((await release("pay_01JXXXXXXXXXXXXXXXXXXXXXXX")).status).toBe(404)
      expect(sim.current.control.getPayment(reference)!.aggregate.cancelled).toBe(0)
    })
  },
})
