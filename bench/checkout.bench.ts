import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import axios, { type AxiosInstance } from "axios"
import { seedStore, type SeededStore } from "../integration-tests/helpers/store"
import { DENMARK, freePort, NORWAY, registerStoreWebhook } from "../integration-tests/soak/harness"
import { compareWithAnchor, webhooksSettled, type Level } from "./lib/anchor"
import { database, paidOrderWatcher, type Flow, type Shop } from "./lib/flows"
import { ANCHOR_STORE_PRODUCTS, ANCHOR_STORE_REGIONS } from "./lib/seed-anchor-store"
import { startSim, type SimHandle } from "./lib/sim-process"
import { breakdown, traceCheckouts } from "./lib/trace"
import { writeResult } from "./lib/stats"
import { webhookFlood } from "./lib/webhook-flood"
import { startWebhookFront, type WebhookFront } from "./lib/webhook-front"

/**
 * Medusa's own checkout against the plugin's, in one real Medusa process (as `medusa start` runs it) on
 * PostgreSQL, the simulator in a child process: the same store, the same shoppers, phases alternating
 * (bench/lib/anchor.ts). Then a flood of webhooks with the heap read after 500 and after all of them.
 * Run by bench/run-medusa.js; results in bench/results/checkout.json and webhook.json, printed by
 * bench/run.ts. The only assertions are about correctness (no lost or doubled order, every delivery 200).
 *
 * BENCH_LEVELS       concurrent shoppers and checkouts per shopper, "1x8,8x2,50x1"
 * BENCH_ROUNDS       rounds per level (2); BENCH_WARMUP checkouts per flow before measuring (3)
 * BENCH_FLOWS        "anchor,webhook,race" (add sync-route for the synchronous webhook route it replaced)
 * BENCH_DELIVERIES   webhooks in the flood (5000), BENCH_DELIVERY_CONCURRENCY (16)
 */

const LEVELS: Level[] = (process.env.BENCH_LEVELS ?? "1x8,8x2,50x1").split(",").map((l) => {
  const [shoppers, perShopper] = l.split("x").map(Number)
  return { shoppers, perShopper: perShopper || 1 }
})
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3)
const FLOWS = (process.env.BENCH_FLOWS ?? "anchor,webhook,race").split(",") as Flow[]
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 5000)
const DELIVERY_CONCURRENCY = Number(process.env.BENCH_DELIVERY_CONCURRENCY ?? 16)

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
  // Webhooks go straight to Medusa's route; with the `sync-route` flow they go to the bench's front, which
  // hands them to the route or syncs before answering as the route did before the inbox (one more hop).
  front = await startWebhookFront(() => process.env.VIPPS_WEBHOOK_SECRET)
  const target = FLOWS.includes("sync-route") ? front.port : port
  process.env.VIPPS_WEBHOOK_SECRET = await registerStoreWebhook(sim.url, target)
})
afterAll(async () => {
  await front?.close()
  await sim?.stop()
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConfig }) => {
    let store: SeededStore

    beforeAll(async () => {
      store = await seedStore(getContainer(), ANCHOR_STORE_REGIONS, ANCHOR_STORE_PRODUCTS)
    })

    it("checks out with Medusa's own provider and with Vipps, then takes a webhook flood; nothing lost or doubled", async () => {
      front.attach(getContainer(), Number(process.env.PORT))
      const trace = traceCheckouts(getContainer())
      const db = database(dbConfig.clientUrl)
      const watcher = paidOrderWatcher(db)
      const shop: Shop = {
        api: () => api as unknown as AxiosInstance,
        control,
        store,
        currency: "nok",
        variant: store.variants.mug,
        watcher,
      }
      try {
        const comparison = await compareWithAnchor(shop, db, {
          levels: LEVELS,
          rounds: ROUNDS,
          flows: FLOWS,
          warmup: WARMUP,
          beforePhase: (flow) => {
            front.mode = flow === "sync-route" ? "sync" : "inbox"
          },
          settle: (references) => webhooksSettled(control, references),
          log: (line) => process.stderr.write(`${line}\n`),
        })
        const { runs, ...summary } = comparison
        const { data: deliveries } = await control.get("/webhook-deliveries")
        const breakdowns = []
        for (const level of LEVELS)
          for (const flow of FLOWS) {
            const done = (runs.get(`${level.shoppers}:${flow}`) ?? []).flatMap((r) => r.done)
            breakdowns.push({
              shoppers: level.shoppers,
              flow,
              segments: await breakdown(trace, db, done, deliveries),
            })
          }
        writeResult("checkout", { processes: 1, ...summary, breakdowns })
        for (const r of comparison.results)
          expect({ flow: r.flow, lost: r.lost, doubled: r.duplicates }).toEqual({
            flow: r.flow,
            lost: 0,
            doubled: 0,
          })

        const sessions = await db.query<{ reference: string }>(
          `SELECT data->>'reference' AS reference FROM payment_session
            WHERE provider_id = 'pp_vipps_vipps' AND authorized_at IS NOT NULL`,
        )
        const ordersBefore = await countOrders(db)
        const flood = await webhookFlood({
          port: Number(process.env.PORT),
          secret: process.env.VIPPS_WEBHOOK_SECRET!,
          msn: NORWAY.msn,
          references: sessions.map((s) => s.reference),
          deliveries: DELIVERIES,
          concurrency: DELIVERY_CONCURRENCY,
          idle: () => trace.inboxIdle(),
        })
        const ordersAfter = await countOrders(db)
        writeResult("webhook", { ...flood, ordersBefore, ordersAfter })
        expect(flood.statuses).toEqual({ 200: flood.deliveries })
        expect(ordersAfter).toBe(ordersBefore)
      } finally {
        watcher.stop()
        await db.close()
      }
    })
  },
})

async function countOrders(db: ReturnType<typeof database>): Promise<number> {
  const [row] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "order" WHERE deleted_at IS NULL`)
  return Number(row.n)
}
