import type { RunningSimulator } from "../../src/simulator"
import { approveOnLandingPage, http, type Json, ok } from "./http"
import { bold, check, eventually, red, step } from "./report"
import type { DemoStore } from "./seed-store"
import { payButtonLabel } from "./storefront"

export const PROVIDER_ID = "pp_vipps_vipps"
const REFUND_AMOUNT = 100

export type Walkthrough = {
  medusaUrl: string
  store: DemoStore
  sim: RunningSimulator
  admin: { email: string; password: string }
  /** Where Vipps MobilePay must send the shopper back (the configured return URL up to its query). */
  returnTo: string
}

/**
 * A checkout as a shopper and a merchant make it, over HTTP: cart with shipping, Vipps MobilePay session,
 * approval on the landing page, the signed webhook creating the order, the storefront completing the same
 * order, an admin capture and a partial refund, and the order page's Vipps MobilePay panel agreeing.
 */
export async function walkThroughCheckout(run: Walkthrough): Promise<{ orderId: string; reference: string }> {
  const { medusaUrl, store, sim } = run
  const shop = { "x-publishable-api-key": store.publishableKey }
  const { token } = await ok(`${medusaUrl}/auth/user/emailpass`, { body: run.admin })
  const auth = { authorization: `Bearer ${token}` }
  // With --keep the store has the orders of earlier runs.
  const ordersBefore = (await ok(`${medusaUrl}/admin/orders?fields=id&limit=1`, { headers: auth })).count

  const cart = await step(
    "Shopper: cart with 2 mugs, shipping address and shipping method",
    async () => {
      const { cart } = await ok(`${medusaUrl}/store/carts`, {
        headers: shop,
        body: {
          region_id: store.regionId,
          email: "shopper@example.com",
          items: [{ variant_id: store.variantId, quantity: 2 }],
        },
      })
      await ok(`${medusaUrl}/store/carts/${cart.id}`, {
        headers: shop,
        body: {
          shipping_address: {
            first_name: "Kari",
            last_name: "Nordmann",
            address_1: "Karl Johans gate 1",
            postal_code: "0154",
            city: "Oslo",
            country_code: store.countryCode,
          },
        },
      })
      const { shipping_options } = await ok(`${medusaUrl}/store/shipping-options?cart_id=${cart.id}`, {
        headers: shop,
      })
      check(shipping_options.length > 0, "no shipping option for the cart")
      const { cart: shipped } = await ok(`${medusaUrl}/store/carts/${cart.id}/shipping-methods`, {
        headers: shop,
        body: { option_id: shipping_options[0].id },
      })
      check(shipped.shipping_methods?.length === 1, "the cart has no shipping method")
      return shipped as Json
    },
    (c) => `${c.id}, total ${Number(c.total).toFixed(2)} NOK (${payButtonLabel(store.currency)})`,
  )
  const expectedMinor = Math.round(Number(cart.total) * 100)

  const session = await step(
    "Shopper: Vipps MobilePay payment session created",
    async () => {
      const { payment_collection } = await ok(`${medusaUrl}/store/payment-collections`, {
        headers: shop,
        body: { cart_id: cart.id },
      })
      const result = await ok(
        `${medusaUrl}/store/payment-collections/${payment_collection.id}/payment-sessions`,
        { headers: shop, body: { provider_id: PROVIDER_ID, data: { cart_id: cart.id } } },
      )
      const session = result.payment_collection.payment_sessions.find(
        (s: Json) => s.provider_id === PROVIDER_ID,
      )
      check(session?.data?.redirectUrl, "the session has no redirectUrl")
      check(
        session.data.amount.value === expectedMinor,
        `Vipps MobilePay was asked for ${session.data.amount.value} øre`,
      )
      return session.data as { reference: string; redirectUrl: string }
    },
    (s) => `reference ${s.reference}, redirect to ${new URL(s.redirectUrl).origin}`,
  )
  const reference = session.reference

  await step(
    "Shopper: opens redirectUrl and presses Approve on the landing page",
    async () => {
      const location = await approveOnLandingPage(session.redirectUrl)
      check(sim.control.getPayment(reference)?.state === "AUTHORIZED", "the payment is not AUTHORIZED")
      check(location.startsWith(run.returnTo), `unexpected return URL ${location}`)
      return location
    },
    (url) => `sent back to ${new URL(url).origin}${new URL(url).pathname}`,
  )

  await step(
    "Vipps MobilePay → signed AUTHORIZED webhook; Medusa verifies it and creates the order",
    async () => {
      const delivery = await eventually(
        "the AUTHORIZED webhook delivery",
        async () =>
          sim.control
            .webhookDeliveries({ reference, eventName: "AUTHORIZED" })
            .find((d) => d.state === "delivered"),
        60_000,
      )
      const status = delivery.attempts.at(-1)?.status
      check(status === 200, `Medusa answered ${status} to the webhook`)
      // The webhook is answered at once and processed from the inbox right after: wait for the order.
      await eventually(
        "the cart completed by the webhook",
        async () =>
          (await ok(`${medusaUrl}/store/carts/${cart.id}?fields=id,completed_at`, { headers: shop })).cart
            .completed_at,
        30_000,
      )
      return { attempts: delivery.attempts.length }
    },
    (d) => `delivered in ${d.attempts} attempt${d.attempts === 1 ? "" : "s"}, cart completed`,
  )

  const order = await step(
    "Shopper returns to the storefront, which completes the cart and gets the same order",
    async () => {
      const { status, body } = await http(`${medusaUrl}/store/carts/${cart.id}/complete`, {
        headers: shop,
        body: {},
      })
      check(status === 200 && body.type === "order", `completion answered ${status} ${body.type ?? ""}`)
      return body.order as Json
    },
    (o) => `order #${o.display_id} (${o.id}), total ${Number(o.total).toFixed(2)} NOK`,
  )

  const payment = await step(
    "Merchant: the order has one authorized Vipps MobilePay payment, and the checkout made one order",
    async () => {
      const { count } = await ok(`${medusaUrl}/admin/orders?fields=id&limit=1`, { headers: auth })
      check(count === ordersBefore + 1, `expected one new order, found ${count - ordersBefore}`)
      const { order: placed } = await ok(
        `${medusaUrl}/admin/orders/${order.id}?fields=id,*payment_collections.payments`,
        { headers: auth },
      )
      const payments = placed.payment_collections.flatMap((c: Json) => c.payments)
      check(
        payments.length === 1 && payments[0].provider_id === PROVIDER_ID,
        "expected one Vipps MobilePay payment",
      )
      check(payments[0].data.reference === reference, "the payment carries another reference")
      return payments[0] as Json
    },
    (p) => p.id,
  )
  await step(
    "Merchant: captures the payment in full from the admin",
    async () => {
      await ok(`${medusaUrl}/admin/payments/${payment.id}/capture`, { headers: auth, body: {} })
      const captured = sim.control.getPayment(reference)!.aggregate.captured
      check(captured === expectedMinor, `Vipps MobilePay captured ${captured} øre`)
    },
    () => `${(expectedMinor / 100).toFixed(2)} NOK captured at Vipps MobilePay`,
  )
  await step(
    `Merchant: refunds ${REFUND_AMOUNT.toFixed(2)} NOK (partial refund)`,
    async () => {
      await ok(`${medusaUrl}/admin/payments/${payment.id}/refund`, {
        headers: auth,
        body: { amount: REFUND_AMOUNT },
      })
      const refunded = sim.control.getPayment(reference)!.aggregate.refunded
      check(refunded === REFUND_AMOUNT * 100, `Vipps MobilePay refunded ${refunded} øre`)
    },
    () => `${REFUND_AMOUNT.toFixed(2)} NOK refunded at Vipps MobilePay`,
  )
  const view = await step(
    "Merchant: the order page's Vipps MobilePay panel agrees with Medusa (GET /admin/vipps/payments/:id)",
    async () => {
      await sim.control.waitForWebhookIdle({ timeoutMs: 30_000 })
      const { vipps_payment } = await ok(`${medusaUrl}/admin/vipps/payments/${payment.id}`, { headers: auth })
      check(vipps_payment.vipps?.captured.value === expectedMinor, "the panel shows another captured amount")
      check(
        vipps_payment.vipps?.refunded.value === REFUND_AMOUNT * 100,
        "the panel shows another refunded amount",
      )
      check(
        vipps_payment.discrepancies.length === 0,
        `the panel warns: ${JSON.stringify(vipps_payment.discrepancies)}`,
      )
      return vipps_payment as Json
    },
    (v) =>
      `${v.status?.label ?? "?"} (${v.vipps.state}), captured ${v.vipps.captured.decimal}, refunded ${v.vipps.refunded.decimal} NOK`,
  )

  printLogs(sim, reference, view)
  return { orderId: order.id as string, reference }
}

function printLogs(sim: RunningSimulator, reference: string, view: Json) {
  console.log(`\n${bold("Vipps MobilePay event log")} for ${reference}`)
  for (const event of view.events as Json[]) {
    console.log(
      `  ${event.timestamp.replace("T", " ").slice(0, 23)}  ${event.name.padEnd(10)} ${event.amount.decimal.padStart(9)} ${event.amount.currency}  ${event.success ? "" : red("failed")}`,
    )
  }
  console.log(`\n${bold("Webhook deliveries")} to Medusa`)
  for (const delivery of sim.control.webhookDeliveries({ reference })) {
    const last = delivery.attempts.at(-1)
    console.log(
      `  ${delivery.eventName.padEnd(10)} ${delivery.state.padEnd(9)} HTTP ${last?.status ?? "-"} after ${delivery.attempts.length} attempt(s)`,
    )
  }
}
