import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { region, useSeededStore } from "../helpers/fixture"
import { answerOnLandingPage } from "../helpers/shopper"
import { useSimulator } from "../helpers/simulator"

jest.setTimeout(120_000)

const sim = useSimulator()

/**
 * The ePayment 2026 features in a real Medusa: profile sharing on the storefront's own completion path
 * (userDetails first, Userinfo as the fallback), and the create request carrying legal links, the age limit
 * and a 64-character reference.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const { store, shop, admin } = useSeededStore(api, getContainer, {
      regions: [region("no", "pp_vipps_profile", "pp_vipps_legal")],
      products: [
        { label: "mug", amounts: { nok: 249.5 } },
        { label: "wine", amounts: { nok: 199 } },
      ],
    })

    /** A cart with no e-mail and no address, paid with profile sharing and approved in the app. */
    async function approvedBlankCart() {
      const cart = await shop.createCart("nok", [{ label: "mug" }], {})
      const { session } = await shop.startPayment(cart.id, "pp_vipps_profile")
      const reference = session.data.reference as string
      sim.current.control.approve(reference)
      return { cart, reference }
    }

    async function orderContact(orderId: string) {
      const { data } = await api.get(
        `/admin/orders/${orderId}?fields=email,shipping_address.*,billing_address.*`,
        admin,
      )
      return data.order
    }

    it("the storefront's completion creates the order with the shared profile, from userDetails alone", async () => {
      const { cart, reference } = await approvedBlankCart()
      const before = await api.get(`/store/carts/${cart.id}`, { headers: shop.headers })
      expect(before.data.cart.email).toBeFalsy()
      sim.current.control.clearRequests()

      // The shopper returns and the storefront completes the cart (no webhook, no return route).
      const completed = await shop.complete(cart.id)
      expect(completed.status).toBe(200)
      expect(completed.data.type).toBe("order")

      const order = await orderContact(completed.data.order.id)
      expect(order.email).toBe("ola.nordmann@example.com")
      expect(order.shipping_address).toMatchObject({
        first_name: "Ola",
        last_name: "Nordmann",
        address_1: "Robert Levins gate 5",
        postal_code: "0154",
        city: "Oslo",
        country_code: "no",
        phone: "4712345678",
      })
      expect(order.billing_address).toMatchObject({ address_1: "Robert Levins gate 5" })
      // userDetails came with the payment: no Userinfo call was needed.
      expect(sim.current.control.requests({ operation: "userinfo" })).toHaveLength(0)
      expect(sim.current.control.getPayment(reference)!.state).toBe("AUTHORIZED")
    })

    it("falls back to Userinfo when the payment carries no userDetails (ePayment before 1.8.1)", async () => {
      sim.current.control.setAdditions({ userDetails: false })
      try {
        const { cart } = await approvedBlankCart()
        sim.current.control.clearRequests()
        const completed = await shop.complete(cart.id)
        expect(completed.data.type).toBe("order")
        const order = await orderContact(completed.data.order.id)
        expect(order.email).toBe("ola.nordmann@example.com")
        expect(order.shipping_address).toMatchObject({
          address_1: "Robert Levins gate 5",
          country_code: "no",
        })
        expect(sim.current.control.requests({ operation: "userinfo" }).length).toBeGreaterThanOrEqual(1)
      } finally {
        sim.current.control.setAdditions({ userDetails: true })
      }
    })

    it("keeps what the shopper typed and never blocks a completion that is not approved yet", async () => {
      const cart = await shop.createCart("nok", [{ label: "mug" }], { email: "typed@example.com" })
      const { session } = await shop.startPayment(cart.id, "pp_vipps_profile")
      // Not approved: the completion answers as before (waiting for approval), the cart is unchanged.
      const waiting = await shop.complete(cart.id)
      expect(waiting.data.type).not.toBe("order")
      sim.current.control.approve(session.data.reference)
      const completed = await shop.complete(cart.id)
      expect(completed.data.type).toBe("order")
      const order = await orderContact(completed.data.order.id)
      expect(order.email).toBe("typed@example.com")
      expect(order.shipping_address).toMatchObject({ address_1: "Robert Levins gate 5" })
    })

    it("retries a capture that failed with 6280 under the same key, and stops at 6260 with what to do", async () => {
      const cart = await shop.createCart("nok", [{ label: "mug" }])
      const { session } = await shop.startPayment(cart.id, "pp_vipps_profile")
      const reference = session.data.reference as string
      sim.current.control.approve(reference)
      const completed = await shop.complete(cart.id)
      expect(completed.data.type).toBe("order")
      const { data } = await api.get(
        `/admin/orders/${completed.data.order.id}?fields=payment_collections.payments.id`,
        admin,
      )
      const paymentId = data.order.payment_collections[0].payments[0].id

      // 6260: funds unavailable. Not repeated; the merchant reads what to do; nothing is captured.
      sim.current.control.clearRequests()
      sim.current.control.failWithCode("capture", "6260")
      const refused = await api.post(
        `/admin/payments/${paymentId}/capture`,
        { amount: 100 },
        {
          ...admin,
          validateStatus: () => true,
        },
      )
      expect(refused.status).toBeGreaterThanOrEqual(400)
      expect(refused.data.message).toMatch(/funds are no longer available.*Do not ship/)
      expect(refused.data.message).toContain("code 6260")
      expect(sim.current.control.requests({ operation: "capture" })).toHaveLength(1)
      expect(sim.current.control.getPayment(reference)!.aggregate.captured).toBe(0)

      // 6280: capture failed, try again. Repeated with the same Idempotency-Key and body; captured once.
      sim.current.control.clearRequests()
      sim.current.control.failWithCode("capture", "6280")
      const captured = await api.post(`/admin/payments/${paymentId}/capture`, { amount: 100 }, admin)
      expect(captured.status).toBe(200)
      const attempts = sim.current.control.requests({ operation: "capture" })
      expect(attempts).toHaveLength(2)
      expect(attempts[1].headers["idempotency-key"]).toBe(attempts[0].headers["idempotency-key"])
      expect(attempts[1].body).toEqual(attempts[0].body)
      expect(sim.current.control.getPayment(reference)!.aggregate.captured).toBe(10000)
    })

    it("reads a cart's age limit from the metadata the merchant sets on a product or variant", async () => {
      const variantId = store.variants.wine
      const { data: found } = await api.get(
        `/admin/product-variants?id=${variantId}&fields=id,product_id`,
        admin,
      )
      const productId = found.variants[0].product_id as string
      const cart = await shop.createCart("nok", [{ label: "mug" }, { label: "wine" }])
      // What a payment started for the cart asks of Vipps MobilePay (this registration sets no limit itself).
      const ageAsked = async () => {
        sim.current.control.clearRequests()
        await shop.startPayment(cart.id, "pp_vipps_profile", { cart_id: cart.id })
        const [create] = sim.current.control.requests({ operation: "createPayment" })
        expect(create.status).toBe(201)
        return (create.body as { minimumUserAge?: number }).minimumUserAge
      }
      expect(await ageAsked()).toBeUndefined()

      await api.post(
        `/admin/products/${productId}/variants/${variantId}`,
        { metadata: { vipps_minimum_user_age: 18 } },
        admin,
      )
      expect(await ageAsked()).toBe(18)
      await api.post(`/admin/products/${productId}`, { metadata: { vipps_minimum_user_age: "20" } }, admin)
      expect(await ageAsked()).toBe(20)
    })

    it("sends legal links, the age limit and a 64-character reference; every key stays within 50", async () => {
      sim.current.control.clearRequests()
      const cart = await shop.createCart("nok", [{ label: "mug" }])
      const { session } = await shop.startPayment(cart.id, "pp_vipps_legal")
      const reference = session.data.reference as string
      expect(reference).toHaveLength(64)
      expect(reference.startsWith("test-legal-links-and-age-limit-payses-")).toBe(true)

      const [create] = sim.current.control.requests({ operation: "createPayment" })
      expect(create.status).toBe(201)
      expect(create.body).toMatchObject({
        reference,
        minimumUserAge: 18,
        merchantLegalLinks: {
          termsOfSaleUrl: "https://shop.example.com/terms",
          privacyPolicyUrl: "https://shop.example.com/privacy",
        },
      })
      const landing = await api.get(session.data.redirectUrl, { responseType: "text" })
      expect(landing.data).toContain('href="https://shop.example.com/terms"')

      await answerOnLandingPage(session.data.redirectUrl, "approve")
      const completed = await shop.complete(cart.id)
      expect(completed.data.type).toBe("order")
      const { data } = await api.get(
        `/admin/orders/${completed.data.order.id}?fields=payment_collections.payments.id`,
        admin,
      )
      const paymentId = data.order.payment_collections[0].payments[0].id
      await api.post(`/admin/payments/${paymentId}/capture`, {}, admin)
      expect(sim.current.control.getPayment(reference)!.aggregate.captured).toBe(24950)

      const keys = sim.current.control
        .requests()
        .map((r) => r.headers["idempotency-key"])
        .filter(Boolean)
      expect(keys.length).toBeGreaterThanOrEqual(2)
      for (const key of keys) expect(key.length).toBeLessThanOrEqual(50)
    })
  },
})
