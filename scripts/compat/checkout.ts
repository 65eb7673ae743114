/**
 * The checkouts the compatibility run makes on a started store (scripts/compat/run.ts), each checked
 * against the simulator's ledger and Medusa's captures and refunds.
 */
import { type AxiosInstance } from "axios"
import { answerOnLandingPage } from "../../integration-tests/helpers/shopper"
import { poll } from "../../integration-tests/helpers/poll"
import { merchantClient, NORWAY } from "../../integration-tests/helpers/simulator"
import { EPAYMENT_WEBHOOK_EVENTS } from "../../src/lib/vipps/schemas"
import type { RunningSimulator } from "../../src/simulator"
import { check } from "./store"

/** The store's sales unit: the credentials its medusa-config (store/medusa-config.js) uses. */
export const SALES_UNIT = { ...NORWAY, name: "Compat Store" }

export async function registerWebhook(sim: RunningSimulator, url: string): Promise<string> {
  const client = merchantClient(sim.url, SALES_UNIT, "compat")
  const { secret } = await client.webhooks.register({ url, events: [...EPAYMENT_WEBHOOK_EVENTS] })
  return secret
}

export type Seeded = {
  publishableKey: string
  salesChannelId: string
  regionId: string
  variantId: string
  admin: { email: string; password: string }
}

export type Http = {
  api: AxiosInstance
  sim: RunningSimulator
  seeded: Seeded
  store: { headers: Record<string, string> }
}

/** cart → Vipps MobilePay session → approval on the landing page → AUTHORIZED webhook → order. */
async function checkoutToOrder(
  { api, sim, seeded, store }: Http,
  providerId = "pp_vipps_vipps",
  order: "webhook first" | "racing the webhook" = "webhook first",
): Promise<{ orderId: string; reference: string }> {
  const { data: cartBody } = await api.post(
    "/store/carts",
    {
      region_id: seeded.regionId,
      sales_channel_id: seeded.salesChannelId,
      email: "shopper@example.com",
      items: [{ variant_id: seeded.variantId, quantity: 2 }],
    },
    store,
  )
  const cart = cartBody.cart
  check(cart.total === 499, `cart total ${cart.total}, expected 499`)
  const { data: pc } = await api.post("/store/payment-collections", { cart_id: cart.id }, store)
  const { data: withSession } = await api.post(
    `/store/payment-collections/${pc.payment_collection.id}/payment-sessions`,
    { provider_id: providerId, data: { cart_id: cart.id } },
    store,
  )
  const session = withSession.payment_collection.payment_sessions.find(
    (s: { provider_id: string }) => s.provider_id === providerId,
  )
  const reference: string = session.data.reference
  check(session.data.redirectUrl, "the session has no redirectUrl")
  await answerOnLandingPage(session.data.redirectUrl, "approve")
  // The shopper's return either after the webhook was handled, or at the same moment.
  if (order === "webhook first") await delivered(sim, reference, "AUTHORIZED", providerId)
  const completed = await api.post(
    `/store/carts/${cart.id}/complete`,
    {},
    { ...store, validateStatus: () => true },
  )
  check(
    completed.status === 200 && completed.data.type === "order",
    `complete: ${completed.status} ${JSON.stringify(completed.data).slice(0, 300)}`,
  )
  return { orderId: completed.data.order.id, reference }
}

/**
 * The store answered the simulator's webhook of this event with 2xx at the URL of the payment's
 * registration (every registration of the sales unit receives every event; the others ignore it).
 */
function delivered(
  sim: RunningSimulator,
  reference: string,
  eventName: string,
  providerId = "pp_vipps_vipps",
) {
  const path = `/hooks/vipps/${providerId.slice("pp_vipps_".length)}`
  return poll(
    `the ${eventName} webhook delivered to ${path}`,
    () =>
      sim.control
        .webhookDeliveries({ reference })
        .some(
          (d) => d.eventName === eventName && d.state === "delivered" && new URL(d.url).pathname === path,
        ),
    30_000,
  )
}

/**
 * Three orders: the first captured in two parts and partly refunded from the admin API (capture and refund
 * workflows calling the provider); the second captured in the Vipps MobilePay portal, which Medusa must
 * record from the CAPTURED webhook without calling the provider again (`is_captured`); the third through
 * the registration that captures at authorization, the storefront completing the cart while the webhook
 * is handled (Medusa records that capture, Vipps captures once).
 */
export async function checkout(http: Http): Promise<string> {
  const { api, sim, seeded } = http
  const { data: login } = await api.post("/auth/user/emailpass", seeded.admin)
  const admin = { headers: { authorization: `Bearer ${login.token}` } }
  const payment = async (orderId: string) => {
    const { data } = await api.get(
      `/admin/orders/${orderId}?fields=id,payment_collections.payments.*,payment_collections.payments.captures.*,payment_collections.payments.refunds.*`,
      admin,
    )
    return data.order.payment_collections[0].payments[0]
  }
  const sum = (rows: { amount: number }[]) => rows.reduce((total, row) => total + Number(row.amount), 0)
  const ledger = (reference: string) => JSON.stringify(sim.control.getPayment(reference)?.aggregate)
  const expectLedger = (reference: string, aggregate: Record<string, number>) => {
    const expected = JSON.stringify(aggregate)
    check(ledger(reference) === expected, `Vipps MobilePay: ${ledger(reference)}, expected ${expected}`)
  }
  /** Polls until Medusa recorded captures of `total` on the order; checks there is exactly one. */
  const expectOneCapture = async (what: string, orderId: string, total: number) => {
    const recorded = await poll(
      `${what} recorded in Medusa`,
      async () => {
        const row = await payment(orderId)
        return sum(row.captures) === total && row
      },
      30_000,
    )
    check(recorded.captures.length === 1, `Medusa recorded ${recorded.captures.length} captures, expected 1`)
  }

  const first = await checkoutToOrder(http)
  const paymentId: string = (await payment(first.orderId)).id
  await api.post(`/admin/payments/${paymentId}/capture`, { amount: 200 }, admin)
  await api.post(`/admin/payments/${paymentId}/capture`, { amount: 299 }, admin)
  await api.post(`/admin/payments/${paymentId}/refund`, { amount: 100 }, admin)
  expectLedger(first.reference, { authorized: 49900, captured: 49900, refunded: 10000, cancelled: 0 })
  const medusa = await payment(first.orderId)
  check(
    sum(medusa.captures) === 499 && sum(medusa.refunds) === 100,
    `Medusa captures ${sum(medusa.captures)} / refunds ${sum(medusa.refunds)}, expected 499 / 100`,
  )

  const second = await checkoutToOrder(http)
  sim.control.capture(second.reference, 15_000)
  await delivered(sim, second.reference, "CAPTURED")
  await expectOneCapture("the portal capture", second.orderId, 150)
  expectLedger(second.reference, { authorized: 49900, captured: 15000, refunded: 0, cancelled: 0 })

  const third = await checkoutToOrder(http, "pp_vipps_direct", "racing the webhook")
  await expectOneCapture("the capture at authorization", third.orderId, 499)
  expectLedger(third.reference, { authorized: 49900, captured: 49900, refunded: 0, cancelled: 0 })
  return "3 orders: admin capture 200 + 299 and refund 100 NOK; portal capture recorded; capture at authorization"
}
