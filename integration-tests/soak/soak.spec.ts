import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import fs from "node:fs"
import path from "node:path"
import { seededRandom } from "../../src/simulator/random"
import { reconcileVippsPayments, type ReconcileReport } from "../../src/sync/reconcile"
import { adminHeaders, seedStore, SeededStore, storefront } from "../helpers/store"
import { eventually } from "../helpers/simulator"
import {
  compareLedgers,
  ledgerRows,
  ordersByCart,
  SOAK_CHAOS,
  useSandbox,
  type Ledger,
  type Requested,
} from "./harness"
import { table } from "./table"

/**
 * The fault soak: N checkouts through real Medusa while the simulator fails 10% of API calls with a 5xx,
 * cuts 5% of connections after the operation took effect, answers 3% with 429 + Retry-After, duplicates
 * 20%, drops 10% and reorders 10% of webhooks. Admin captures (some partial) and refunds run alongside and
 * the reconciliation job runs every second. At the end Medusa and Vipps are compared payment by payment.
 *
 * `npm test` runs the short version (SOAK_CHECKOUTS=20); `npm run soak` the full one (200).
 */

const CHECKOUTS = Number(process.env.SOAK_CHECKOUTS ?? 20)
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 8)
const SEED = Number(process.env.SOAK_SEED ?? 7)
const RESULTS_FILE = process.env.SOAK_RESULTS_FILE
/** medusa-config.ts: `maxAttempts: 4` per call to Vipps MobilePay. */
const MAX_ATTEMPTS = 4

jest.setTimeout(Math.max(150_000, CHECKOUTS * 4_000))

const sandbox = useSandbox({
  apiChaos: { ...SOAK_CHAOS, seed: SEED },
  webhookChaos: {
    duplicateRate: 0.2,
    dropRate: 0.1,
    reorderRate: 0.1,
    delayRate: 0.05,
    delayMs: 300,
    seed: SEED,
  },
})

type Outcome = "approved" | "rejected" | "abandoned" | "start-failed"

type Stats = {
  outcomes: Record<Outcome, number>
  returnedToStore: number
  completeCalls: number
  startRetries: number
  adminCalls: number
  adminFailures: string[]
  partialCaptures: number
  fullCaptures: number
  refunds: number
  reconcileRuns: number
  reconcileOrders: number
  reconcileErrors: number
  lostAnswers: string[]
  falseRefusals: string[]
}

/** Runs `task(i)` for i in [0, count) with at most `limit` at a time. */
async function pool(count: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker))
}

/** The scheduled reconciliation job, every `intervalMs`, until stopped (overlapping runs never happen). */
function reconcileEvery(container: MedusaContainer, intervalMs: number, stats: Stats) {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let running: Promise<ReconcileReport> | undefined
  const run = async () => {
    // Everything older than "now" counts as old enough: the job is told it is 10 minutes later.
    running = reconcileVippsPayments(container, { now: new Date(Date.now() + 600_000) })
    const report = await running
    stats.reconcileRuns++
    stats.reconcileOrders += report.outcomes.authorized ?? 0
    stats.reconcileErrors += report.errors
    return report
  }
  const tick = () => {
    timer = setTimeout(() => {
      void run().finally(() => {
        if (!stopped) tick()
      })
    }, intervalMs)
  }
  tick()
  return {
    run,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running?.catch(() => undefined)
    },
  }
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let shop: ReturnType<typeof storefront>
    let admin: { headers: Record<string, string> }

    beforeAll(async () => {
      store = await seedStore(
        getContainer(),
        [{ name: "Norway", currency: "nok", country: "no", providers: ["pp_vipps_vipps"] }],
        [{ label: "mug", amounts: { nok: 249.5 } }],
      )
      shop = storefront(api, store)
      admin = await adminHeaders(api, getContainer())
    })

    /** A cart per shopper, each with its own e-mail (Medusa creates one guest customer per address). */
    async function createCart(i: number, quantity: number) {
      const { data } = await api.post(
        "/store/carts",
        {
          region_id: store.regions.nok.id,
          sales_channel_id: store.salesChannelId,
          email: `shopper-${SEED}-${i}@example.com`,
          items: [{ variant_id: store.variants.mug, quantity }],
        },
        { headers: shop.headers },
      )
      return data.cart as { id: string; total: number }
    }

    /** An admin call; a refusal is recorded (status and Medusa's message), not retried. */
    async function post(url: string, body: object, stats: Stats): Promise<{ ok: boolean; message?: string }> {
      const response = await api.post(url, body, { ...admin, validateStatus: () => true })
      if (response.status === 200) return { ok: true }
      const message = `${response.status} ${response.data?.message}`
      stats.adminFailures.push(`${url.split("/").pop()} ${JSON.stringify(body)}: ${message}`)
      return { ok: false, message }
    }

    /**
     * What an admin does with one order: capture all, in two parts or partly, then maybe refund. The
     * plugin refuses a capture / refund while Vipps holds more than Medusa recorded; that is right only
     * after an earlier call on the payment failed without a clear answer, never on a clean history.
     */
    async function adminWork(
      reference: string,
      payment: { id: string },
      total: number,
      rnd: () => number,
      stats: Stats,
      requested: Requested,
    ) {
      const asked = { capture: 0, refund: 0 }
      requested.set(reference, asked)
      let unclear = false
      const call = async (kind: "capture" | "refund", minor: number) => {
        stats.adminCalls++
        asked[kind] += minor
        const result = await post(`/admin/payments/${payment.id}/${kind}`, { amount: minor / 100 }, stats)
        if (!result.ok && !unclear && /Medusa recorded/.test(result.message ?? "")) {
          stats.falseRefusals.push(`${kind} of ${minor} on ${reference}: ${result.message}`)
        }
        if (!result.ok) unclear = true
        return result.ok ? minor : 0
      }
      let captured = 0
      const plan = rnd()
      if (plan < 0.35) {
        stats.fullCaptures++
        captured += await call("capture", total)
      } else if (plan < 0.7) {
        stats.partialCaptures++
        const first = Math.round(total * 0.4)
        captured += await call("capture", first)
        captured += await call("capture", total - first)
      } else if (plan < 0.8) {
        stats.partialCaptures++
        captured += await call("capture", Math.round(total * 0.3))
      }
      if (captured === 0) return
      const refundPlan = rnd()
      if (refundPlan < 0.4) {
        stats.refunds++
        await call("refund", Math.max(100, Math.round(captured * 0.25)))
      } else if (refundPlan < 0.55) {
        stats.refunds++
        await call("refund", captured)
      }
    }

    it("loses nothing under API faults, chaotic webhooks and concurrent admin work", async () => {
      const container = getContainer()
      const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
      const sim = sandbox.sim
      const started = Date.now()
      const stats: Stats = {
        outcomes: { approved: 0, rejected: 0, abandoned: 0, "start-failed": 0 },
        returnedToStore: 0,
        completeCalls: 0,
        startRetries: 0,
        adminCalls: 0,
        adminFailures: [],
        partialCaptures: 0,
        fullCaptures: 0,
        refunds: 0,
        reconcileRuns: 0,
        reconcileOrders: 0,
        reconcileErrors: 0,
        lostAnswers: [],
        falseRefusals: [],
      }
      const requested: Requested = new Map()

      /** One shopper: cart, session, then approve / reject / abandon; returns the paid order's payment. */
      async function checkout(i: number, rnd: () => number, force?: "approve") {
        const cart = await createCart(i, 1 + Math.floor(rnd() * 3))
        let session: { id: string; data: { reference: string } } | undefined
        for (let attempt = 1; attempt <= 4 && !session; attempt++) {
          if (attempt > 1) stats.startRetries++
          session = await shop
            .startPayment(cart.id, "pp_vipps_vipps", { cart_id: cart.id })
            .then((r) => r.session)
            .catch(() => undefined)
        }
        if (!session) {
          stats.outcomes["start-failed"]++
          return undefined
        }
        const reference = session.data.reference
        const choice = force ? 1 : rnd()
        if (choice < 0.1) {
          stats.outcomes.rejected++
          sim.control.reject(reference)
          stats.completeCalls++
          const refused = await shop.complete(cart.id)
          expect(refused.data.type).not.toBe("order")
          return undefined
        }
        if (choice < 0.2) {
          stats.outcomes.abandoned++
          return undefined
        }
        stats.outcomes.approved++
        sim.control.approve(reference)
        if (force || rnd() < 0.5) {
          // The shopper comes back to the store; a failed completion is retried, as a storefront would.
          stats.returnedToStore++
          for (let k = 0; k < 3; k++) {
            stats.completeCalls++
            const completed = await shop.complete(cart.id)
            if (completed.status === 200 && completed.data.type === "order") break
          }
        }
        // Otherwise the webhook (or, when dropped, the reconciliation job) has to make the order. Medusa
        // creates the order first and authorizes the payment last (rolling the order back if that
        // fails), so an order only counts once its payment exists.
        const sessionId = session.id
        const payment = await eventually(async () => {
          const [found] = await paymentModule.listPayments({ payment_session_id: sessionId })
          return found && (await ordersByCart(container, [cart.id])).get(cart.id) ? found : undefined
        }, 60_000)
        return { reference, payment, total: Math.round(cart.total * 100) }
      }

      const job = reconcileEvery(container, 1_000, stats)
      try {
        await pool(CHECKOUTS, CONCURRENCY, async (i) => {
          const rnd = seededRandom(SEED * 100_003 + i)
          const paid = await checkout(i, rnd)
          if (paid) await adminWork(paid.reference, paid.payment, paid.total, rnd, stats, requested)
        })
        // The unlucky ones, once each: a capture (refund) takes effect at Vipps but no answer comes back,
        // and the webhook announcing it is dropped for good. Either every attempt's connection is cut
        // after the fact, or the first one is and the retries are rate limited (the ePayment API allows 5
        // captures per minute per reference, so retries after a lost answer can run into 429).
        const unlucky: { operation: "capture" | "refund"; faults: () => void; label: string }[] = [
          {
            operation: "capture",
            label: "every answer lost",
            faults: () => sim.control.cutConnection("capture", { times: MAX_ATTEMPTS, when: "after" }),
          },
          {
            operation: "refund",
            label: "every answer lost",
            faults: () => sim.control.cutConnection("refund", { times: MAX_ATTEMPTS, when: "after" }),
          },
          {
            operation: "capture",
            label: "answer lost, retries rate limited",
            faults: () => {
              sim.control.cutConnection("capture", { times: 1, when: "after" })
              sim.control.failNext("capture", { times: MAX_ATTEMPTS - 1, status: 429, retryAfter: 0 })
            },
          },
        ]
        for (const [k, { operation, faults, label }] of unlucky.entries()) {
          const rnd = seededRandom(SEED * 7_919 + k)
          const paid = await checkout(CHECKOUTS + k, rnd, "approve")
          if (!paid) continue
          const asked = { capture: 0, refund: 0 }
          requested.set(paid.reference, asked)
          if (operation === "refund") {
            asked.capture += paid.total
            await post(`/admin/payments/${paid.payment.id}/capture`, { amount: paid.total / 100 }, stats)
          }
          sim.control.dropWebhooks(50, {
            reference: paid.reference,
            event: operation === "capture" ? "CAPTURED" : "REFUNDED",
          })
          faults()
          asked[operation] += paid.total
          stats.adminCalls++
          await post(`/admin/payments/${paid.payment.id}/${operation}`, { amount: paid.total / 100 }, stats)
          stats.lostAnswers.push(`${operation} of ${paid.reference} (${label})`)
        }
      } finally {
        await job.stop()
      }

      // Quiesce: let webhook retries finish, then reconcile until a run has nothing left to fix.
      await sim.control.waitForWebhookIdle({ timeoutMs: 60_000, intervalMs: 100 })
      await eventually(async () => {
        const report = await job.run()
        return report.errors === 0 && (report.outcomes.authorized ?? 0) === 0
      }, 60_000)

      const ledger: Ledger = await compareLedgers(container, sim, requested)
      const deliveries = sim.control.webhookDeliveries()
      const webhooks = {
        deliveries: deliveries.length,
        dropped: deliveries.filter((d) => d.state === "dropped").length,
        duplicated: deliveries.filter((d) => d.duplicateOf !== undefined).length,
        reordered: deliveries.filter((d) => d.faults.includes("reorder")).length,
        delayed: deliveries.filter((d) => d.faults.includes("delay")).length,
        failedForGood: deliveries.filter((d) => d.state === "failed").length,
        non2xxAttempts: deliveries.flatMap((d) => d.attempts).filter((a) => !a.status || a.status >= 300)
          .length,
      }
      const seconds = Math.round((Date.now() - started) / 100) / 10
      const report = [
        "",
        `Soak: ${CHECKOUTS} checkouts, ${CONCURRENCY} at a time, seed ${SEED}, ${seconds} s`,
        table(ledgerRows(ledger)),
        table([
          {
            approved: stats.outcomes.approved,
            rejected: stats.outcomes.rejected,
            abandoned: stats.outcomes.abandoned,
            "start failed": stats.outcomes["start-failed"],
            "session retries": stats.startRetries,
            "returned to store": stats.returnedToStore,
            "admin calls": stats.adminCalls,
            "admin refusals": stats.adminFailures.length,
            "reconcile runs": stats.reconcileRuns,
            "orders by reconcile": stats.reconcileOrders,
          },
        ]),
        table([
          {
            "API calls": sandbox.chaos.calls,
            "5xx": sandbox.chaos.serverError,
            "cut after effect": sandbox.chaos.cutAfter,
            "429 + Retry-After": sandbox.chaos.rateLimited,
            webhooks: webhooks.deliveries,
            dropped: webhooks.dropped,
            duplicated: webhooks.duplicated,
            reordered: webhooks.reordered,
            "non-2xx answers": webhooks.non2xxAttempts,
            "given up": webhooks.failedForGood,
          },
        ]),
        ...stats.adminFailures.map((f) => `admin refused: ${f}`),
        "",
      ].join("\n")
      process.stdout.write(report)
      if (RESULTS_FILE) {
        fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true })
        const result = {
          checkouts: CHECKOUTS,
          concurrency: CONCURRENCY,
          seed: SEED,
          seconds,
          ledger,
          stats,
          chaos: sandbox.chaos,
          webhooks,
        }
        fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(result, null, 2)}\n`)
      }

      // The faults really happened.
      expect(sandbox.chaos.serverError + sandbox.chaos.cutAfter + sandbox.chaos.rateLimited).toBeGreaterThan(
        0,
      )
      expect(webhooks.dropped).toBeGreaterThan(0)
      expect(webhooks.duplicated).toBeGreaterThan(0)
      expect(ledger.approvedPayments).toBeGreaterThan(0)
      // Nothing lost, nothing doubled, nothing invented.
      // Admin work on a clean history is never refused.
      expect(stats.falseRefusals).toEqual([])
      expect(ledger.approvedWithoutOrder).toEqual([])
      expect(ledger.approvedWithSeveralOrders).toEqual([])
      expect(ledger.approvedWithOneOrder).toBe(ledger.approvedPayments)
      expect(ledger.ordersForUnapproved).toEqual([])
      expect(ledger.captureMismatches).toEqual([])
      expect(ledger.refundMismatches).toEqual([])
      expect(ledger.cancelMismatches).toEqual([])
      expect(ledger.doubleCaptures).toEqual([])
      expect(ledger.doubleRefunds).toEqual([])
      expect(ledger.capturedBeyondRequests).toEqual([])
      expect(ledger.refundedBeyondRequests).toEqual([])
    })
  },
})
