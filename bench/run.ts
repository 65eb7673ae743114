import { spawnSync } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { overheadTable, runClientOverhead } from "./client-overhead"
import { clusterTable, runCluster } from "./cluster"
import { anchorTable, type FlowResult } from "./lib/anchor"
import { readResult, RESULTS_DIR, round, table, writeResult, type Machine } from "./lib/stats"
import type { webhookFlood } from "./lib/webhook-flood"
import type { SimMode } from "./lib/sim-process"
import { runTokenSharing, tokenTables } from "./token-sharing"

/**
 * `npm run bench` — every benchmark, a table each, JSON in bench/results/. Options:
 *   --only=client,tokens,medusa,cluster   run a subset (medusa = against Medusa's own checkout + webhook
 *                                 flood; cluster = 1 against 2 Medusa processes on Redis)
 *   --iterations=2000             client-overhead sequences per client
 *   --sim=child|inproc            where the simulator runs for the client-overhead benchmark
 * Environment for the Medusa part: see bench/checkout.bench.ts (BENCH_LEVELS "1x8,8x2,50x1", BENCH_ROUNDS 2,
 * BENCH_FLOWS, BENCH_DELIVERIES 5000, BENCH_DELIVERY_CONCURRENCY 16).
 */

function option(name: string): string | undefined {
  const prefix = `--${name}=`
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length)
}

const log = (line: string) => process.stdout.write(`${line}\n`)

type CheckoutResult = {
  processes: number
  machine: Machine
  finishedAt: string
  results: FlowResult[]
  breakdowns?: {
    shoppers: number
    flow: string
    segments: { segment: string; checkouts: number; p50: number; p95: number }[]
  }[]
}
type WebhookResult = Awaited<ReturnType<typeof webhookFlood>> & { ordersBefore: number; ordersAfter: number }

export function medusaTables(checkout?: CheckoutResult, webhook?: WebhookResult): string {
  const parts: string[] = []
  if (checkout) parts.push(anchorTable(checkout.results))
  for (const b of checkout?.breakdowns ?? []) {
    parts.push(
      `where the time goes, ${b.flow}, ${b.shoppers} shopper(s) (median / p95 ms per segment):\n` +
        b.segments.map((s) => `  ${s.segment}: ${s.p50} / ${s.p95} (${s.checkouts})`).join("\n"),
    )
  }
  if (webhook) {
    const { after500, atEnd } = webhook.memory
    parts.push(
      table([
        {
          deliveries: webhook.deliveries,
          "unique events": webhook.uniqueEvents,
          concurrency: webhook.concurrency,
          "req/s": webhook.requestsPerSecond,
          "p50 / p95 / p99 ms": `${webhook.latencyMs.p50} / ${webhook.latencyMs.p95} / ${webhook.latencyMs.p99}`,
          statuses: JSON.stringify(webhook.statuses),
          [`heap after ${after500.sent} → after ${atEnd.sent} MB`]: `${after500.heapUsedMB} → ${atEnd.heapUsedMB}`,
          "RSS MB": `${after500.rssMB} → ${atEnd.rssMB}`,
          "orders before → after": `${webhook.ordersBefore} → ${webhook.ordersAfter}`,
        },
      ]),
    )
    parts.push(
      `heap after ${webhook.memory.trend.map((t) => `${t.sent}: ${t.heapUsedMB}`).join(", ")} deliveries (MB)`,
    )
  }
  return parts.join("\n\n")
}

async function main(): Promise<number> {
  const only = new Set((option("only") ?? "client,tokens,medusa,cluster").split(","))
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
    log("\n## 3 + 4. Against Medusa's own checkout, and a webhook flood (real Medusa + PostgreSQL)")
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
  if (only.has("cluster")) {
    log("\n## 3c. One and two Medusa processes (Redis event bus, workflow engine, locking)")
    const started = Date.now()
    try {
      const result = await runCluster((line) => process.stderr.write(`${line}\n`))
      writeResult("cluster", result)
      log(clusterTable(result))
    } catch (error) {
      log(`the multi-process benchmark failed: ${error instanceof Error ? error.message : String(error)}`)
      status = 1
    }
    log(`\n${round((Date.now() - started) / 1000, 1)} s (Medusa boots included)`)
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
