import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import net from "node:net"
import { VippsClient } from "../../src/lib/vipps/client"
import { EPAYMENT_WEBHOOK_EVENTS } from "../../src/lib/vipps/schemas"
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../src/simulator"
import { seededRandom } from "../../src/simulator/random"
import type { OperationName } from "../../src/simulator/types"
import type { WebhookChaos } from "../../src/simulator/webhook-faults"
import { ATTENTION_KEY } from "../../src/sync/attention"
import { DENMARK, NORWAY } from "../helpers/simulator"

/**
 * Shared by the soak (integration-tests/soak) and the Medusa benchmarks (bench/): a simulator whose API
 * fails at random (seeded), the store's webhook registered the way a merchant registers it, and the
 * Medusa-versus-Vipps ledger compared payment by payment.
 */

/** The sales units of medusa-config.ts (the soak uses the Norwegian one, pp_vipps_vipps). */
export { DENMARK, NORWAY }
export const REFERENCE_PREFIX = "test-no-"

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/**
 * Registers `http://localhost:<port>/hooks/vipps/vipps` for every ePayment event through the Webhooks API
 * (as a merchant would) and returns the secret. Only pp_vipps_vipps gets a webhook: the other
 * registrations of medusa-config.ts are not used by the soak or the benchmarks.
 */
export async function registerStoreWebhook(apiUrl: string, port: number): Promise<string> {
  const client = new VippsClient({
    clientId: NORWAY.clientId,
    clientSecret: NORWAY.clientSecret,
    subscriptionKey: NORWAY.subscriptionKey,
    merchantSerialNumber: NORWAY.msn,
    baseUrl: apiUrl,
    systemInfo: { systemName: "medusa", systemVersion: "soak", pluginName: "soak", pluginVersion: "0" },
  })
  const { secret } = await client.webhooks.register({
    url: `http://localhost:${port}/hooks/vipps/vipps`,
    events: [...EPAYMENT_WEBHOOK_EVENTS],
  })
  return secret
}

// ── API chaos ────────────────────────────────────────────────────────────────────────────────────────

export type ApiChaos = {
  seed: number
  /** Share of calls answered with a 5xx before the operation runs. */
  serverErrorRate: number
  /** Share of calls whose connection is cut after the operation took effect (the answer is lost). */
  cutAfterRate: number
  /** Share of calls answered 429 with a Retry-After header. */
  rateLimitRate: number
  retryAfterSeconds: number
  /** Operations that may fail (the plugin's calls; not the landing page or test helpers). */
  operations: OperationName[]
}

export const SOAK_CHAOS: ApiChaos = {
  seed: 9,
  serverErrorRate: 0.1,
  cutAfterRate: 0.05,
  rateLimitRate: 0.03,
  retryAfterSeconds: 1,
  operations: ["accessToken", "createPayment", "getPayment", "capture", "refund", "cancel"],
}

export type ChaosCounts = { calls: number; serverError: number; cutAfter: number; rateLimited: number }

/**
 * Random API faults on top of the simulator's own fault injector (faults injected explicitly still win).
 * The simulator has counted faults only; this wraps its injector, reached through the control object.
 */
export function installApiChaos(
  sim: RunningSimulator,
  chaos: ApiChaos,
  counts: ChaosCounts = { calls: 0, serverError: 0, cutAfter: 0, rateLimited: 0 },
): ChaosCounts {
  const faults = sim.control["state"].faults
  const original = faults.take.bind(faults)
  const random = seededRandom(chaos.seed)
  const statuses = [500, 502, 503, 504]
  faults.take = (operation) => {
    const plan = original(operation)
    if (plan.fail || plan.cut || !chaos.operations.includes(operation)) return plan
    counts.calls++
    const roll = random()
    if (roll < chaos.serverErrorRate) {
      counts.serverError++
      plan.fail = { status: statuses[Math.floor(random() * statuses.length)], detail: "Soak: server error" }
    } else if (roll < chaos.serverErrorRate + chaos.cutAfterRate) {
      counts.cutAfter++
      plan.cut = "after"
    } else if (roll < chaos.serverErrorRate + chaos.cutAfterRate + chaos.rateLimitRate) {
      counts.rateLimited++
      plan.fail = { status: 429, detail: "Soak: rate limited", retryAfter: chaos.retryAfterSeconds }
    }
    return plan
  }
  return counts
}

export type Sandbox = {
  readonly sim: RunningSimulator
  readonly chaos: ChaosCounts
  readonly port: number
}

/**
 * Jest hooks: starts the simulator before Medusa boots (register this before medusaIntegrationTestRunner),
 * fixes Medusa's port, registers the webhook and hands the secret and API URL to medusa-config.ts.
 */
export function useSandbox(
  options: { apiChaos?: ApiChaos; webhookChaos?: WebhookChaos; simulator?: SimulatorOptions } = {},
): Sandbox {
  let sim: RunningSimulator | undefined
  let port = 0
  const chaos: ChaosCounts = { calls: 0, serverError: 0, cutAfter: 0, rateLimited: 0 }
  beforeAll(async () => {
    sim = await startSimulator({
      merchants: [NORWAY, DENMARK],
      webhookRetry: { attempts: 8, baseDelayMs: 200, maxDelayMs: 3_000 },
      requestLogLimit: 200_000,
      ...options.simulator,
    })
    port = await freePort()
    process.env.PORT = String(port)
    process.env.VIPPS_API_BASE_URL = sim.url
    process.env.VIPPS_WEBHOOK_SECRET = await registerStoreWebhook(sim.url, port)
    if (options.apiChaos) installApiChaos(sim, options.apiChaos, chaos)
    if (options.webhookChaos) sim.control.setWebhookChaos(options.webhookChaos)
  })
  afterAll(async () => {
    await sim?.stop()
  })
  return {
    get sim() {
      if (!sim) throw new Error("simulator not started")
      return sim
    },
    chaos,
    get port() {
      return port
    },
  }
}

// ── Medusa side ──────────────────────────────────────────────────────────────────────────────────────

/** Orders per cart id (an entry only for carts that have orders). */
export async function ordersByCart(
  container: MedusaContainer,
  cartIds: string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  if (cartIds.length === 0) return out
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order_cart",
    fields: ["cart_id", "order_id"],
    filters: { cart_id: cartIds },
  })
  for (const row of data as { cart_id: string; order_id: string }[]) {
    out.set(row.cart_id, [...(out.get(row.cart_id) ?? []), row.order_id])
  }
  return out
}

export type MedusaPaymentRow = {
  sessionId: string
  reference: string
  cartId?: string
  paymentId?: string
  /** Minor units: the session's amount, and the payment's when there is one. */
  sessionAmount: number
  amount: number
  captured: number
  refunded: number
  /** What a canceled payment released: its amount less what it had captured (0 while live). */
  cancelled: number
  captureRows: number
  refundRows: number
  canceled: boolean
  sessionStatus: string
  /** The plugin released the approved payment because its cart could not become an order. */
  releasedUnorderable: boolean
}

const minor = (amount: unknown) => Math.round(Number(amount) * 100)

/** Every pp_vipps_vipps session with its reference, cart, payment and captured / refunded sums. */
export async function medusaPayments(container: MedusaContainer): Promise<MedusaPaymentRow[]> {
  const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const sessions = await payments.listPaymentSessions({ provider_id: "pp_vipps_vipps" }, { take: 100_000 })
  const collectionIds = [...new Set(sessions.map((s) => s.payment_collection_id))]
  const { data: links } = collectionIds.length
    ? await query.graph({
        entity: "cart_payment_collection",
        fields: ["cart_id", "payment_collection_id"],
        filters: { payment_collection_id: collectionIds },
      })
    : { data: [] }
  const cartOf = new Map(
    (links as { cart_id: string; payment_collection_id: string }[]).map((l) => [
      l.payment_collection_id,
      l.cart_id,
    ]),
  )
  const list = sessions.length
    ? await payments.listPayments(
        { payment_session_id: sessions.map((s) => s.id) },
        { relations: ["captures", "refunds", "payment_session"], take: 100_000 },
      )
    : []
  const paymentOf = new Map(list.map((p) => [p.payment_session?.id, p]))
  return sessions.map((s) => {
    const payment = paymentOf.get(s.id)
    const captured = (payment?.captures ?? []).reduce((sum, c) => sum + minor(c.amount), 0)
    const amount = payment ? minor(payment.amount) : 0
    const attention = (s.metadata as Record<string, { reason?: string } | undefined> | null)?.[ATTENTION_KEY]
    return {
      sessionId: s.id,
      reference: String((s.data as { reference?: string } | null)?.reference ?? ""),
      cartId: cartOf.get(s.payment_collection_id),
      paymentId: payment?.id,
      sessionAmount: minor(s.amount),
      amount,
      captured,
      refunded: (payment?.refunds ?? []).reduce((sum, r) => sum + minor(r.amount), 0),
      cancelled: payment?.canceled_at ? amount - captured : 0,
      captureRows: payment?.captures?.length ?? 0,
      refundRows: payment?.refunds?.length ?? 0,
      canceled: !!payment?.canceled_at,
      sessionStatus: String(s.status),
      releasedUnorderable: attention?.reason === "released_unorderable",
    }
  })
}

// ── The ledger ───────────────────────────────────────────────────────────────────────────────────────

export type Ledger = {
  vippsPayments: number
  approvedPayments: number
  orders: number
  approvedWithOneOrder: number
  /** Approved, no order, and not released by the plugin: an order lost. */
  approvedWithoutOrder: string[]
  /**
   * Approved and still reserved at Vipps, but Medusa has no payment to capture it with (no order, or an
   * order whose payment Medusa never created): the customer's money held for nothing.
   */
  heldWithoutOrder: string[]
  /** The cart became an order, but Medusa has no payment for the approved session. */
  ordersWithoutPayment: string[]
  /** Approved, no order, released by the plugin (cart could not become an order), nothing reserved. */
  released: string[]
  approvedWithSeveralOrders: string[]
  ordersForUnapproved: string[]
  capturedVipps: number
  capturedMedusa: number
  refundedVipps: number
  refundedMedusa: number
  cancelledVipps: number
  cancelledMedusa: number
  captureEvents: number
  refundEvents: number
  cancelEvents: number
  captureMismatches: string[]
  refundMismatches: string[]
  /**
   * What Vipps released against what Medusa did: a canceled payment released its amount less its captures;
   * a session released after a failed completion (no payment) its whole amount.
   */
  cancelMismatches: string[]
  /** A successful CAPTURED / REFUNDED event repeated under one Idempotency-Key. */
  doubleCaptures: string[]
  doubleRefunds: string[]
  /** Medusa recorded more than Vipps holds: a movement recorded twice. */
  recordedTwice: string[]
  /** More captured or refunded at Vipps than the admins (and the portal) ever asked for. */
  capturedBeyondRequests: string[]
  refundedBeyondRequests: string[]
}

/** What the admins asked for per reference (minor units), whatever the outcome, portal actions included. */
export type Requested = Map<string, { capture: number; refund: number }>

/** Medusa and Vipps compared payment by payment (only references made by pp_vipps_vipps). */
export async function compareLedgers(
  container: MedusaContainer,
  sim: RunningSimulator,
  requested: Requested = new Map(),
): Promise<Ledger> {
  const vipps = sim.control.payments().filter((p) => p.reference.startsWith(REFERENCE_PREFIX))
  const rows = await medusaPayments(container)
  const rowOf = new Map(rows.map((r) => [r.reference, r]))
  const cartIds = [...new Set(rows.map((r) => r.cartId).filter((id): id is string => !!id))]
  const orders = await ordersByCart(container, cartIds)
  const approved = vipps.filter((p) => p.state === "AUTHORIZED")
  const approvedRefs = new Set(approved.map((p) => p.reference))
  const ledger: Ledger = {
    vippsPayments: vipps.length,
    approvedPayments: approved.length,
    orders: [...orders.values()].reduce((n, list) => n + list.length, 0),
    approvedWithOneOrder: 0,
    approvedWithoutOrder: [],
    heldWithoutOrder: [],
    ordersWithoutPayment: [],
    released: [],
    approvedWithSeveralOrders: [],
    ordersForUnapproved: [],
    capturedVipps: 0,
    capturedMedusa: 0,
    refundedVipps: 0,
    refundedMedusa: 0,
    cancelledVipps: 0,
    cancelledMedusa: 0,
    captureEvents: 0,
    refundEvents: 0,
    cancelEvents: 0,
    captureMismatches: [],
    refundMismatches: [],
    cancelMismatches: [],
    doubleCaptures: [],
    doubleRefunds: [],
    recordedTwice: [],
    capturedBeyondRequests: [],
    refundedBeyondRequests: [],
  }
  // Which approved reference each ordered cart was paid with.
  const approvedPerCart = new Map<string, number>()
  for (const payment of approved) {
    const ref = payment.reference
    const row = rowOf.get(ref)
    const agg = payment.aggregate
    const reserved = agg.authorized - agg.captured - agg.cancelled
    const cartOrders = row?.cartId ? (orders.get(row.cartId) ?? []) : []
    if (row?.cartId) approvedPerCart.set(row.cartId, (approvedPerCart.get(row.cartId) ?? 0) + 1)
    if (cartOrders.length > 0 && !row?.paymentId) ledger.ordersWithoutPayment.push(ref)
    if ((cartOrders.length === 0 || !row?.paymentId) && reserved > 0) {
      ledger.heldWithoutOrder.push(
        `${ref}: ${reserved} still reserved, ${cartOrders.length ? "its order has no payment" : "no order"}`,
      )
    }
    if (cartOrders.length === 0) {
      if (row?.releasedUnorderable && reserved <= 0) ledger.released.push(ref)
      else ledger.approvedWithoutOrder.push(ref)
    } else if (cartOrders.length > 1) ledger.approvedWithSeveralOrders.push(ref)
    else ledger.approvedWithOneOrder++

    const medusa = {
      captured: row?.captured ?? 0,
      refunded: row?.refunded ?? 0,
      // A released session without a payment released everything it was approved for.
      cancelled: row?.paymentId ? row.cancelled : row?.releasedUnorderable ? row.sessionAmount : 0,
    }
    ledger.capturedVipps += agg.captured
    ledger.refundedVipps += agg.refunded
    ledger.cancelledVipps += agg.cancelled
    ledger.capturedMedusa += medusa.captured
    ledger.refundedMedusa += medusa.refunded
    ledger.cancelledMedusa += medusa.cancelled
    for (const [kind, ours, theirs, list] of [
      ["captured", medusa.captured, agg.captured, ledger.captureMismatches],
      ["refunded", medusa.refunded, agg.refunded, ledger.refundMismatches],
      ["cancelled", medusa.cancelled, agg.cancelled, ledger.cancelMismatches],
    ] as const) {
      if (ours !== theirs) list.push(`${ref}: ${kind} Vipps ${theirs}, Medusa ${ours}`)
      if (kind !== "cancelled" && ours > theirs)
        ledger.recordedTwice.push(`${ref}: ${kind} Vipps ${theirs}, Medusa ${ours}`)
    }
    ledger.cancelEvents += payment.events.filter((e) => e.name === "CANCELLED" && e.success).length
    for (const [name, doubles] of [
      ["CAPTURED", ledger.doubleCaptures],
      ["REFUNDED", ledger.doubleRefunds],
    ] as const) {
      const events = payment.events.filter((e) => e.name === name && e.success)
      if (name === "CAPTURED") ledger.captureEvents += events.length
      else ledger.refundEvents += events.length
      const keys = events.map((e) => e.idempotencyKey ?? "(portal)")
      const repeated = keys.filter((k, i) => k !== "(portal)" && keys.indexOf(k) !== i)
      if (repeated.length > 0) doubles.push(`${ref}: ${repeated.join(", ")}`)
    }
    const asked = requested.get(ref)
    if (asked && agg.captured > asked.capture) {
      ledger.capturedBeyondRequests.push(`${ref}: captured ${agg.captured}, requested ${asked.capture}`)
    }
    if (asked && agg.refunded > asked.refund) {
      ledger.refundedBeyondRequests.push(`${ref}: refunded ${agg.refunded}, requested ${asked.refund}`)
    }
  }
  for (const [cartId, list] of orders) {
    if (list.length > 0 && !approvedPerCart.has(cartId)) ledger.ordersForUnapproved.push(`cart ${cartId}`)
  }
  // Sessions whose reference Vipps never approved but that still got a Medusa payment.
  for (const row of rows) {
    if (row.paymentId && row.reference && !approvedRefs.has(row.reference)) {
      ledger.ordersForUnapproved.push(`session ${row.sessionId} (${row.reference}) has a payment`)
    }
  }
  return ledger
}

/** Everything that must be empty for Medusa and Vipps to agree. */
export function disagreements(ledger: Ledger): string[] {
  return [
    ...ledger.approvedWithoutOrder.map((r) => `approved, no order: ${r}`),
    ...ledger.heldWithoutOrder.map((r) => `held without order: ${r}`),
    ...ledger.ordersWithoutPayment.map((r) => `order without payment: ${r}`),
    ...ledger.approvedWithSeveralOrders.map((r) => `several orders: ${r}`),
    ...ledger.ordersForUnapproved.map((r) => `order not approved: ${r}`),
    ...ledger.captureMismatches,
    ...ledger.refundMismatches,
    ...ledger.cancelMismatches,
    ...ledger.doubleCaptures.map((r) => `double capture: ${r}`),
    ...ledger.doubleRefunds.map((r) => `double refund: ${r}`),
    ...ledger.recordedTwice.map((r) => `recorded twice: ${r}`),
  ]
}

export function ledgerRows(ledger: Ledger): Record<string, string | number>[] {
  return [
    {
      "Vipps payments": ledger.vippsPayments,
      approved: ledger.approvedPayments,
      orders: ledger.orders,
      "approved → 1 order": ledger.approvedWithOneOrder,
      "approved → released": ledger.released.length,
      "approved, no order": ledger.approvedWithoutOrder.length,
      "order, no payment": ledger.ordersWithoutPayment.length,
      "held without order": ledger.heldWithoutOrder.length,
      "approved, >1 order": ledger.approvedWithSeveralOrders.length,
      "orders not approved": ledger.ordersForUnapproved.length,
      "captures (events)": ledger.captureEvents,
      "captured Vipps/Medusa": `${ledger.capturedVipps}/${ledger.capturedMedusa}`,
      "refunds (events)": ledger.refundEvents,
      "refunded Vipps/Medusa": `${ledger.refundedVipps}/${ledger.refundedMedusa}`,
      "cancels (events)": ledger.cancelEvents,
      "cancelled Vipps/Medusa": `${ledger.cancelledVipps}/${ledger.cancelledMedusa}`,
      "amount mismatches":
        ledger.captureMismatches.length + ledger.refundMismatches.length + ledger.cancelMismatches.length,
      "double movements":
        ledger.doubleCaptures.length + ledger.doubleRefunds.length + ledger.recordedTwice.length,
      "beyond requested": ledger.capturedBeyondRequests.length + ledger.refundedBeyondRequests.length,
    },
  ]
}
