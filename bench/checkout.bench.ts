import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import axios, { type AxiosInstance } from "axios"
import http from "node:http"
import v8 from "node:v8"
import vm from "node:vm"
import { webhookHeaders } from "../src/lib/webhook-signature"
import { seededRandom } from "../src/simulator/random"
import { seedStore, storefront, type SeededStore } from "../integration-tests/helpers/store"
import {
  DENMARK,
  freePort,
  NORWAY,
  ordersByCart,
  registerStoreWebhook,
} from "../integration-tests/soak/harness"
import { startSim, type SimHandle } from "./lib/sim-process"
import { mean, percentile, round, writeResult } from "./lib/stats"

/**
 * Checkout throughput and the webhook route under load, in real Medusa + PostgreSQL (one process, as
 * `medusa start` runs) with the simulator in a child process. Run by bench/run-medusa.js; the numbers are
 * written to bench/results/checkout.json and webhook.json and printed by bench/run.ts. The only
 * assertions are about correctness (no lost or doubled orders, every delivery answered 200).
 */

const SHOPPERS = Number(process.env.BENCH_SHOPPERS ?? 50)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5)
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 5000)
const DELIVERY_CONCURRENCY = Number(process.env.BENCH_DELIVERY_CONCURRENCY ?? 16)
/** A checkout without its paid order after this long fails the run (it would be a lost order). */
const ORDER_DEADLINE_MS = 180_000
const EPAYMENT_OPS = new Set([
  "createPayment",
  "getPayment",
  "getPaymentEvents",
  "capture",
  "refund",
  "cancel",
])

let sim: SimHandle
let control: AxiosInstance

beforeAll(async () => {
  sim = await startSim("child", {
    merchants: [NORWAY, DENMARK],
    webhookRetry: { attempts: 8, baseDelayMs: 200, maxDelayMs: 3_000 },
    requestLogLimit: 1_000_000,
  })
  control = axios.create({ baseURL: `${sim.url}/_simulator` })
  const port = await freePort()
  process.env.PORT = String(port)
  process.env.VIPPS_API_BASE_URL = sim.url
  process.env.VIPPS_WEBHOOK_SECRET = await registerStoreWebhook(sim.url, port)
})
afterAll(async () => {
  await sim?.stop()
})

type LoggedRequest = {
  operation: string | null
  path: string
  body?: { reference?: string }
  status: number | null
}
type Delivery = {
  url: string
  reference: string
  eventName: string
  state: string
  deliveredAt?: string
  attempts: { status?: number; error?: string; durationMs: number }[]
}

/** Resolves waiters once their cart has an order and their session a payment (one query per tick). */
function paidOrderWatcher(container: MedusaContainer, intervalMs = 200) {
  const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const waiting = new Map<
    string,
    { cartId: string; deadline: number; resolve(at: number): void; reject(e: Error): void }
  >()
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const tick = async () => {
    if (waiting.size > 0) {
      const entries = [...waiting.entries()]
      const [paid, orders] = await Promise.all([
        payments.listPayments(
          { payment_session_id: entries.map(([id]) => id) },
          { relations: ["payment_session"] },
        ),
        ordersByCart(
          container,
          entries.map(([, w]) => w.cartId),
        ),
      ])
      const paidSessions = new Set(paid.map((p) => p.payment_session?.id))
      for (const [sessionId, waiter] of entries) {
        if (paidSessions.has(sessionId) && orders.has(waiter.cartId)) {
          waiting.delete(sessionId)
          waiter.resolve(Date.now())
        } else if (Date.now() > waiter.deadline) {
          waiting.delete(sessionId)
          waiter.reject(new Error(`no paid order for session ${sessionId} within ${ORDER_DEADLINE_MS} ms`))
        }
      }
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs)
  }
  void tick()
  return {
    wait: (sessionId: string, cartId: string) =>
      new Promise<number>((resolve, reject) =>
        waiting.set(sessionId, { cartId, deadline: Date.now() + ORDER_DEADLINE_MS, resolve, reject }),
      ),
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}

/** A callable `gc` even when jest's sandbox does not expose the flag's global. */
function collector(): () => void {
  v8.setFlagsFromString("--expose-gc")
  return vm.runInNewContext("gc") as () => void
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore

    beforeAll(async () => {
      store = await seedStore(
        getContainer(),
        [{ name: "Norway", currency: "nok", country: "no", providers: ["pp_vipps_vipps"] }],
        [{ label: "mug", amounts: { nok: 249.5 } }],
      )
    })

    type Checkout = {
      cartId: string
      sessionId: string
      reference: string
      approvedAt: number
      seenAt: number
    }

    async function checkout(index: number, watcher: ReturnType<typeof paidOrderWatcher>): Promise<Checkout> {
      const shop = storefront(api, store)
      const { data } = await api.post(
        "/store/carts",
        {
          region_id: store.regions.nok.id,
          sales_channel_id: store.salesChannelId,
          email: `bench-${index}@example.com`,
          items: [{ variant_id: store.variants.mug, quantity: 1 + (index % 3) }],
        },
        { headers: shop.headers },
      )
      const cartId = data.cart.id as string
      const { session } = await shop.startPayment(cartId, "pp_vipps_vipps", { cart_id: cartId })
      const reference = session.data.reference as string
      const paid = watcher.wait(session.id, cartId)
      await control.post(`/payments/${reference}/approve`, {})
      const approvedAt = Date.now()
      return { cartId, sessionId: session.id, reference, approvedAt, seenAt: await paid }
    }

    async function measureCheckouts() {
      const container = getContainer()
      const watcher = paidOrderWatcher(container)
      try {
        for (let i = 0; i < WARMUP; i++) await checkout(900_000 + i, watcher)
        await control.delete("/requests")
        const started = Date.now()
        const done: Checkout[] = []
        await Promise.all(
          Array.from({ length: SHOPPERS }, async (_, shopper) => {
            for (let round = 0; round < ROUNDS; round++)
              done.push(await checkout(shopper * 1000 + round, watcher))
          }),
        )
        const wallMs = Math.max(...done.map((c) => c.seenAt)) - started
        return { done, wallMs }
      } finally {
        watcher.stop()
      }
    }

    async function describeCheckouts(done: Checkout[], wallMs: number) {
      const container = getContainer()
      const payments = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const orders = await ordersByCart(
        container,
        done.map((c) => c.cartId),
      )
      const orderIds = [...orders.values()].flat()
      const { data: orderRows } = await query.graph({
        entity: "order",
        fields: ["id", "created_at"],
        filters: { id: orderIds },
      })
      const createdAt = new Map(
        (orderRows as { id: string; created_at: string }[]).map((o) => [o.id, Date.parse(o.created_at)]),
      )
      const sessions = await payments.listPaymentSessions({ id: done.map((c) => c.sessionId) })
      const authorizedAt = new Map(
        sessions.map((s) => [s.id, s.authorized_at ? Date.parse(String(s.authorized_at)) : NaN]),
      )
      const { data: deliveries } = await control.get<Delivery[]>("/webhook-deliveries")
      const { data: requests } = await control.get<LoggedRequest[]>("/requests")

      const toPaidOrder: number[] = []
      const toWebhookAnswered: number[] = []
      const toSeen: number[] = []
      for (const c of done) {
        const [orderId] = orders.get(c.cartId) ?? []
        const paidAt = Math.max(createdAt.get(orderId) ?? NaN, authorizedAt.get(c.sessionId) ?? NaN)
        toPaidOrder.push(paidAt - c.approvedAt)
        toSeen.push(c.seenAt - c.approvedAt)
        const answered = deliveries.find(
          (d) => d.reference === c.reference && d.eventName === "AUTHORIZED" && d.state === "delivered",
        )
        if (answered?.deliveredAt) toWebhookAnswered.push(Date.parse(answered.deliveredAt) - c.approvedAt)
      }
      const references = new Set(done.map((c) => c.reference))
      const ours = deliveries.filter((d) => references.has(d.reference))
      const attempts = ours.flatMap((d) => d.attempts)
      const webhookAttempts = {
        deliveries: ours.length,
        attempts: attempts.length,
        answered2xx: attempts.filter((a) => a.status !== undefined && a.status >= 200 && a.status < 300)
          .length,
        timedOut: attempts.filter((a) => a.error === "timeout").length,
        otherFailures: attempts.filter((a) => a.error !== "timeout" && !(a.status && a.status < 300)).length,
        slowestAnswerMs: Math.max(...attempts.map((a) => a.durationMs)),
      }
      const calls: Record<string, number> = {}
      const getsOf = new Map<string, number>()
      for (const r of requests) {
        if (!r.operation || !EPAYMENT_OPS.has(r.operation)) continue
        const reference = r.body?.reference ?? /\/payments\/([^/]+)/.exec(r.path)?.[1]
        if (!reference || !references.has(reference)) continue
        calls[r.operation] = (calls[r.operation] ?? 0) + 1
        if (r.operation === "getPayment") getsOf.set(reference, (getsOf.get(reference) ?? 0) + 1)
      }
      // How many checkouts needed 1, 2, 3 … GETs.
      const getPaymentsPerCheckout: Record<string, number> = {}
      for (const reference of references) {
        const n = String(getsOf.get(reference) ?? 0)
        getPaymentsPerCheckout[n] = (getPaymentsPerCheckout[n] ?? 0) + 1
      }
      const tokenRequests = requests.filter((r) => r.operation === "accessToken").length
      const perCheckout = Object.fromEntries(
        Object.entries(calls).map(([op, n]) => [op, round(n / done.length, 2)]),
      )
      const latency = (list: number[]) => ({
        p50: percentile(list, 50),
        p95: percentile(list, 95),
        p99: percentile(list, 99),
        mean: round(mean(list), 1),
      })
      const lost = done.filter((c) => (orders.get(c.cartId) ?? []).length === 0).map((c) => c.reference)
      const duplicates = done.filter((c) => (orders.get(c.cartId) ?? []).length > 1).map((c) => c.reference)
      return {
        shoppers: SHOPPERS,
        rounds: ROUNDS,
        checkouts: done.length,
        wallSeconds: round(wallMs / 1000, 2),
        checkoutsPerSecond: round(done.length / (wallMs / 1000), 2),
        approvalToPaidOrderMs: latency(toPaidOrder),
        approvalToWebhookAnsweredMs: latency(toWebhookAnswered),
        approvalToOrderSeenByShopperMs: latency(toSeen),
        epaymentCallsPerCheckout: {
          total: round(Object.values(calls).reduce((a, b) => a + b, 0) / done.length, 2),
          ...perCheckout,
        },
        getPaymentsPerCheckout,
        tokenRequests,
        webhookDeliveriesPerCheckout: round(ours.length / done.length, 2),
        webhookAttempts,
        lost,
        duplicates,
      }
    }

    async function webhookLoad(references: string[]) {
      const gc = collector()
      const url = new URL(`http://localhost:${process.env.PORT}/hooks/vipps/vipps`)
      const agent = new http.Agent({ keepAlive: true, maxSockets: DELIVERY_CONCURRENCY })
      const random = seededRandom(42)
      const unique = Array.from({ length: Math.ceil(DELIVERIES / 2) }, (_, i) =>
        JSON.stringify({
          msn: NORWAY.msn,
          reference: references[i % references.length],
          pspReference: `bench-psp-${i}`,
          name: "AUTHORIZED",
          amount: { currency: "NOK", value: 24950 },
          timestamp: new Date(Date.now() + i).toISOString(),
          idempotencyKey: null,
          success: true,
        }),
      )
      // Every event twice (Vipps MobilePay retries and overlapping registrations), in shuffled order.
      const bodies = [...unique, ...unique].slice(0, DELIVERIES)
      for (let i = bodies.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1))
        ;[bodies[i], bodies[j]] = [bodies[j], bodies[i]]
      }
      const send = async (body: string) => {
        const headers = webhookHeaders({
          secret: process.env.VIPPS_WEBHOOK_SECRET!,
          pathAndQuery: url.pathname,
          host: url.host,
          date: new Date().toUTCString(),
          body,
        })
        const started = process.hrtime.bigint()
        const response = await axios.post(url.toString(), body, {
          headers: { ...headers, "content-type": "application/json" },
          httpAgent: agent,
          transformRequest: [(d) => d],
          validateStatus: () => true,
        })
        return { status: response.status, ms: Number(process.hrtime.bigint() - started) / 1e6 }
      }
      const run = async (list: string[]) => {
        const results: { status: number; ms: number }[] = []
        let next = 0
        const startedAt = Date.now()
        await Promise.all(
          Array.from({ length: DELIVERY_CONCURRENCY }, async () => {
            while (next < list.length) results.push(await send(list[next++]))
          }),
        )
        return { results, ms: Date.now() - startedAt }
      }
      const memory = () => {
        gc()
        const m = process.memoryUsage()
        return { heapUsedMB: round(m.heapUsed / 2 ** 20, 1), rssMB: round(m.rss / 2 ** 20, 1) }
      }
      const warmup = Math.min(250, Math.floor(bodies.length / 10))
      await run(bodies.slice(0, warmup))
      const before = memory()
      const trend: { sent: number; heapUsedMB: number; rssMB: number }[] = []
      const results: { status: number; ms: number }[] = []
      let ms = 0
      const rest = bodies.slice(warmup)
      for (let offset = 0; offset < rest.length; offset += 1000) {
        const chunk = await run(rest.slice(offset, offset + 1000))
        results.push(...chunk.results)
        ms += chunk.ms
        trend.push({ sent: warmup + offset + chunk.results.length, ...memory() })
      }
      agent.destroy()
      const after = memory()
      const latencies = results.map((r) => r.ms)
      const statuses: Record<string, number> = {}
      for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1
      return {
        deliveries: bodies.length,
        measured: results.length,
        warmup,
        uniqueEvents: unique.length,
        concurrency: DELIVERY_CONCURRENCY,
        payments: references.length,
        requestsPerSecond: round(results.length / (ms / 1000), 1),
        latencyMs: {
          p50: round(percentile(latencies, 50), 1),
          p95: round(percentile(latencies, 95), 1),
          p99: round(percentile(latencies, 99), 1),
          max: round(Math.max(...latencies), 1),
        },
        statuses,
        memory: { before, after, growthHeapMB: round(after.heapUsedMB - before.heapUsedMB, 1), trend },
      }
    }

    it("checks out concurrently, then takes a webhook flood, losing and doubling nothing", async () => {
      const { done, wallMs } = await measureCheckouts()
      const checkout = await describeCheckouts(done, wallMs)
      writeResult("checkout", checkout)
      expect(checkout.lost).toEqual([])
      expect(checkout.duplicates).toEqual([])

      const webhook = await webhookLoad(done.map((c) => c.reference))
      const orders = await ordersByCart(
        getContainer(),
        done.map((c) => c.cartId),
      )
      const ordersAfter = [...orders.values()].reduce((n, list) => n + list.length, 0)
      writeResult("webhook", { ...webhook, ordersBefore: done.length, ordersAfter })
      expect(webhook.statuses).toEqual({ 200: webhook.measured })
      expect(ordersAfter).toBe(done.length)
    })
  },
})
