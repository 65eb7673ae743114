import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type {
  IPaymentModuleService,
  IProductModuleService,
  IWorkflowEngineService,
} from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createProductsWorkflow } from "@medusajs/medusa/core-flows"
import axios from "axios"
import { reconcileVippsPayments } from "../../src/sync/reconcile"
import { syncVippsPayment } from "../../src/sync/sync-payment"
import { findRegistration } from "../../src/providers/vipps/registration"
import { orderOfCart, region, useSeededStore } from "../helpers/fixture"
import { answerOnLandingPage } from "../helpers/shopper"
import { eventually, NORWAY, signedWebhookHeaders, storeHookUrl, useSimulator } from "../helpers/simulator"

jest.setTimeout(240_000)

const sim = useSimulator({ webhooks: true })
const HOUR = 3600_000

/** Vipps MobilePay's event log and aggregate are the ledger: Medusa follows it whatever happens beside the plugin. */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const { store, shop, admin } = useSeededStore(api, getContainer, {
      regions: [region("no", "pp_vipps_vipps")],
      products: [
        { label: "mug", amounts: { nok: 249.5 } },
        { label: "lamp", amounts: { nok: 100 } },
      ],
    })

    const vipps = (reference: string) => sim.current.control.getPayment(reference)!
    const later = (ms: number) => new Date(Date.now() + ms)

    const startPayment = (label = "mug", email = "shopper@example.com") =>
      shop.startCheckout("nok", [{ label, quantity: 2 }], "pp_vipps_vipps", { email })

    async function paidOrder() {
      const { cart, reference } = await startPayment()
      await answerOnLandingPage(vipps(reference).redirectUrl!, "approve")
      const completed = await shop.complete(cart.id)
      expect(completed.data.type).toBe("order")
      const order = completed.data.order as { id: string }
      return { reference, orderId: order.id, paymentId: (await orderPayment(order.id)).id as string }
    }

    async function orderPayment(orderId: string) {
      const { data } = await api.get(
        `/admin/orders/${orderId}?fields=id,payment_collections.payments.*,payment_collections.payments.captures.*,payment_collections.payments.refunds.*`,
        admin,
      )
      return data.order.payment_collections[0].payments[0]
    }

    async function transactions(orderId: string) {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: ["transactions.amount", "transactions.reference", "transactions.reference_id"],
        filters: { id: orderId },
      })
      return ((data[0] as { transactions?: { amount: number; reference: string }[] }).transactions ?? []).map(
        (t) => ({ reference: t.reference, amount: Number(t.amount) }),
      )
    }

    const sum = (rows: { amount: number }[]) => rows.reduce((total, row) => total + Number(row.amount), 0)

    async function attention() {
      const { data } = await api.get("/admin/vipps/attention", admin)
      return data as {
        flagged: { reference: string; reason: string; message: string }[]
        webhooks: unknown[]
      }
    }

    it("1. never refunds twice: a refund whose answers were all lost is recorded, and the second click is refused", async () => {
      const { reference, orderId, paymentId } = await paidOrder()
      await api.post(`/admin/payments/${paymentId}/capture`, {}, admin)
      sim.current.control.cutConnection("refund", { times: 10, when: "after" })
      sim.current.control.failNext("getPaymentEvents", { times: 10, status: 503 })
      const lost = await api.post(
        `/admin/payments/${paymentId}/refund`,
        { amount: 300 },
        { ...admin, validateStatus: () => true },
      )
      expect(lost.status).toBeGreaterThanOrEqual(400)
      sim.current.control.clearFaults()
      expect(vipps(reference).aggregate.refunded).toBe(30000)

      const again = await api.post(
        `/admin/payments/${paymentId}/refund`,
        { amount: 300 },
        { ...admin, validateStatus: () => true },
      )
      expect(again.status).toBe(400)
      expect(again.data.message).toMatch(/holds 300.00 NOK refunded/)
      // The refusal asked the sync to record what Vipps holds: Medusa shows the refund as a real refund row.
      const payment = await eventually(async () => {
        const p = await orderPayment(orderId)
        return p.refunds.length === 1 && p
      })
      expect(sum(payment.refunds)).toBe(300)
      // The order transaction is the workflow's next step.
      await eventually(async () => (await transactions(orderId)).some((t) => t.reference === "refund"))
      expect(await transactions(orderId)).toEqual(
        expect.arrayContaining([{ reference: "refund", amount: -300 }]),
      )
      expect(vipps(reference).aggregate.refunded).toBe(30000)
      expect(vipps(reference).events.filter((e) => e.name === "REFUNDED")).toHaveLength(1)
    })

    it("2. releases an approved payment whose cart cannot become an order, and tells shopper and staff", async () => {
      const { cart, reference } = await startPayment("lamp")
      // After approval the item can no longer be sold: inventory is now managed and there is none.
      const products = getContainer().resolve<IProductModuleService>(Modules.PRODUCT)
      await products.updateProductVariants(store.variants.lamp, { manage_inventory: true })
      sim.current.control.approve(reference)
      await eventually(async () => vipps(reference).aggregate.cancelled === 20000, 60_000)
      expect(vipps(reference).aggregate.captured).toBe(0)
      // The stock is checked before the completion, so no order is begun: none exists.
      await eventually(async () => (await orderOfCart(getContainer(), cart.id)) === undefined)
      const { data } = await api.get(`/store/vipps/payments/${reference}`, { headers: shop.headers })
      expect(data.payment.status).toBe("failed")
      expect(data.payment.failure_reason).toMatch(/could not complete your order.*released/)
      // The staff flag is written after the release: wait for it rather than read it once.
      const flagged = await eventually(async () =>
        (await attention()).flagged.find((f) => f.reference === reference),
      )
      expect(flagged.reason).toBe("released_unorderable")
      // A later visit changes nothing: released once, never completed.
      await reconcileVippsPayments(getContainer(), { now: later(HOUR) })
      expect(vipps(reference).events.filter((e) => e.name === "CANCELLED")).toHaveLength(1)
    })

    /** Carts of products of their own (stock not yet managed, so the carts can be made), each with a session. */
    async function cartsToSellOut(labels: string[], amount: number) {
      const { result: products } = await createProductsWorkflow(getContainer()).run({
        input: {
          products: labels.map((label) => ({
            title: `Product ${label}`,
            status: "published" as const,
            options: [{ title: "Size", values: ["One"] }],
            sales_channels: [{ id: store.salesChannelId }],
            variants: [
              {
                title: label,
                options: { Size: "One" },
                manage_inventory: false,
                prices: [{ currency_code: "nok", amount }],
              },
            ],
          })),
        },
      })
      return Promise.all(
        products.map(async (product, i) => {
          const variant = product.variants[0].id
          const { data } = await api.post(
            "/store/carts",
            {
              region_id: store.regions.nok.id,
              sales_channel_id: store.salesChannelId,
              email: `sold-out-${labels[i]}@example.com`,
              items: [{ variant_id: variant, quantity: 1 }],
            },
            { headers: shop.headers },
          )
          const cartId = data.cart.id as string
          const { session } = await shop.startPayment(cartId, "pp_vipps_vipps", { cart_id: cartId })
          return { variant, cartId, reference: session.data.reference as string }
        }),
      )
    }

    /** Approved in the app (its webhook lost), then the item sells out: inventory managed, and there is none. */
    async function approveThenSellOut(variant: string, reference: string) {
      sim.current.control.dropWebhooks(1, { reference, event: "AUTHORIZED" })
      sim.current.control.approve(reference)
      await getContainer()
        .resolve<IProductModuleService>(Modules.PRODUCT)
        .updateProductVariants(variant, { manage_inventory: true })
    }

    /**
     * Cart completions still running. Medusa's in-memory engine can lose the rollback of a completion that
     * created its order and then failed to reserve: that execution would wait to compensate forever (and
     * keep its order).
     */
    async function unfinishedCompletions() {
      const engine = getContainer().resolve<IWorkflowEngineService>(Modules.WORKFLOW_ENGINE)
      const unfinished = await engine.listWorkflowExecutions({
        workflow_id: "complete-cart",
        state: { $nin: ["not_started", "done", "reverted", "failed"] },
      } as never)
      return unfinished.map((e) => e.state)
    }

    it("2b. carts that sell out after approval, several at once: released, no order begun, no rollback left waiting", async () => {
      const container = getContainer()
      const registration = findRegistration(container, "pp_vipps_vipps")!
      const checkouts = await cartsToSellOut(["vase", "bowl", "jug"], 80)
      const outcomes = await Promise.all(
        checkouts.map(async ({ variant, cartId, reference }) => {
          await approveThenSellOut(variant, reference)
          const result = await syncVippsPayment(container, registration, reference)
          return { cartId, reference, outcome: result.outcome }
        }),
      )
      for (const { cartId, reference, outcome } of outcomes) {
        expect(outcome).toBe("released")
        expect(vipps(reference).aggregate.cancelled).toBe(8000)
        expect(await orderOfCart(container, cartId)).toBeUndefined()
      }
      expect(await unfinishedCompletions()).toEqual([])
    })

    it("2c. the storefront's own completions of carts that sold out after approval begin no order either", async () => {
      const container = getContainer()
      const checkouts = await cartsToSellOut(["cup", "plate", "bottle"], 60)
      // The storefront's return page comes first: Medusa hears of the approval only from it.
      await Promise.all(checkouts.map(({ variant, reference }) => approveThenSellOut(variant, reference)))
      const completions = await Promise.all(checkouts.map(({ cartId }) => shop.complete(cartId)))
      for (const [i, completed] of completions.entries()) {
        expect(completed.data.type).not.toBe("order")
        expect(JSON.stringify(completed.data)).toMatch(/out of stock/)
        expect(await orderOfCart(container, checkouts[i].cartId)).toBeUndefined()
      }
      expect(await unfinishedCompletions()).toEqual([])
      // The next visit (the return page's read) releases the money Vipps MobilePay holds.
      const registration = findRegistration(container, "pp_vipps_vipps")!
      for (const { cartId, reference } of checkouts) {
        expect((await syncVippsPayment(container, registration, reference)).outcome).toBe("released")
        expect(vipps(reference).aggregate.cancelled).toBe(6000)
        expect(await orderOfCart(container, cartId)).toBeUndefined()
      }
    })

    it("3. a newer approved payment becomes an order while 200 stuck sessions wait", async () => {
      // 200 payments nobody approves (made straight through Medusa's payment module: no carts needed).
      const payments = getContainer().resolve<IPaymentModuleService>(Modules.PAYMENT)
      for (let batch = 0; batch < 10; batch++) {
        const collections = await payments.createPaymentCollections(
          Array.from({ length: 20 }, () => ({ currency_code: "nok", amount: 100 })),
        )
        await Promise.all(
          collections.map((collection) =>
            payments.createPaymentSession(collection.id, {
              provider_id: "pp_vipps_vipps",
              currency_code: "nok",
              amount: 100,
              data: {},
            }),
          ),
        )
      }
      sim.current.control.dropWebhooks(1000)
      // Every stuck session has been visited once (four runs of 50), as the job would over two minutes.
      for (let run = 1; run <= 5; run++)
        await reconcileVippsPayments(getContainer(), { now: later(run * 60_000) })
      const fresh = await startPayment()
      sim.current.control.approve(fresh.reference)
      const report = await reconcileVippsPayments(getContainer(), { now: later(6 * 60_000) })
      expect(report.checked).toBeLessThanOrEqual(50)
      expect(await orderOfCart(getContainer(), fresh.cart.id)).toBeDefined()
      sim.current.control.clearWebhookFaults()
    })

    it("4. a capture made in the business portal is a Medusa capture with its order transaction, webhook or not", async () => {
      const delivered = await paidOrder()
      sim.current.control.capture(delivered.reference, 30000)
      const payment = await eventually(async () => {
        const p = await orderPayment(delivered.orderId)
        return p.captures.length === 1 && p
      })
      expect(sum(payment.captures)).toBe(300)
      await eventually(async () => (await transactions(delivered.orderId)).length > 0)
      expect(await transactions(delivered.orderId)).toEqual(
        expect.arrayContaining([{ reference: "capture", amount: 300 }]),
      )

      const lost = await paidOrder()
      sim.current.control.dropWebhooks(10, { reference: lost.reference })
      sim.current.control.capture(lost.reference, 49900)
      await reconcileVippsPayments(getContainer(), { now: later(2 * HOUR) })
      const captured = await orderPayment(lost.orderId)
      expect(sum(captured.captures)).toBe(499)
      expect(captured.captured_at).toBeTruthy()
      await eventually(async () => (await transactions(lost.orderId)).length > 0)
      expect(await transactions(lost.orderId)).toEqual(
        expect.arrayContaining([{ reference: "capture", amount: 499 }]),
      )
      // Recorded, never sent again.
      const sent = sim.current.control
        .requests()
        .filter((r) => r.method === "POST" && /\/capture$/.test(r.path))
      expect(
        sent.filter((r) => r.path.includes(delivered.reference) || r.path.includes(lost.reference)),
      ).toHaveLength(0)
    })

    it("5. a movement on a payment Medusa canceled is flagged for staff and its webhook answered 2xx", async () => {
      const { reference, paymentId } = await paidOrder()
      const payments = getContainer().resolve<IPaymentModuleService>(Modules.PAYMENT)
      // Medusa canceled the payment, but the reservation stayed at Vipps (a rollback that kept it).
      await payments.updatePayment({ id: paymentId, canceled_at: new Date() } as never)
      sim.current.control.capture(reference, 10000)
      const [delivery] = await sim.current.control.waitForWebhooks(
        1,
        { reference, eventName: "CAPTURED" },
        { timeoutMs: 15_000 },
      )
      expect(delivery.attempts.map((a) => a.status)).toEqual([200])
      const flagged = await eventually(async () =>
        (await attention()).flagged.find(
          (f) => f.reference === reference && f.reason === "movement_after_cancel",
        ),
      )
      expect(flagged.message).toMatch(/100.00 NOK captured/)
    })

    it("5b. signed deliveries it cannot use are acknowledged, never refused", async () => {
      const url = new URL(storeHookUrl())
      for (const body of [
        "{not json",
        JSON.stringify({
          msn: "999999",
          reference: "someone-else-1234",
          name: "AUTHORIZED",
          pspReference: "p",
          amount: { currency: "NOK", value: 1 },
          timestamp: new Date().toISOString(),
          idempotencyKey: null,
          success: true,
        }),
        JSON.stringify({ msn: NORWAY.msn, reference: "whatever-1234", name: "SOMETHING_NEW" }),
      ]) {
        const headers = signedWebhookHeaders(body, url.toString())
        const response = await axios.post(url.toString(), body, {
          headers: { ...headers, "content-type": "application/json" },
          transformRequest: [(d) => d],
          validateStatus: () => true,
        })
        expect(response.status).toBe(200)
        expect(response.data.outcome).toBe("ignored")
      }
    })

    it("6. a lost REFUNDED webhook is picked up by the reconciler", async () => {
      const { reference, orderId, paymentId } = await paidOrder()
      await api.post(`/admin/payments/${paymentId}/capture`, {}, admin)
      await eventually(async () => (await orderPayment(orderId)).captures.length === 1)
      sim.current.control.dropWebhooks(10, { reference })
      sim.current.control.refund(reference, 12345)
      await reconcileVippsPayments(getContainer(), { now: later(2 * HOUR) })
      const payment = await orderPayment(orderId)
      expect(sum(payment.refunds)).toBe(123.45)
      await eventually(async () => (await transactions(orderId)).some((t) => t.reference === "refund"))
      expect(await transactions(orderId)).toEqual(
        expect.arrayContaining([{ reference: "refund", amount: -123.45 }]),
      )
    })

    it("7. a refund in the portal after the rest was released there is recorded, not flagged", async () => {
      const { reference, orderId, paymentId } = await paidOrder()
      await api.post(`/admin/payments/${paymentId}/capture`, { amount: 300 }, admin)
      sim.current.control.cancel(reference)
      await eventually(async () => !!(await orderPayment(orderId)).canceled_at)
      sim.current.control.refund(reference, 20000)
      const payment = await eventually(async () => {
        const p = await orderPayment(orderId)
        return p.refunds.length === 1 && p
      })
      expect(sum(payment.refunds)).toBe(200)
      expect((await attention()).flagged.filter((f) => f.reference === reference)).toEqual([])
    })

    it("7b. a reservation released in the portal before any capture: the order's payment says canceled, staff told", async () => {
      const { reference, orderId } = await paidOrder()
      const status = async () =>
        (await api.get(`/admin/orders/${orderId}?fields=id,payment_status`, admin)).data.order.payment_status
      expect(await status()).toBe("authorized")
      sim.current.control.cancel(reference)
      await eventually(async () => !!(await orderPayment(orderId)).canceled_at)
      await eventually(async () => (await status()) === "canceled")
      // The staff flag follows the recorded release: wait for it rather than read it once.
      const flagged = await eventually(async () =>
        (await attention()).flagged.find((f) => f.reference === reference),
      )
      expect(flagged).toMatchObject({ reason: "released_outside_medusa" })
    })

    it("7c. a refund in the portal after the rest was released, its webhook lost, is found by the reconciler", async () => {
      const { reference, orderId, paymentId } = await paidOrder()
      await api.post(`/admin/payments/${paymentId}/capture`, { amount: 300 }, admin)
      sim.current.control.cancel(reference)
      await eventually(async () => !!(await orderPayment(orderId)).canceled_at)
      sim.current.control.dropWebhooks(1, { reference, event: "REFUNDED" })
      sim.current.control.refund(reference, 10000)
      await reconcileVippsPayments(getContainer(), { now: later(2 * HOUR), batchSize: 10_000 })
      expect(sum((await orderPayment(orderId)).refunds)).toBe(100)
      expect(vipps(reference).aggregate.refunded).toBe(10000)
    })

    it("answers a webhook before the work is done: the order follows from the inbox", async () => {
      const { cart, reference } = await startPayment()
      sim.current.control.addLatency("getPayment", 1500, { times: 2 })
      sim.current.control.approve(reference)
      const [delivery] = await sim.current.control.waitForWebhooks(
        1,
        { reference, eventName: "AUTHORIZED" },
        { timeoutMs: 15_000 },
      )
      expect(delivery.attempts.map((a) => a.status)).toEqual([200])
      expect(await orderOfCart(getContainer(), cart.id)).toBeUndefined()
      await eventually(async () => !!(await orderOfCart(getContainer(), cart.id)))
      sim.current.control.clearFaults()
    })

    // Last: it deletes a registration, as Vipps MobilePay does after two weeks without an answer.
    it("8. says when Vipps MobilePay stopped sending a registration's webhooks, and when it sends them again", async () => {
      type Health = { provider_id: string; status: string; url: string | null }
      const checkNow = async () =>
        (await api.post("/admin/vipps/webhooks/check", {}, admin)).data.webhooks as Health[]
      const shown = async () => (await attention()).webhooks as Health[]
      const of = (list: Health[], providerId: string) => list.find((w) => w.provider_id === providerId)

      const before = await checkNow()
      expect(of(before, "pp_vipps_direct")).toMatchObject({ status: "registered" })
      expect(of(before, "pp_vipps_vipps")?.url).toMatch(/\/hooks\/vipps\/vipps$/)
      expect(of(before, "pp_vipps_profile")).toMatchObject({ status: "no_secret", url: null })

      const direct = sim.current.control
        .webhookRegistrations()
        .find((r) => r.url.endsWith("/hooks/vipps/direct"))!
      expect(sim.current.control.dropWebhookRegistration(direct.id)).toBe(true)
      sim.current.control.clearRequests()
      // The page shows the hourly answer without asking Vipps again…
      expect(of(await shown(), "pp_vipps_direct")).toMatchObject({ status: "registered" })
      expect(sim.current.control.requests({ operation: "listWebhooks" })).toHaveLength(0)
      // …and "Check now" asks.
      const after = await checkNow()
      expect(of(after, "pp_vipps_direct")).toMatchObject({ status: "missing", url: null })
      expect(of(after, "pp_vipps_vipps")).toMatchObject({ status: "registered" })
      expect(of(await shown(), "pp_vipps_direct")).toMatchObject({ status: "missing" })

      const client = findRegistration(getContainer(), "pp_vipps_direct")!.client
      await client.webhooks.register({ url: direct.url, events: ["epayments.payment.authorized.v1"] })
      expect(of(await checkNow(), "pp_vipps_direct")).toMatchObject({ status: "incomplete", url: direct.url })
    })
  },
})
