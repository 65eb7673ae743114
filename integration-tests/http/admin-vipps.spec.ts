import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, seedStore, SeededStore, storefront } from "../helpers/store"
import { answerOnLandingPage } from "../helpers/shopper"
import { useSimulator } from "../helpers/simulator"

jest.setTimeout(120_000)

const sim = useSimulator()
const DAY_MS = 24 * 3600 * 1000

type Money = { currency: string; value: number; decimal: string }
type View = {
  payment_id: string
  reference: string
  medusa: { amount: Money; captured: Money; refunded: Money; canceled_at: string | null }
  vipps: {
    state: string
    psp_reference: string
    authorized: Money
    captured: Money
    refunded: Money
    cancelled: Money
    capturable: Money
  } | null
  events: { name: string; amount: Money; timestamp: string; success: boolean; by_api: boolean }[]
  capture_deadline: {
    at: string
    basis: string
    authorized_at: string
    days_left: number
    passed: boolean
  } | null
  outside_medusa: unknown
  discrepancies: { kind: string; message: string }[]
  error: string | null
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let shop: ReturnType<typeof storefront>
    let admin: { headers: Record<string, string> }

    beforeAll(async () => {
      store = await seedStore(
        getContainer(),
        [
          { name: "Norway", currency: "nok", country: "no", providers: ["pp_vipps_vipps"] },
          { name: "Denmark", currency: "dkk", country: "dk", providers: ["pp_vipps_mobilepay"] },
        ],
        [{ label: "mug", amounts: { nok: 249.5, dkk: 19.99 } }],
      )
      shop = storefront(api, store)
      admin = await adminHeaders(api, getContainer())
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
      expect(Date.parse(v.capture_deadline!.at) - Date.parse(v.capture_deadline!.authorized_at)).toBe(
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
  },
})
