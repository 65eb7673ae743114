import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type {
  IPaymentModuleService,
  IWorkflowEngineService,
  MedusaContainer,
} from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import axios from "axios"
import { VippsClient } from "../../src/lib/vipps/client"
import { findRegistration } from "../../src/providers/vipps/registration"
import { reconcileVippsPayments } from "../../src/sync/reconcile"
import { syncVippsPayment } from "../../src/sync/sync-payment"
import vippsWebhooks from "../../src/scripts/vipps-webhooks"
import { ordersOfCart, region, useSeededStore } from "../helpers/fixture"
import { answerOnLandingPage } from "../helpers/shopper"
import { eventually, NORWAY, signedWebhookHeaders, storeHookUrl, useSimulator } from "../helpers/simulator"

jest.setTimeout(120_000)

const sim = useSimulator({ webhooks: true })

async function sessionState(container: MedusaContainer, sessionId: string) {
  const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const [session] = await payments.listPaymentSessions({ id: sessionId }, { relations: ["payment"] })
  return {
    status: session.status,
    authorized: !!session.authorized_at,
    payment: session.payment,
    data: session.data,
  }
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const { shop, admin } = useSeededStore(api, getContainer, {
      regions: [region("no", "pp_vipps_vipps")],
      products: [{ label: "mug", amounts: { nok: 249.5 } }],
    })

    const startPayment = () => shop.startCheckout("nok", [{ label: "mug", quantity: 2 }], "pp_vipps_vipps")

    /** A delivery signed exactly as Vipps MobilePay signs it, sent straight to Medusa. */
    function signedEvent(reference: string, name = "AUTHORIZED", overrides: Record<string, unknown> = {}) {
      const body = JSON.stringify({
        msn: NORWAY.msn,
        reference,
        pspReference: "psp-test",
        name,
        amount: { currency: "NOK", value: 49900 },
        timestamp: new Date().toISOString(),
        idempotencyKey: null,
        success: true,
        ...overrides,
      })
      return { body, headers: signedWebhookHeaders(body, storeHookUrl()) }
    }

    const post = (body: string, headers: Record<string, string>, url = storeHookUrl()) =>
      axios.post(url, body, {
        headers: { ...headers, "content-type": "application/json" },
        validateStatus: () => true,
        transformRequest: [(d) => d],
      })

    it("creates exactly one order from the webhook alone when the shopper never returns", async () => {
      const { cart, reference } = await startPayment()
      await answerOnLandingPage((await sim.current.control.getPayment(reference))!.redirectUrl!, "approve")
      const orders = await eventually(async () => {
        const found = await ordersOfCart(getContainer(), cart.id)
        return found.length > 0 && found
      })
      expect(orders).toHaveLength(1)
      const delivery = await eventually(async () =>
        sim.current.control
          .webhookDeliveries({ reference, eventName: "AUTHORIZED" })
          .find((d) => d.state === "delivered"),
      )
      expect(delivery.attempts.at(-1)?.status).toBe(200)
      // The storefront returning late gets the same order.
      const late = await shop.complete(cart.id)
      expect(late.data.type).toBe("order")
      expect(late.data.order.id).toBe(orders[0].order_id)
      expect(await ordersOfCart(getContainer(), cart.id)).toHaveLength(1)
      // One read of the payment for the whole checkout: the sync's, shared with the authorization.
      expect(sim.current.control.requests({ operation: "getPayment", path: reference })).toHaveLength(1)
    })

    it("gives one order, one payment, one authorization and one completion when storefront and webhook arrive together", async () => {
      // Several races at once, so that either side wins some.
      const races = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const { cart, session, reference } = await startPayment()
          sim.current.control.dropWebhooks(1, { reference })
          sim.current.control.approve(reference)
          const event = signedEvent(reference)
          const [webhook, completion] = await Promise.all([
            post(event.body, event.headers),
            shop.complete(cart.id),
          ])
          return { cart, session, reference, webhook, completion }
        }),
      )
      const engine = getContainer().resolve<IWorkflowEngineService>(Modules.WORKFLOW_ENGINE)
      for (const { cart, session, reference, webhook, completion } of races) {
        expect(webhook.status).toBe(200)
        expect(completion.status).toBe(200)
        expect(completion.data.type).toBe("order")
        expect(await ordersOfCart(getContainer(), cart.id)).toHaveLength(1)
        await eventually(async () => (await sessionState(getContainer(), session.id)).authorized)
        const payments = await getContainer()
          .resolve<IPaymentModuleService>(Modules.PAYMENT)
          .listPayments({ payment_session_id: session.id })
        expect(payments).toHaveLength(1)
        expect(
          sim.current.control.getPayment(reference)!.events.filter((e) => e.name === "AUTHORIZED"),
        ).toHaveLength(1)
        // Whoever came second found the order: Medusa's completion ran once for this cart, not twice.
        const executions = await engine.listWorkflowExecutions({ workflow_id: "complete-cart" } as never)
        expect(executions.filter((e) => JSON.stringify(e).includes(cart.id))).toHaveLength(1)
      }
    })

    it("ends the same with duplicated, delayed and reordered webhooks", async () => {
      const { cart, reference } = await startPayment()
      sim.current.control.duplicateWebhooks(2)
      sim.current.control.delayWebhooks(1, 500)
      sim.current.control.reorderWebhooks(1)
      sim.current.control.approve(reference)
      await eventually(async () => (await ordersOfCart(getContainer(), cart.id)).length > 0)
      await sim.current.control.waitForWebhookIdle({ timeoutMs: 15_000 })
      const deliveries = sim.current.control.webhookDeliveries({ reference })
      expect(deliveries.length).toBeGreaterThanOrEqual(2)
      expect(deliveries.every((d) => d.state === "delivered")).toBe(true)
      // Extra copies sent by hand are answered 200 and change nothing.
      const again = signedEvent(reference)
      expect((await post(again.body, again.headers)).status).toBe(200)
      expect((await post(again.body, again.headers)).status).toBe(200)
      expect(await ordersOfCart(getContainer(), cart.id)).toHaveLength(1)
    })

    it("lets the reconciliation job create the order when the webhook is dropped", async () => {
      const { cart, reference } = await startPayment()
      sim.current.control.dropWebhooks(10, { reference })
      sim.current.control.approve(reference)
      expect(await ordersOfCart(getContainer(), cart.id)).toHaveLength(0)
      const report = await reconcileVippsPayments(getContainer(), { now: new Date(Date.now() + 120_000) })
      expect(report.outcomes.authorized).toBeGreaterThanOrEqual(1)
      expect(await ordersOfCart(getContainer(), cart.id)).toHaveLength(1)
      // A second run finds nothing left to do for it.
      await reconcileVippsPayments(getContainer(), { now: new Date(Date.now() + 120_000) })
      expect(await ordersOfCart(getContainer(), cart.id)).toHaveLength(1)
    })

    it("marks the session failed when the shopper rejects", async () => {
      const { session, reference } = await startPayment()
      await answerOnLandingPage(sim.current.control.getPayment(reference)!.redirectUrl!, "reject")
      const state = await eventually(async () => {
        const s = await sessionState(getContainer(), session.id)
        return s.status === "error" && s
      })
      expect(state.data).toMatchObject({
        state: "ABORTED",
        failureReason: expect.stringMatching(/cancelled/),
      })
    })

    describe("rejects what Vipps MobilePay did not send, changing nothing", () => {
      const cases: [
        string,
        (e: { body: string; headers: Record<string, string> }) => [string, Record<string, string>],
        number,
      ][] = [
        [
          "a forged signature",
          (e) => [
            e.body,
            {
              ...e.headers,
              authorization: e.headers.authorization.replace(/Signature=.{4}/, "Signature=AAAA"),
            },
          ],
          401,
        ],
        ["an altered body", (e) => [e.body.replace('"success":true', '"success":false'), e.headers], 401],
        [
          "a stale date",
          (e) => [e.body, { ...e.headers, "x-ms-date": new Date(Date.now() - 3600_000).toUTCString() }],
          401,
        ],
        ["missing headers", (e) => [e.body, { "content-type": "application/json" }], 401],
      ]
      it.each(cases)("%s", async (_name, tamper, status) => {
        const { cart, session, reference } = await startPayment()
        sim.current.control.dropWebhooks(10, { reference })
        sim.current.control.approve(reference)
        const [body, headers] = tamper(signedEvent(reference))
        const response = await post(body, headers)
        expect(response.status).toBe(status)
        expect(await ordersOfCart(getContainer(), cart.id)).toHaveLength(0)
        expect((await sessionState(getContainer(), session.id)).authorized).toBe(false)
      })

      it("a wrong secret", async () => {
        const { cart, reference } = await startPayment()
        sim.current.control.dropWebhooks(10, { reference })
        sim.current.control.approve(reference)
        const body = signedEvent(reference).body
        const headers = signedWebhookHeaders(body, storeHookUrl(), "not-the-secret")
        expect((await post(body, headers)).status).toBe(401)
        expect(await ordersOfCart(getContainer(), cart.id)).toHaveLength(0)
      })

      it("malformed JSON, correctly signed", async () => {
        const body = "{not json"
        expect((await post(body, signedWebhookHeaders(body, storeHookUrl()))).status).toBe(200)
      })

      it("an unknown registration", async () => {
        const event = signedEvent("test-no-payses-01ABCDEFGHJKMNPQRSTVWXYZ00")
        expect((await post(event.body, event.headers, storeHookUrl().replace(/vipps$/, "nope"))).status).toBe(
          404,
        )
      })
    })

    it("records a capture and a refund made in the portal without sending them again", async () => {
      const { cart, reference } = await startPayment()
      sim.current.control.approve(reference)
      await eventually(async () => (await ordersOfCart(getContainer(), cart.id)).length > 0)
      const [{ order_id }] = await ordersOfCart(getContainer(), cart.id)

      sim.current.control.capture(reference, 30000)
      const payment = await eventually(async () => {
        const { data } = await api.get(
          `/admin/orders/${order_id}?fields=payment_collections.payments.captures.*,payment_collections.payments.data`,
          admin,
        )
        const p = data.order.payment_collections[0].payments[0]
        return p.captures.length === 1 && p
      })
      expect(payment.captures[0].amount).toBe(300)

      sim.current.control.refund(reference, 10000)
      await eventually(async () => {
        const { data } = await api.get(
          `/admin/orders/${order_id}?fields=payment_collections.payments.refunds.*`,
          admin,
        )
        const refunds = data.order.payment_collections[0].payments[0].refunds
        return refunds.length === 1 && refunds[0].amount === 100
      })
      await sim.current.control.waitForWebhookIdle({ timeoutMs: 15_000 })
      const modifications = sim.current.control
        .requests()
        .filter(
          (r) => r.method === "POST" && /\/(capture|refund)$/.test(r.path) && r.path.includes(reference),
        )
      expect(modifications).toHaveLength(0)
      expect(sim.current.control.getPayment(reference)!.aggregate).toMatchObject({
        captured: 30000,
        refunded: 10000,
      })
    })

    it("registers, lists and deletes the store's webhook with the merchant command", async () => {
      const lines: string[] = []
      const log = jest.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line))
      try {
        const url = "https://shop.example.com/hooks/vipps/vipps"
        await vippsWebhooks({ container: getContainer(), args: ["register", "vipps", url] } as never)
        const registered = sim.current.control.webhookRegistrations().find((r) => r.url === url)!
        expect(registered.events).toHaveLength(8)
        expect(lines.join("\n")).toContain(registered.secret)

        await vippsWebhooks({ container: getContainer(), args: ["list", "vipps"] } as never)
        expect(lines.some((l) => l.includes(registered.id) && l.includes(url))).toBe(true)

        await vippsWebhooks({ container: getContainer(), args: ["delete", "vipps", registered.id] } as never)
        expect(sim.current.control.webhookRegistrations().some((r) => r.id === registered.id)).toBe(false)
      } finally {
        log.mockRestore()
      }
    })

    it("releases a payment approved after Medusa dropped its session", async () => {
      const cart = await shop.createCart("nok", [{ label: "mug", quantity: 2 }])
      const first = await shop.startPayment(cart.id, "pp_vipps_vipps", { cart_id: cart.id })
      const reference = first.session.data.reference as string
      sim.current.control.dropWebhooks(10, { reference })
      sim.current.control.approve(reference)
      // The shopper starts over (e.g. changed the cart): Medusa drops the first session.
      await shop.startPayment(cart.id, "pp_vipps_vipps", { cart_id: cart.id })
      expect(sim.current.control.getPayment(reference)!.aggregate.cancelled).toBe(0)

      const event = signedEvent(reference)
      const response = await post(event.body, event.headers)
      expect(response.status).toBe(200)
      expect(response.data.outcome).toBe("queued")
      await eventually(async () => sim.current.control.getPayment(reference)!.aggregate.cancelled === 49900)
      expect(await ordersOfCart(getContainer(), cart.id)).toHaveLength(0)
    })

    it("never releases a payment it cannot prove is its own", async () => {
      // Another store on the same sales unit, with the same prefix by mistake, creates and gets approved a
      // payment whose session this store never had.
      const other = new VippsClient({
        clientId: NORWAY.clientId,
        clientSecret: NORWAY.clientSecret,
        subscriptionKey: NORWAY.subscriptionKey,
        merchantSerialNumber: NORWAY.msn,
        baseUrl: sim.current.url,
        systemInfo: { systemName: "other-shop", systemVersion: "1", pluginName: "other", pluginVersion: "1" },
      })
      const foreign = "test-no-payses-01OTHERSTORE0000000000000001"
      await other.epayment.createPayment(
        {
          amount: { currency: "NOK", value: 49900 },
          paymentMethod: { type: "WALLET" },
          reference: foreign,
          userFlow: "WEB_REDIRECT",
          returnUrl: "https://other.example/return",
        },
        "create-other-1",
      )
      sim.current.control.dropWebhooks(10, { reference: foreign })
      sim.current.control.approve(foreign)
      const event = signedEvent(foreign)
      const response = await post(event.body, event.headers)
      expect(response.status).toBe(200)
      // What the inbox does with it, run here to see its outcome.
      const registration = findRegistration(getContainer(), "pp_vipps_vipps")!
      expect(await syncVippsPayment(getContainer(), registration, foreign)).toEqual({
        outcome: "ignored",
        reason: "not a payment of this store",
      })
      expect(sim.current.control.getPayment(foreign)!.aggregate.cancelled).toBe(0)
    })
  },
})
