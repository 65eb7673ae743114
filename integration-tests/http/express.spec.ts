import type { IFulfillmentModuleService, IInventoryService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createInventoryLevelsWorkflow,
  createProductsWorkflow,
  createPromotionsWorkflow,
  createRegionsWorkflow,
  createShippingOptionsWorkflow,
  createTaxRegionsWorkflow,
  updateInventoryLevelsWorkflow,
  updateShippingOptionsWorkflow,
} from "@medusajs/medusa/core-flows"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { deriveReturnTokenKey } from "../../src/lib/return-token"
import { shippingCallbackToken } from "../../src/lib/shipping-callback-token"
import { DemoStore, seedDemoStore } from "../../scripts/demo/seed-store"
import { poll } from "../helpers/poll"
import { useSimulator } from "../helpers/simulator"
import { adminHeaders } from "../helpers/store"

jest.setTimeout(180_000)

/** The parts of the logged create request these tests read. */
type CreateRequest = {
  reference: string
  amount: { currency: string; value: number }
  paymentMethod: { type: string }
  profile: { scope: string }
  shipping: {
    fixedOptions: { options: { id: string; amount: { value: number } }[] }[]
    dynamicOptions: { callbackUrl: string; callbackAuthorizationToken: string }
  }
}

const sim = useSimulator({ webhooks: true })

/**
 * Vipps MobilePay Express in a real Medusa on PostgreSQL, the simulator as Vipps MobilePay: from the product
 * page (a new cart) and from a cart holding nothing but items, with fixed options (Medusa's flat-rate options
 * of the region's service zones) and dynamic options (the shipping callback). The order gets the address,
 * email and shipping method chosen in the app, and its total equals the amount Vipps MobilePay authorized.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: DemoStore
    let pickupId: string
    let headers: Record<string, string>
    let admin: { headers: Record<string, string> }

    beforeAll(async () => {
      const container = getContainer()
      store = await seedDemoStore(container)
      // A second flat-rate option in the same service zone: a pickup point, cheaper.
      const fulfillment = container.resolve<IFulfillmentModuleService>(Modules.FULFILLMENT)
      const [home] = await fulfillment.listShippingOptions(
        { id: store.shippingOptionId },
        { select: ["id", "service_zone_id", "shipping_profile_id"] },
      )
      const { result } = await createShippingOptionsWorkflow(container).run({
        input: [
          {
            name: "Pickup at Kiwi Grünerløkka",
            price_type: "flat",
            provider_id: "manual_manual",
            service_zone_id: home.service_zone_id,
            shipping_profile_id: home.shipping_profile_id,
            type: { label: "Pickup point", description: "1-3 business days", code: "pickup" },
            prices: [{ region_id: store.regionId, amount: 29 }],
            rules: [
              { attribute: "enabled_in_store", value: "true", operator: "eq" },
              { attribute: "is_return", value: "false", operator: "eq" },
            ],
          },
        ],
      })
      pickupId = result[0].id
      headers = { "x-publishable-api-key": store.publishableKey }
      admin = await adminHeaders(api, container)
    })

    const express = (body: Record<string, unknown>) =>
      api.post("/store/vipps/express", body, { headers, validateStatus: () => true })

    async function orderOf(reference: string, cartId: string) {
      const orderId = await poll(
        "order of the Express payment",
        async () => {
          const { data } = await api.get(`/store/vipps/payments/${reference}?cart_id=${cartId}`, { headers })
          return data.payment.order_id as string | null
        },
        30_000,
        200,
      )
      const { data } = await api.get(
        `/admin/orders/${orderId}?fields=email,total,currency_code,shipping_address.*,billing_address.*,shipping_methods.*,payment_collections.payments.*`,
        admin,
      )
      return data.order
    }

    function authorizedOf(reference: string) {
      return sim.current.control.getPayment(reference)!.aggregate.authorized
    }

    it("product page: a new cart, a fixed option chosen in the app, an order with address, email and that shipping", async () => {
      const started = await express({ variant_id: store.variantId, quantity: 2, region_id: store.regionId })
      expect(started.status).toBe(200)
      const { cart_id: cartId, reference, redirect_url: redirectUrl } = started.data.express
      expect(redirectUrl).toMatch(/\/landing\?token=/)

      // What Vipps MobilePay was asked: the goods only, both of Medusa's options, Express scope, WALLET.
      const [create] = sim.current.control.requests({ operation: "createPayment" }).slice(-1)
      const body = create.body as CreateRequest
      expect(body.amount).toEqual({ currency: "NOK", value: 49_900 })
      expect(body.paymentMethod).toEqual({ type: "WALLET" })
      expect(body.profile.scope.split(" ").sort()).toEqual(["address", "email", "name", "phoneNumber"])
      const offered = body.shipping.fixedOptions.flatMap(
        (g: { options: { id: string; amount: { value: number } }[] }) =>
          g.options.map((o) => [o.id, o.amount.value]),
      )
      expect(offered).toEqual(
        expect.arrayContaining([
          [store.shippingOptionId, 4_900],
          [pickupId, 2_900],
        ]),
      )

      // The landing page shows the options; the shopper picks the pickup point.
      const page = await fetch(redirectUrl).then((r) => r.text())
      expect(page).toContain("Pickup at Kiwi")
      sim.current.control.approve(reference, { shippingOptionId: pickupId })
      expect(authorizedOf(reference)).toBe(49_900 + 2_900)

      const order = await orderOf(reference, cartId)
      expect(order.email).toBe("ola.nordmann@example.com")
      expect(order.shipping_address).toMatchObject({
        first_name: "Ola",
        last_name: "Nordmann",
        address_1: "Robert Levins gate 5",
        postal_code: "0154",
        city: "Oslo",
        country_code: "no",
      })
      expect(order.billing_address).toMatchObject({ address_1: "Robert Levins gate 5" })
      expect(order.shipping_methods.map((m: { shipping_option_id: string }) => m.shipping_option_id)).toEqual(
        [pickupId],
      )
      expect(Math.round(Number(order.total) * 100)).toBe(authorizedOf(reference))
      const payments = order.payment_collections.flatMap((c: { payments: unknown[] }) => c.payments)
      expect(payments).toHaveLength(1)
      expect(Math.round(Number(payments[0].amount) * 100)).toBe(52_800)
      // The admin panel shows the delivery chosen in the app and what the app shared, in the merchant's words.
      const { data: view } = await api.get(`/admin/vipps/payments/${payments[0].id}`, admin)
      expect(view.vipps_payment.express).toEqual({
        shipping_option: {
          id: pickupId,
          name: "Pickup at Kiwi Grünerløkka",
          price: { currency: "NOK", value: 2_900, decimal: "29.00" },
        },
        address: {
          line_1: "Robert Levins gate 5",
          line_2: null,
          postal_code: "0154",
          city: "Oslo",
          country: "NO",
        },
        contact: { name: "Ola Nordmann", email: "ola.nordmann@example.com", phone: expect.any(String) },
      })
      // One Vipps MobilePay payment for this cart.
      expect(
        sim.current.control
          .requests({ operation: "createPayment" })
          .filter((r) => (r.body as CreateRequest).reference === reference),
      ).toHaveLength(1)
    })

    it("cart: a cart with nothing but items, completed by the storefront after the app (one order)", async () => {
      // As a storefront's "Add to cart" makes it: an empty cart, then the item.
      const { data } = await api.post("/store/carts", { region_id: store.regionId }, { headers })
      const cartId = data.cart.id
      await api.post(
        `/store/carts/${cartId}/line-items`,
        { variant_id: store.variantId, quantity: 1 },
        { headers },
      )
      const started = await express({ cart_id: cartId })
      expect(started.status).toBe(200)
      const reference = started.data.express.reference
      const [create] = sim.current.control.requests({ operation: "createPayment" }).slice(-1)
      const offered = (create.body as CreateRequest).shipping.fixedOptions.flatMap((g) =>
        g.options.map((o) => [o.id, o.amount.value]),
      )
      expect(offered).toEqual([
        [pickupId, 2_900],
        [store.shippingOptionId, 4_900],
      ])
      // Before approval the storefront cannot complete an Express cart.
      const early = await api.post(
        `/store/carts/${cartId}/complete`,
        {},
        { headers, validateStatus: () => true },
      )
      expect(early.data.type).not.toBe("order")

      // The shopper keeps the preselected option: the cheapest.
      sim.current.control.approve(reference)
      const completed = await api.post(
        `/store/carts/${cartId}/complete`,
        {},
        { headers, validateStatus: () => true },
      )
      expect(completed.data.type).toBe("order")
      const order = await orderOf(reference, cartId)
      expect(order.id).toBe(completed.data.order.id)
      expect(order.email).toBe("ola.nordmann@example.com")
      expect(order.shipping_methods.map((m: { shipping_option_id: string }) => m.shipping_option_id)).toEqual(
        [pickupId],
      )
      expect(Math.round(Number(order.total) * 100)).toBe(24_950 + 2_900)
      expect(authorizedOf(reference)).toBe(24_950 + 2_900)
    })

    it("dynamic options: the callback prices Medusa's options for the app's address; a forged callback is refused", async () => {
      const started = await express({
        variant_id: store.variantId,
        quantity: 1,
        region_id: store.regionId,
        shipping: "dynamic",
      })
      expect(started.status).toBe(200)
      const { cart_id: cartId, reference } = started.data.express
      const [create] = sim.current.control.requests({ operation: "createPayment" }).slice(-1)
      const dynamic = (create.body as CreateRequest).shipping.dynamicOptions
      expect(dynamic.callbackUrl).toContain(`/vipps/shipping/vipps?reference=${reference}`)

      // Forged: no token, a wrong token, another payment's token. Nothing answered, the cart unchanged.
      const url = `http://localhost:${process.env.PORT}/vipps/shipping/vipps?reference=${reference}`
      const address = { reference, addressLine1: "Storgata 1", city: "Oslo", postCode: "0155", country: "NO" }
      const key = deriveReturnTokenKey("sim-client-secret")
      for (const authorization of [
        undefined,
        "Bearer nope",
        shippingCallbackToken(key, "test-no-other-12345"),
      ]) {
        const forged = await api.post(url, address, {
          headers: authorization ? { authorization } : {},
          validateStatus: () => true,
        })
        expect(forged.status).toBe(401)
        expect(forged.data.groups).toBeUndefined()
      }
      const untouched = await api.get(`/store/carts/${cartId}?fields=shipping_address.address_1`, { headers })
      expect(untouched.data.cart.shipping_address?.address_1 ?? null).toBeNull()

      // Abroad: Medusa cannot ship there: 400, never an empty list.
      const abroad = await api.post(
        url,
        { ...address, country: "SE" },
        { headers: { authorization: shippingCallbackToken(key, reference) }, validateStatus: () => true },
      )
      expect(abroad.status).toBe(400)
      await expect(
        sim.current.control.approveExpress(reference, { address: { country: "SE", postCode: "11122" } }),
      ).rejects.toThrow(/cannot deliver/)
      expect(sim.current.control.getPayment(reference)!.state).toBe("CREATED")

      // The app's address: the callback answers Medusa's options; the shopper takes home delivery.
      await sim.current.control.approveExpress(reference, {
        address: { addressLine1: "Thorvald Meyers gate 50", postCode: "0555", city: "Oslo" },
        shippingOptionId: store.shippingOptionId,
      })
      expect(authorizedOf(reference)).toBe(24_950 + 4_900)
      const order = await orderOf(reference, cartId)
      expect(order.shipping_address).toMatchObject({
        address_1: "Thorvald Meyers gate 50",
        postal_code: "0555",
      })
      expect(order.shipping_methods.map((m: { shipping_option_id: string }) => m.shipping_option_id)).toEqual(
        [store.shippingOptionId],
      )
      expect(Math.round(Number(order.total) * 100)).toBe(authorizedOf(reference))
    })

    it("a price changed between start and approval: no order, the payment released, the shopper told", async () => {
      const started = await express({ variant_id: store.variantId, quantity: 1, region_id: store.regionId })
      const { cart_id: cartId, reference } = started.data.express
      await updateShippingOptionsWorkflow(getContainer()).run({
        input: [{ id: pickupId, prices: [{ region_id: store.regionId, amount: 39 }] }],
      })
      try {
        sim.current.control.approve(reference, { shippingOptionId: pickupId })
        const payment = await poll(
          "the payment released",
          async () => {
            const { data } = await api.get(`/store/vipps/payments/${reference}?cart_id=${cartId}`, {
              headers,
            })
            return data.payment.status === "failed" ? data.payment : undefined
          },
          30_000,
          200,
        )
        expect(payment.order_id).toBeNull()
        expect(payment.failure_reason).toMatch(/released/)
        const vipps = sim.current.control.getPayment(reference)!
        expect(vipps.aggregate.cancelled).toBe(vipps.aggregate.authorized)
        const { data } = await api.get(`/store/carts/${cartId}?fields=completed_at`, { headers })
        expect(data.cart.completed_at).toBeNull()
      } finally {
        await updateShippingOptionsWorkflow(getContainer()).run({
          input: [{ id: pickupId, prices: [{ region_id: store.regionId, amount: 29 }] }],
        })
      }
    })

    /** A product with one unit in the Oslo warehouse; answers its variant and how to set its stock. */
    async function lastUnitProduct() {
      const container = getContainer()
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const fulfillment = container.resolve<IFulfillmentModuleService>(Modules.FULFILLMENT)
      const [home] = await fulfillment.listShippingOptions(
        { id: store.shippingOptionId },
        { select: ["id", "shipping_profile_id"] },
      )
      const {
        result: [product],
      } = await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: "Last lamp",
              status: "published",
              shipping_profile_id: home.shipping_profile_id,
              options: [{ title: "Size", values: ["One"] }],
              sales_channels: [{ id: store.salesChannelId }],
              variants: [
                {
                  title: "One",
                  options: { Size: "One" },
                  manage_inventory: true,
                  prices: [{ currency_code: "nok", amount: 200 }],
                },
              ],
            },
          ],
        },
      })
      const variantId = product.variants[0].id
      const {
        data: [variant],
      } = await query.graph({
        entity: "product_variant",
        fields: ["inventory_items.inventory_item_id"],
        filters: { id: variantId },
      })
      const inventoryItemId = (variant as { inventory_items: { inventory_item_id: string }[] })
        .inventory_items[0].inventory_item_id
      const {
        data: [location],
      } = await query.graph({ entity: "stock_location", fields: ["id"], filters: { name: "Oslo warehouse" } })
      await createInventoryLevelsWorkflow(container).run({
        input: {
          inventory_levels: [
            { inventory_item_id: inventoryItemId, location_id: location.id, stocked_quantity: 1 },
          ],
        },
      })
      const stock = (stocked_quantity: number) =>
        updateInventoryLevelsWorkflow(container).run({
          input: {
            updates: [{ inventory_item_id: inventoryItemId, location_id: location.id, stocked_quantity }],
          },
        })
      return { variantId, inventoryItemId, locationId: location.id, stock }
    }

    /** Polls the return page until the payment failed; checks the shopper and staff were told, nothing ordered. */
    async function releasedAndTold(reference: string, cartId: string) {
      const payment = await poll(
        "the payment released",
        async () => {
          const { data } = await api.get(`/store/vipps/payments/${reference}?cart_id=${cartId}`, { headers })
          return data.payment.status === "failed" ? data.payment : undefined
        },
        30_000,
        200,
      )
      expect(payment.order_id).toBeNull()
      expect(payment.failure_reason).toMatch(/sold out.*released and nothing was charged/)
      // Released at Vipps MobilePay, once; nothing captured; one Vipps MobilePay payment for this cart.
      await poll(
        "the release recorded",
        async () => sim.current.control.getPayment(reference)!.aggregate.cancelled > 0,
        30_000,
        200,
      )
      const vipps = sim.current.control.getPayment(reference)!
      expect(vipps.aggregate.cancelled).toBe(vipps.aggregate.authorized)
      expect(vipps.aggregate.captured).toBe(0)
      expect(vipps.events.filter((e) => e.name === "CANCELLED")).toHaveLength(1)
      expect(
        sim.current.control
          .requests({ operation: "createPayment" })
          .filter((r) => (r.body as CreateRequest).reference === reference),
      ).toHaveLength(1)
      // No order: the cart is still a cart, and the storefront's own completion makes none.
      const { data } = await api.get(`/store/carts/${cartId}?fields=completed_at`, { headers })
      expect(data.cart.completed_at).toBeNull()
      const completed = await api.post(
        `/store/carts/${cartId}/complete`,
        {},
        { headers, validateStatus: () => true },
      )
      expect(completed.data.type).not.toBe("order")
      const { data: flags } = await api.get("/admin/vipps/attention", admin)
      const flag = (flags.flagged as { reference: string; reason: string; message: string }[]).find(
        (f) => f.reference === reference,
      )
      expect(flag?.reason).toBe("released_unorderable")
      expect(flag?.message).toMatch(/stock/)
    }

    it("stock gone between start and approval: released at Vipps MobilePay, the shopper told, no order, staff flagged", async () => {
      const lamp = await lastUnitProduct()

      // Product page: the last unit; the warehouse counts zero before the shopper approves.
      const started = await express({ variant_id: lamp.variantId, quantity: 1, region_id: store.regionId })
      expect(started.status).toBe(200)
      const first = started.data.express
      await lamp.stock(0)
      sim.current.control.approve(first.reference, { shippingOptionId: pickupId })
      expect(authorizedOf(first.reference)).toBe(20_000 + 2_900)
      await releasedAndTold(first.reference, first.cart_id)

      // Cart: back in stock, but another order reserves the last unit while the app is open.
      await lamp.stock(1)
      const { data } = await api.post(
        "/store/carts",
        { region_id: store.regionId, items: [{ variant_id: lamp.variantId, quantity: 1 }] },
        { headers },
      )
      const cartId = data.cart.id
      const second = (await express({ cart_id: cartId })).data.express
      const inventory = getContainer().resolve<IInventoryService>(Modules.INVENTORY)
      await inventory.createReservationItems([
        { inventory_item_id: lamp.inventoryItemId, location_id: lamp.locationId, quantity: 1 },
      ])
      sim.current.control.approve(second.reference)
      await releasedAndTold(second.reference, cartId)

      // The shopper's cart is theirs again: the sold-out item can go, another added, and Express started anew.
      const lampLine = data.cart.items[0].id
      const removed = await api.delete(`/store/carts/${cartId}/line-items/${lampLine}`, {
        headers,
        validateStatus: () => true,
      })
      expect([removed.status, removed.data.message]).toEqual([200, undefined])
      await api.post(
        `/store/carts/${cartId}/line-items`,
        { variant_id: store.variantId, quantity: 1 },
        { headers },
      )
      const again = await express({ cart_id: cartId })
      expect(again.status).toBe(200)
      sim.current.control.approve(again.data.express.reference)
      const order = await orderOf(again.data.express.reference, cartId)
      expect(Math.round(Number(order.total) * 100)).toBe(authorizedOf(again.data.express.reference))
    })

    it("the Danish registration (DKK, MobilePay): a Danish address, DKK options, the order for the authorized amount", async () => {
      const container = getContainer()
      const fulfillment = container.resolve<IFulfillmentModuleService>(Modules.FULFILLMENT)
      const [home] = await fulfillment.listShippingOptions(
        { id: store.shippingOptionId },
        { select: ["id", "service_zone_id", "shipping_profile_id"] },
      )
      const norway = await fulfillment.retrieveServiceZone(home.service_zone_id)
      const zone = await fulfillment.createServiceZones({
        name: "Denmark",
        fulfillment_set_id: norway.fulfillment_set_id,
        geo_zones: [{ type: "country", country_code: "dk" }],
      })
      const {
        result: [denmark],
      } = await createRegionsWorkflow(container).run({
        input: {
          regions: [
            {
              name: "Denmark",
              currency_code: "dkk",
              countries: ["dk"],
              payment_providers: ["pp_vipps_mobilepay"],
            },
          ],
        },
      })
      const {
        result: [option],
      } = await createShippingOptionsWorkflow(container).run({
        input: [
          {
            name: "PostNord: home delivery",
            price_type: "flat",
            provider_id: "manual_manual",
            service_zone_id: zone.id,
            shipping_profile_id: home.shipping_profile_id,
            type: { label: "Home delivery", description: "1-2 business days", code: "home-delivery" },
            prices: [{ region_id: denmark.id, amount: 39 }],
            rules: [
              { attribute: "enabled_in_store", value: "true", operator: "eq" },
              { attribute: "is_return", value: "false", operator: "eq" },
            ],
          },
        ],
      })
      const {
        result: [product],
      } = await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: "Hygge candle",
              status: "published",
              shipping_profile_id: home.shipping_profile_id,
              options: [{ title: "Size", values: ["One"] }],
              sales_channels: [{ id: store.salesChannelId }],
              variants: [
                {
                  title: "One",
                  options: { Size: "One" },
                  manage_inventory: false,
                  prices: [{ currency_code: "dkk", amount: 125 }],
                },
              ],
            },
          ],
        },
      })

      const started = await express({
        variant_id: product.variants[0].id,
        quantity: 1,
        region_id: denmark.id,
      })
      expect(started.status).toBe(200)
      const { cart_id: cartId, reference } = started.data.express
      expect(reference).toMatch(/^test-dk-/)
      const [create] = sim.current.control.requests({ operation: "createPayment" }).slice(-1)
      const body = create.body as CreateRequest
      expect(body.shipping.fixedOptions.flatMap((g) => g.options.map((o) => [o.id, o.amount]))).toEqual([
        [option.id, { currency: "DKK", value: 3_900 }],
      ])
      sim.current.control.approve(reference, {
        msn: "654321",
        address: { addressLine1: "Strøget 1", postCode: "1160", city: "København", country: "DK" },
      })
      const order = await orderOf(reference, cartId)
      expect(order.currency_code).toBe("dkk")
      expect(order.shipping_address).toMatchObject({ address_1: "Strøget 1", country_code: "dk" })
      expect(order.shipping_methods.map((m: { shipping_option_id: string }) => m.shipping_option_id)).toEqual(
        [option.id],
      )
      expect(Math.round(Number(order.total) * 100)).toBe(12_500 + 3_900)
      expect(sim.current.control.getPayment(reference, { msn: "654321" })!.aggregate.authorized).toBe(16_400)
    })

    it("a taxed region (prices without tax): shipping offered with its tax, total equal to the authorized amount", async () => {
      await createTaxRegionsWorkflow(getContainer()).run({
        input: [
          {
            country_code: "no",
            provider_id: "tp_system",
            default_tax_rate: { rate: 20, code: "MVA", name: "MVA" },
          },
        ],
      })
      const started = await express({ variant_id: store.variantId, quantity: 1, region_id: store.regionId })
      expect(started.status).toBe(200)
      const { cart_id: cartId, reference } = started.data.express
      const [create] = sim.current.control.requests({ operation: "createPayment" }).slice(-1)
      const body = create.body as CreateRequest
      expect(body.amount.value).toBe(29_940)
      const offered = Object.fromEntries(
        body.shipping.fixedOptions.flatMap((g) => g.options.map((o) => [o.id, o.amount.value])),
      )
      expect(offered).toEqual({ [store.shippingOptionId]: 5_880, [pickupId]: 3_480 })
      sim.current.control.approve(reference, { shippingOptionId: store.shippingOptionId })
      const order = await orderOf(reference, cartId)
      expect(Math.round(Number(order.total) * 100)).toBe(29_940 + 5_880)
      expect(authorizedOf(reference)).toBe(29_940 + 5_880)
    })

    it("refuses bad input with a clear error and creates nothing", async () => {
      const before = sim.current.control.requests({ operation: "createPayment" }).length
      for (const body of [
        {},
        { cart_id: "nope" },
        { variant_id: store.variantId, quantity: 0, region_id: store.regionId },
        { variant_id: store.variantId, quantity: 1, region_id: store.regionId, shipping: "teleport" },
      ]) {
        const res = await express(body)
        expect(res.status).toBe(400)
        expect(res.data.message).toMatch(/Express needs/)
      }
      expect(sim.current.control.requests({ operation: "createPayment" })).toHaveLength(before)
    })

    it("an automatic free-shipping promotion: the options are offered at the price the cart gets (0)", async () => {
      await createPromotionsWorkflow(getContainer()).run({
        input: {
          promotionsData: [
            {
              code: "FREESHIP",
              type: "standard",
              status: "active",
              is_automatic: true,
              application_method: {
                type: "percentage",
                target_type: "shipping_methods",
                allocation: "each",
                value: 100,
                max_quantity: 1,
                currency_code: "nok",
              },
            },
          ],
        },
      })
      const { data } = await api.post(
        "/store/carts",
        { region_id: store.regionId, items: [{ variant_id: store.variantId, quantity: 1 }] },
        { headers },
      )
      const cartId = data.cart.id
      const started = await express({ cart_id: cartId })
      expect(started.status).toBe(200)
      const reference = started.data.express.reference
      const [create] = sim.current.control.requests({ operation: "createPayment" }).slice(-1)
      const body = create.body as CreateRequest
      const prices = body.shipping.fixedOptions.flatMap((g) => g.options.map((o) => o.amount.value))
      expect(prices).toEqual([0, 0])
      sim.current.control.approve(reference, { shippingOptionId: store.shippingOptionId })
      const order = await orderOf(reference, cartId)
      // Shipping is free: Vipps MobilePay reserved the goods alone, and the order is for exactly that.
      expect(authorizedOf(reference)).toBe(body.amount.value)
      expect(Math.round(Number(order.total) * 100)).toBe(body.amount.value)
      // The shopper's cart was never given a trial shipping method: one method, the chosen one.
      expect(order.shipping_methods).toHaveLength(1)
    })
  },
})
