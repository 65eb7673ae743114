/**
 * The plugin on a multi-instance store: two `medusa start` servers and one worker on one PostgreSQL
 * database and one Redis (event-bus-redis, workflow-engine-redis, locking-redis, redisUrl). The shopper's
 * browser completes the cart on server A while Vipps MobilePay's webhook reaches server B at the same
 * moment; the reconciliation job runs on the worker. See docs/multi-instance.md.
 *
 * MULTI_INSTANCE_RACES overrides the number of races (default 40).
 */
import axios from "axios"
import { poll } from "./cluster"
import { summarize, type PaymentCheck, type Prepared, type RaceResult } from "./payment-check"
import { MultiInstanceStore, WEBHOOK_PATH } from "./scenario"

const RACES = Number(process.env.MULTI_INSTANCE_RACES ?? 40)
const LOST_WEBHOOKS = 4
const RECONCILE_EVERY_SECONDS = 5

jest.setTimeout(200_000)

function table(title: string, rows: Record<string, string | number>) {
  const width = Math.max(...Object.keys(rows).map((k) => k.length))
  return [title, ...Object.entries(rows).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join("\n")
}

const problemsOf = (checks: (RaceResult | PaymentCheck)[]) =>
  checks.filter((c) => c.problems.length).map((c) => `${c.cartId}: ${c.problems.join("; ")}`)

describe("two servers and a worker on PostgreSQL and Redis", () => {
  const store = new MultiInstanceStore({
    label: "races",
    modules: "redis",
    processes: [
      { name: "server-a", mode: "server" },
      { name: "server-b", mode: "server" },
      { name: "worker", mode: "worker" },
    ],
    reconcileEverySeconds: RECONCILE_EVERY_SECONDS,
    // Races finish long before this; the sentinel and the lost-webhook payments are picked up after it.
    reconcileAfterSeconds: RECONCILE_EVERY_SECONDS,
    log: (line) => console.log(line),
  })
  let failures = 0
  let lost: Prepared[] = []
  const started = Date.now()

  beforeAll(async () => {
    try {
      await store.start()
      await store.createSentinel()
      // Approved before the races start: the job completes these on the worker while the races run.
      lost = await store.approveWithLostWebhooks(LOST_WEBHOOKS)
    } catch (error) {
      failures++
      throw error
    }
  }, 240_000)

  afterAll(async () => {
    if (failures && store.dir) console.log(`process logs kept in ${store.dir}`)
    await store.stop({ keepFiles: failures > 0 })
    console.log(`multi-instance suite took ${Math.round((Date.now() - started) / 1000)} s`)
  }, 60_000)

  // Counts a failed test so that afterAll keeps the process logs.
  const tracked = (fn: () => Promise<void>) => async () => {
    try {
      await fn()
    } catch (error) {
      failures++
      throw error
    }
  }

  it(
    "serves the webhook route on the servers only; the worker mounts no routes",
    tracked(async () => {
      const worker = store.processes[2]
      const response = await axios.post(`${worker.url}${WEBHOOK_PATH}`, "{}", { validateStatus: () => true })
      expect(response.status).toBe(404)
      const unsigned = await axios.post(`${store.b.url}${WEBHOOK_PATH}`, "{}", {
        headers: { "content-type": "application/json" },
        validateStatus: () => true,
      })
      expect(unsigned.status).toBe(401)
    }),
  )

  it(
    `ends ${RACES} storefront-on-A vs webhook-on-B races with exactly one order each`,
    tracked(async () => {
      const results = await store.races(RACES)
      console.log(
        table(`races (server A complete vs server B webhook), Redis everywhere:`, summarize(results)),
      )
      expect(problemsOf(results)).toEqual([])
      expect(results).toHaveLength(RACES)
    }),
  )

  it(
    "runs the reconciliation job once per tick on the worker, and completes lost-webhook payments once",
    tracked(async () => {
      await store.awaitOrders(lost)
      // One more complete run after the orders exist: it must find nothing left to do for them.
      const before = store.jobRuns().runs
      await poll("another job run", () => store.jobRuns().runs > before, 3 * RECONCILE_EVERY_SECONDS * 1000)
      const runs = await store.settledJobRuns()
      const after = await Promise.all(lost.map((p) => store.checkPayment(p)))
      console.log(
        table(`reconciliation job, schedule every ${RECONCILE_EVERY_SECONDS} s:`, {
          ticks: runs.ticks,
          runs: runs.runs,
          // A run delayed past its tick can start in the next tick's window: informative, not asserted.
          "most runs starting in one tick window": runs.maxPerTick,
          ...Object.fromEntries(
            Object.entries(runs.perProcess).map(([name, n]) => [`runs logged by ${name}`, n]),
          ),
          "lost-webhook payments": LOST_WEBHOOKS,
          "with exactly one order and one payment": after.filter((c) => c.problems.length === 0).length,
          "job syncs ending authorized (incl. already done)": runs.authorizedOutcomes,
        }),
      )
      expect(problemsOf(after)).toEqual([])
      expect(runs.perProcess["server-a"]).toBe(0)
      expect(runs.perProcess["server-b"]).toBe(0)
      expect(runs.perProcess.worker).toBe(runs.runs)
      // Once per tick for the whole store: never more runs than ticks, and no tick left out for long.
      expect(runs.runs).toBeLessThanOrEqual(runs.ticks)
      expect(runs.runs).toBeGreaterThanOrEqual(Math.floor(runs.ticks * 0.75))
    }),
  )
})
