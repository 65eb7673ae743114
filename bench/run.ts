import { spawnSync } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { overheadTable, runClientOverhead } from "./client-overhead"
import { readResult, RESULTS_DIR, round, table, writeResult, type Machine } from "./lib/stats"
import type { SimMode } from "./lib/sim-process"
import { runTokenSharing, tokenTables } from "./token-sharing"

/**
 * `npm run bench` — every benchmark, a table each, JSON in bench/results/. Options:
 *   --only=client,tokens,medusa   run a subset (medusa = checkout throughput + webhook route)
 *   --iterations=2000             client-overhead sequences per client
 *   --sim=child|inproc            where the simulator runs for the client-overhead benchmark
 * Environment for the Medusa part: BENCH_SHOPPERS (50), BENCH_ROUNDS (2), BENCH_DELIVERIES (5000),
 * BENCH_DELIVERY_CONCURRENCY (16).
 */

function option(name: string): string | undefined {
  const prefix = `--${name}=`
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length)
}

const log = (line: string) => process.stdout.write(`${line}\n`)

type CheckoutResult = {
  route?: "inbox" | "sync"
  machine: Machine
  shoppers: number
  rounds: number
  checkouts: number
  wallSeconds: number
  checkoutsPerSecond: number
  approvalToPaidOrderMs: Record<"p50" | "p95" | "p99" | "mean", number>
  approvalToWebhookAnsweredMs: Record<"p50" | "p95" | "p99" | "mean", number>
  /** Answer time of every AUTHORIZED delivery attempt (a timed-out attempt counts its 10 s). */
  webhookAnswerMs?: Record<"p50" | "p95" | "p99" | "mean" | "max" | "attempts", number>
  /** The same phases against the synchronous route the inbox replaced (reproduced by the bench). */
  synchronousRoute?: CheckoutResult
  epaymentCallsPerCheckout: Record<string, number>
  getPaymentsPerCheckout: Record<string, number>
  tokenRequests: number
  webhookDeliveriesPerCheckout: number
  webhookAttempts: { deliveries: number; attempts: number; timedOut: number; slowestAnswerMs: number }
  lost: string[]
  duplicates: string[]
}
type WebhookResult = {
  deliveries: number
  measured: number
  uniqueEvents: number
  concurrency: number
  payments: number
  requestsPerSecond: number
  latencyMs: Record<"p50" | "p95" | "p99" | "max", number>
  statuses: Record<string, number>
  memory: {
    before: { heapUsedMB: number; rssMB: number }
    after: { heapUsedMB: number; rssMB: number }
    growthHeapMB: number
    trend: { sent: number; heapUsedMB: number; rssMB: number }[]
  }
  ordersBefore: number
  ordersAfter: number
}

export function medusaTables(checkout?: CheckoutResult, webhook?: WebhookResult): string {
  const parts: string[] = []
  if (checkout) {
    const routes = [checkout, ...(checkout.synchronousRoute ? [checkout.synchronousRoute] : [])]
    const label = (c: CheckoutResult) =>
      c.route === "sync" ? "synchronous (answers after the sync; before)" : "inbox (this plugin)"
    const answer = (c: CheckoutResult) =>
      c.webhookAnswerMs ? `${c.webhookAnswerMs.p50} / ${c.webhookAnswerMs.p99}` : "–"
    parts.push(
      table(
        routes.map((c) => ({
          "webhook route": label(c),
          "webhook answer p50 / p99 ms": answer(c),
          "AUTHORIZED attempts / timed out (10 s)": `${c.webhookAnswerMs?.attempts ?? "–"} / ${c.webhookAttempts.timedOut}`,
          "checkouts/s": c.checkoutsPerSecond,
          "approval→paid order p50 / p95 ms": `${c.approvalToPaidOrderMs.p50} / ${c.approvalToPaidOrderMs.p95}`,
          "ePayment calls/checkout": c.epaymentCallsPerCheckout.total,
        })),
      ),
    )
    parts.push(
      table(
        routes.map((c) => {
          const calls = Object.entries(c.epaymentCallsPerCheckout)
            .filter(([op]) => op !== "total")
            .map(([op, n]) => `${op} ${n}`)
            .join(", ")
          return {
            route: c.route ?? "inbox",
            shoppers: c.shoppers,
            checkouts: c.checkouts,
            "wall s": c.wallSeconds,
            "checkouts/s": c.checkoutsPerSecond,
            "approval→paid order p50/p95/p99 ms": `${c.approvalToPaidOrderMs.p50} / ${c.approvalToPaidOrderMs.p95} / ${c.approvalToPaidOrderMs.p99}`,
            "approval→webhook 200 p50/p95/p99 ms": `${c.approvalToWebhookAnsweredMs.p50} / ${c.approvalToWebhookAnsweredMs.p95} / ${c.approvalToWebhookAnsweredMs.p99}`,
            "ePayment calls/checkout": `${c.epaymentCallsPerCheckout.total} (${calls})`,
            "checkouts by GET count": Object.entries(c.getPaymentsPerCheckout)
              .map(([gets, n]) => `${gets}×GET: ${n}`)
              .join(", "),
            "token requests": c.tokenRequests,
            "webhook deliveries / attempts / timed out (10 s)": `${c.webhookAttempts.deliveries} / ${c.webhookAttempts.attempts} / ${c.webhookAttempts.timedOut}`,
            "lost / duplicate orders": `${c.lost.length} / ${c.duplicates.length}`,
          }
        }),
      ),
    )
  }
  if (webhook) {
    parts.push(
      table([
        {
          deliveries: webhook.measured,
          "unique events": webhook.uniqueEvents,
          concurrency: webhook.concurrency,
          "req/s": webhook.requestsPerSecond,
          "p50 / p95 / p99 ms": `${webhook.latencyMs.p50} / ${webhook.latencyMs.p95} / ${webhook.latencyMs.p99}`,
          statuses: JSON.stringify(webhook.statuses),
          "heap before → after MB": `${webhook.memory.before.heapUsedMB} → ${webhook.memory.after.heapUsedMB}`,
          "RSS before → after MB": `${webhook.memory.before.rssMB} → ${webhook.memory.after.rssMB}`,
          "orders before → after": `${webhook.ordersBefore} → ${webhook.ordersAfter}`,
        },
      ]),
    )
    parts.push(
      `heap after each 1,000 deliveries (MB): ${webhook.memory.trend.map((t) => t.heapUsedMB).join(", ")}`,
    )
  }
  return parts.join("\n\n")
}

async function main(): Promise<number> {
  const only = new Set((option("only") ?? "client,tokens,medusa").split(","))
  const iterations = Number(option("iterations") ?? 2000)
  const simMode = (option("sim") ?? "child") as SimMode
  let status = 0

  if (only.has("client")) {
    log(`\n## 1. Client overhead (${iterations} sequences each, simulator: ${simMode} process)`)
    const result = await runClientOverhead({ iterations, simulator: simMode, log })
    writeResult("client-overhead", result)
    log(overheadTable(result))
    log(
      `\nbyte-identical (a) vs (b): ${result.byteIdentical.equal} (${result.byteIdentical.requests} requests compared)` +
        `; load average before/after: ${result.loadAverage.before.join(" ")} / ${result.loadAverage.after.join(" ")}` +
        `; ${result.wallSeconds} s`,
    )
    if (!result.byteIdentical.equal) log(result.byteIdentical.differences.join("\n"))
  }

  if (only.has("tokens")) {
    log("\n## 2. Token sharing")
    const started = Date.now()
    const result = await runTokenSharing()
    writeResult("token-sharing", result)
    log(tokenTables(result))
    log(`\n${round((Date.now() - started) / 1000, 1)} s`)
  }

  if (only.has("medusa")) {
    log("\n## 3 + 4. Checkout throughput and webhook route (real Medusa + PostgreSQL)")
    const started = Date.now()
    for (const name of ["checkout", "webhook"])
      fs.rmSync(path.join(RESULTS_DIR, `${name}.json`), { force: true })
    const run = spawnSync(process.execPath, [path.join(__dirname, "run-medusa.js")], {
      stdio: ["ignore", "ignore", "inherit"],
      env: process.env,
    })
    const checkout = readResult<CheckoutResult>("checkout")
    const webhook = readResult<WebhookResult>("webhook")
    log(medusaTables(checkout, webhook))
    log(`\n${round((Date.now() - started) / 1000, 1)} s (Medusa boot included)`)
    if (run.status !== 0) {
      log(`the Medusa benchmark failed (exit ${run.status}); rerun with: node bench/run-medusa.js`)
      status = 1
    }
  }
  return status
}

if (require.main === module) {
  main().then(
    (status) => process.exit(status),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
