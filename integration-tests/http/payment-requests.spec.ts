import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createOrderPaymentCollectionWorkflow } from "@medusajs/medusa/core-flows"
import { reconcileVippsPayments } from "../../src/sync/reconcile"
import { region, useSeededStore } from "../helpers/fixture"
import { answerOnLandingPage } from "../helpers/shopper"
import { eventually, useSimulator } from "../helpers/simulator"

jest.setTimeout(240_000)

const sim = useSimulator({ webhooks: true })
const HOUR = 3600_000

type RequestView = {
  reference: string
  state: string
  method: string
  amount: { value: number; decimal: string; currency: string }
  qr?: string
  link?: string
  payment_id?: string
  expires_at?: string
}

/** Staff request payments for what orders still owe: order edits, converted draft orders. No cart involved. */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const { store, shop, admin } = useSeededStore(api, getContainer, {
      regions: [region("no", "pp_vipps_vipps", "pp_vipps_direct")],
      products: [
        { label: "mug", amounts: { nok: 249.5 } },
        { label: "lamp", amounts: { nok: 100 } },
      ],
    })

    const vipps = (reference: string) => sim.current.control.getPayment(reference)!
    const later = (ms: number) => new Date(Date.now() + ms)
    const failing = { validateStatus: () => true }

    /** An order paid at checkout (one mug, 249.50 NOK). */
    async function paidOrder() {
      const cart = await shop.createCart("nok", [{ label: "mug" }], {
        email: "shopper@example.com",
        shipping_address: {
          first_name: "Kari",
          last_name: "Nordmann",
          country_code: "no",
          phone: "+47 912 34 567",
        },
      })
      const { session } = await shop.startPayment(cart.id, "pp_vipps_vipps", { cart_id: cart.id })
      await answerOnLandingPage(vipps(session.data.reference).redirectUrl!, "approve")
      const completed = await shop.complete(cart.id)
      expect(completed.data.type).toBe("order")
      return completed.data.order as { id: string }
    }

    /** The merchant ships the first delivery: the checkout payment is captured. */
    async function captureCheckout(orderId: string) {
      const { data } = await api.get(
        `/admin/orders/${orderId}?fields=id,payment_collections.payments.id`,
        admin,
      )
      const paymentId = data.order.payment_collections[0].payments[0].id
      await api.post(`/admin/payments/${paymentId}/capture`, {}, admin)
    }

    /** Staff add an item to the order (an order edit): the order now owes the lamp's 100 NOK. */
    async function addLamp(orderId: string) {
      const { data: edit } = await api.post("/admin/order-edits", { order_id: orderId }, admin)
      const changeId = edit.order_change.id
      await api.post(
        `/admin/order-edits/${orderId}/items`,
        { items: [{ variant_id: store.variants.lamp, quantity: 1 }] },
        admin,
      )
      await api.post(`/admin/order-edits/${orderId}/request`, {}, admin)
      await api.post(`/admin/order-edits/${orderId}/confirm`, {}, admin)
      return changeId
    }

    async function overview(orderId: string) {
      const { data } = await api.get(`/admin/vipps/orders/${orderId}/payment-requests`, admin)
      return data as {
        can_request: boolean
        outstanding: { value: number; decimal: string }
        phone?: string
        registrations: { id: string }[]
        requests: RequestView[]
      }
    }

    async function request(orderId: string, body: Record<string, unknown>) {
      return api.post(`/admin/vipps/orders/${orderId}/payment-requests`, body, { ...admin, ...failing })
    }

    async function state(reference: string) {
      const { data } = await api.get(`/admin/vipps/payment-requests/${reference}`, admin)
      return data.payment_request as RequestView
    }

    async function pendingDifference(orderId: string) {
      const { data } = await api.get(`/admin/orders/${orderId}?fields=id,summary.*`, admin)
      return Number(data.order.summary.pending_difference)
    }

    it("an order edit adds an item: staff request it by push, the customer approves, capture settles the order", async () => {
      const order = await paidOrder()
      await captureCheckout(order.id)
      await addLamp(order.id)
      expect(await pendingDifference(order.id)).toBe(100)
      const before = await overview(order.id)
      expect(before.can_request).toBe(true)
      expect(before.outstanding.decimal).toBe("100.00")
      expect(before.phone).toBe("4791234567")
      expect(before.registrations.map((r) => r.id).sort()).toEqual(["direct", "vipps"])

      const sent = await request(order.id, {
        registration: "vipps",
        method: "push",
        phone_number: "+47 912 34 567",
      })
      expect(sent.status).toBe(201)
      const reference = sent.data.payment_request.reference as string
      expect(sent.data.payment_request).toMatchObject({
        state: "sent",
        method: "push",
        amount: { value: 10000 },
      })
      expect(vipps(reference)).toMatchObject({ userFlow: "PUSH_MESSAGE", amount: { value: 10000 } })
      expect(vipps(reference).customer).toEqual({ phoneNumber: "4791234567" })

      sim.current.control.approve(reference)
      // The webhook brings it in (the overview only reads what Medusa holds; it asks Vipps nothing).
      const approved = await eventually(async () => {
        const [latest] = (await overview(order.id)).requests
        return latest.state === "approved" && latest
      }, 30_000)
      // Approved is not yet paid in Medusa's books: nothing more can be requested, the capture settles it.
      expect((await overview(order.id)).outstanding.value).toBe(0)
      await api.post(`/admin/payments/${approved.payment_id}/capture`, {}, admin)
      expect(vipps(reference).aggregate.captured).toBe(10000)
      await eventually(async () => (await pendingDifference(order.id)) === 0)
      expect((await state(reference)).state).toBe("paid")
    })

    /** A phone order: staff make a draft order (two lamps, 200 NOK) and convert it; nothing is paid yet. */
    async function convertedDraftOrder() {
      const { data } = await api.post(
        "/admin/draft-orders",
        {
          email: "caller@example.com",
          region_id: store.regions.nok.id,
          sales_channel_id: store.salesChannelId,
          items: [{ variant_id: store.variants.lamp, quantity: 2 }],
          shipping_address: {
            first_name: "Ola",
            last_name: "Nordmann",
            country_code: "no",
            phone: "4798765432",
          },
        },
        admin,
      )
      const orderId = data.draft_order.id as string
      await api.post(`/admin/draft-orders/${orderId}/convert-to-order`, {}, admin)
      return orderId
    }

    it("a converted draft order is paid by QR at the counter, picked up by the reconciler when the webhook is lost", async () => {
      const orderId = await convertedDraftOrder()
      const before = await overview(orderId)
      expect(before.outstanding.decimal).toBe("200.00")
      expect(before.phone).toBe("4798765432")

      // pp_vipps_direct captures at approval (autoCapture).
      const sent = await request(orderId, { registration: "direct", method: "qr" })
      expect(sent.status).toBe(201)
      const view = sent.data.payment_request as RequestView
      expect(view.qr).toMatch(/^http/)
      expect(vipps(view.reference)).toMatchObject({
        userFlow: "QR",
        customerInteraction: "CUSTOMER_PRESENT",
        amount: { value: 20000 },
      })
      // The draft order's lines are the receipt in the app.
      expect(vipps(view.reference).receipt).toMatchObject({
        orderLines: [{ totalAmount: 20000, isShipping: false }],
      })

      sim.current.control.dropWebhooks(10, { reference: view.reference })
      sim.current.control.approve(view.reference)
      await reconcileVippsPayments(getContainer(), { now: later(HOUR) })
      expect(vipps(view.reference).aggregate.captured).toBe(20000)
      await eventually(async () => (await pendingDifference(orderId)) === 0)
      const { data } = await api.get(`/admin/vipps/orders/${orderId}/payment-requests`, admin)
      expect(data.requests[0]).toMatchObject({ reference: view.reference, state: "paid" })
      expect(data.can_request).toBe(false)
      sim.current.control.clearWebhookFaults()
    })

    it("a draft order not yet converted can be paid by link, and stays paid when converted", async () => {
      const { data } = await api.post(
        "/admin/draft-orders",
        {
          email: "b2b@example.com",
          region_id: store.regions.nok.id,
          sales_channel_id: store.salesChannelId,
          items: [{ variant_id: store.variants.lamp, quantity: 1 }],
        },
        admin,
      )
      const draftId = data.draft_order.id as string
      expect((await overview(draftId)).outstanding.decimal).toBe("100.00")
      const sent = await request(draftId, { registration: "vipps", method: "link" })
      expect(sent.status).toBe(201)
      await answerOnLandingPage(sent.data.payment_request.link, "approve")
      await eventually(async () => (await overview(draftId)).requests[0]?.state === "approved")
      await api.post(`/admin/draft-orders/${draftId}/convert-to-order`, {}, admin)
      const converted = await overview(draftId)
      expect(converted.requests[0].state).toBe("approved")
      expect(converted.outstanding.value).toBe(0)
    })

    it("shows a declined and an expired request, and a new request can follow", async () => {
      const orderId = await convertedDraftOrder()
      const first = (
        await request(orderId, { registration: "vipps", method: "push", phone_number: "4798765432" })
      ).data.payment_request as RequestView
      sim.current.control.reject(first.reference)
      await eventually(async () => (await state(first.reference)).state === "rejected")

      const second = (await request(orderId, { registration: "vipps", method: "link" })).data
        .payment_request as RequestView
      expect(second.link).toMatch(/^http/)
      expect(vipps(second.reference).userFlow).toBe("WEB_REDIRECT")
      sim.current.control.expire(second.reference)
      await eventually(async () => (await state(second.reference)).state === "expired")
      expect((await overview(orderId)).outstanding.decimal).toBe("200.00")
      expect((await overview(orderId)).requests.map((r) => r.state)).toEqual(["expired", "rejected"])
    })

    it("a second request replaces the first: the first is cancelled at Vipps MobilePay and cannot be paid", async () => {
      const orderId = await convertedDraftOrder()
      const first = (
        await request(orderId, { registration: "vipps", method: "push", phone_number: "4798765432" })
      ).data.payment_request as RequestView
      const expiresAt = new Date(Date.now() + 2 * 24 * HOUR).toISOString()
      const second = await request(orderId, { registration: "vipps", method: "link", expires_at: expiresAt })
      expect(second.status).toBe(201)
      const replacement = second.data.payment_request as RequestView
      expect(vipps(first.reference).state).toBe("TERMINATED")
      expect((await state(first.reference)).state).toBe("cancelled")
      // A long-living link: the QR code's target URL, with the order's lines as the receipt.
      expect(vipps(replacement.reference)).toMatchObject({ userFlow: "QR", longLiving: true })
      expect(replacement.link).toMatch(/^http/)
      expect(replacement.expires_at).toBe(expiresAt)
      const requests = (await overview(orderId)).requests
      expect(requests.map((r) => r.state)).toEqual(["sent", "cancelled"])

      // Staff withdraw the replacement too.
      const { data } = await api.post(
        `/admin/vipps/payment-requests/${replacement.reference}/cancel`,
        {},
        admin,
      )
      expect(data.payment_request.state).toBe("cancelled")
      expect(vipps(replacement.reference).state).toBe("TERMINATED")
    })

    it("refuses a request beyond the outstanding amount, a bad phone number or an unknown registration, and sends nothing", async () => {
      const orderId = await convertedDraftOrder()
      const sentBefore = sim.current.control.requests({ operation: "createPayment" }).length
      const tooMuch = await request(orderId, { registration: "vipps", method: "qr", amount: "200.01" })
      expect(tooMuch.status).toBe(400)
      expect(tooMuch.data.message).toMatch(/owes 200\.00 NOK: a request cannot ask for more/)
      const badPhone = await request(orderId, { registration: "vipps", method: "push", phone_number: "12ab" })
      expect(badPhone.status).toBe(400)
      expect(badPhone.data.message).toMatch(/phone_number must be country code and number/)
      const noPhone = await request(orderId, { registration: "vipps", method: "push" })
      expect(noPhone.status).toBe(400)
      const other = await request(orderId, { registration: "mobilepay", method: "qr" })
      expect(other.status).toBe(400)
      expect(other.data.message).toMatch(/does not serve this order's region/)
      expect(sim.current.control.requests({ operation: "createPayment" }).length).toBe(sentBefore)
      expect((await overview(orderId)).requests).toEqual([])

      // Part of it is fine, and staff may push on a registration whose storefront may not
      // (pp_vipps_direct leaves PUSH_MESSAGE out of storefrontUserFlows).
      const part = await request(orderId, {
        registration: "direct",
        method: "push",
        phone_number: "4798765432",
        amount: "50",
      })
      expect(part.status).toBe(201)
      expect(vipps(part.data.payment_request.reference)).toMatchObject({
        userFlow: "PUSH_MESSAGE",
        amount: { value: 5000 },
      })
      // The balance line is the receipt: part of the order, not its lines.
      expect(vipps(part.data.payment_request.reference).receipt).toMatchObject({
        orderLines: [{ name: expect.stringMatching(/^Balance of order #\d+$/), totalAmount: 5000 }],
      })
    })

    it("a storefront cannot pass itself off as staff", async () => {
      const orderId = await convertedDraftOrder()
      const { result } = await createOrderPaymentCollectionWorkflow(getContainer()).run({
        input: { order_id: orderId, amount: 200 },
      })
      const collectionId = result[0].id
      const forged = await api.post(
        `/store/payment-collections/${collectionId}/payment-sessions`,
        { provider_id: "pp_vipps_vipps", data: { userFlow: "QR", adminRequest: "forged" } },
        { headers: shop.headers, ...failing },
      )
      expect(forged.status).toBeGreaterThanOrEqual(400)
      expect(JSON.stringify(forged.data)).toMatch(/adminRequest is not valid|not allowed|adminRequest/)
    })
  },
})
