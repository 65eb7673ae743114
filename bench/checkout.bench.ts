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
import { startWebhookFront, type FrontMode, type WebhookFront } from "./lib/webhook-front"

/**
 * Checkout throughput and the webhook route under load, in real Medusa + PostgreSQL (one process, as
 * `medusa start` runs) with the simulator in a child process. Run by bench/run-medusa.js; the numbers are
 * written to bench/results/checkout.json and webhook.json and printed by bench/run.ts. The only
 * assertions are about correctness (no lost or doubled orders, every delivery answered 200).
 *
 * Checkouts run in phases of SHOPPERS concurrent shoppers, alternating between the plugin's webhook route
 * (the inbox: verify, queue, answer) and the synchronous route it replaced (answer after the sync), which
 * the bench reproduces itself (bench/lib/webhook-front.ts): the same store, load and run for both.
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
let front: WebhookFront

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
  // Webhooks go to the bench's front, which hands them to Medusa's route or syncs before answering.
  front = await startWebhookFront(() => process.env.VIPPS_WEBHOOK_SECRET)
  process.env.VIPPS_WEBHOOK_SECRET = await registerStoreWebhook(sim.url, front.port)
})
afterAll(async () => {
  await front?.close()
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

    /** Until the simulator has no delivery in flight for these references (retries included). */
    async function webhooksSettled(references: Set<string>) {
      const deadline = Date.now() + ORDER_DEADLINE_MS
      for (;;) {
        const { data } = await control.get<Delivery[]>("/webhook-deliveries")
        if (!data.some((d) => references.has(d.reference) && d.state === "pending")) return
        if (Date.now() > deadline) throw new Error("webhook deliveries still pending")
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    }

    /**
     * ROUNDS rounds; in each, one phase per route with SHOPPERS concurrent checkouts (the order of the
     * routes alternates between rounds). A phase ends when every order is paid and every webhook settled.
     */
    async function measureCheckouts() {
      const container = getContainer()
      front.attach(container, Number(process.env.PORT))
      const watcher = paidOrderWatcher(container)
      const modes: FrontMode[] = ["inbox", "sync"]
      const runs = Object.fromEntries(modes.map((m) => [m, { done: [] as Checkout[], wallMs: 0 }])) as Record<
        FrontMode,
        { done: Checkout[]; wallMs: number }
      >
      try {
        for (const mode of modes) {
          front.mode = mode
          for (let i = 0; i < WARMUP; i++) await checkout(900_000 + modes.indexOf(mode) * 1000 + i, watcher)
        }
        await control.delete("/requests")
        for (let round = 0; round < ROUNDS; round++) {
          for (const mode of round % 2 === 0 ? modes : [...modes].reverse()) {
            front.mode = mode
            const started = Date.now()
            const phase = await Promise.all(
              Array.from({ length: SHOPPERS }, (_, shopper) =>
                checkout((modes.indexOf(mode) * ROUNDS + round) * 10_000 + shopper, watcher),
              ),
            )
            runs[mode].wallMs += Math.max(...phase.map((c) => c.seenAt)) - started
            runs[mode].done.push(...phase)
            await webhooksSettled(new Set(phase.map((c) => c.reference)))
          }
        }
        return runs
      } finally {
        watcher.stop()
        front.mode = "inbox"
      }
    }

    async function describeCheckouts(route: FrontMode, done: Checkout[], wallMs: number) {
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
      // Date objects (or ISO strings) to epoch ms; Date.parse(String(date)) would drop the milliseconds.
      const epochMs = (value: unknown) => (value ? new Date(value as string | Date).getTime() : NaN)
      const createdAt = new Map(
        (orderRows as { id: string; created_at: string | Date }[]).map((o) => [o.id, epochMs(o.created_at)]),
      )
      const sessions = await payments.listPaymentSessions({ id: done.map((c) => c.sessionId) })
      const authorizedAt = new Map(sessions.map((s) => [s.id, epochMs(s.authorized_at)]))
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
      // How long the route took to answer each AUTHORIZED delivery attempt (a timed-out attempt counts 10 s).
      const answerMs = ours
        .filter((d) => d.eventName === "AUTHORIZED")
        .flatMap((d) => d.attempts)
        .map((a) => a.durationMs)
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
        route,
        shoppers: SHOPPERS,
        rounds: ROUNDS,
        checkouts: done.length,
        wallSeconds: round(wallMs / 1000, 2),
        checkoutsPerSecond: round(done.length / (wallMs / 1000), 2),
        approvalToPaidOrderMs: latency(toPaidOrder),
        approvalToWebhookAnsweredMs: latency(toWebhookAnswered),
        webhookAnswerMs: {
          ...latency(answerMs),
          max: round(Math.max(...answerMs), 1),
          attempts: answerMs.length,
        },
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
      const runs = await measureCheckouts()
      const inbox = await describeCheckouts("inbox", runs.inbox.done, runs.inbox.wallMs)
      const sync = await describeCheckouts("sync", runs.sync.done, runs.sync.wallMs)
      writeResult("checkout", { ...inbox, synchronousRoute: sync })
      for (const result of [inbox, sync]) {
        expect(result.lost).toEqual([])
        expect(result.duplicates).toEqual([])
      }
      const done = [...runs.inbox.done, ...runs.sync.done]

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
