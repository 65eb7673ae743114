import axios from "axios"
import http from "node:http"
import v8 from "node:v8"
import vm from "node:vm"
import { webhookHeaders } from "../../src/lib/webhook-signature"
import { seededRandom } from "../../src/simulator/random"
import { percentile, round } from "./stats"

/**
 * Correctly signed deliveries to `POST /hooks/vipps/vipps` of this (the Medusa) process for payments that
 * already have their order: half of them distinct AUTHORIZED events, each sent twice in shuffled order (as
 * Vipps MobilePay's retries and overlapping registrations do), `concurrency` at a time over keep-alive.
 * The heap (after a forced garbage collection, once the syncs the deliveries queued are done) is read after
 * the first 500 deliveries, after every 1,000 and at the end: the 500 against the last figure says whether
 * the route or its sync keeps anything.
 */
export type FloodOptions = {
  port: number
  secret: string
  msn: string
  references: string[]
  deliveries: number
  concurrency: number
  /** Waits until the work the deliveries queued is done, before each heap reading. */
  idle?: () => Promise<void>
}

/** A callable `gc` even when jest's sandbox does not expose the flag's global. */
function collector(): () => void {
  v8.setFlagsFromString("--expose-gc")
  return vm.runInNewContext("gc") as () => void
}

export async function webhookFlood(options: FloodOptions) {
  const gc = collector()
  const url = new URL(`http://localhost:${options.port}/hooks/vipps/vipps`)
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency })
  const random = seededRandom(42)
  const unique = Array.from({ length: Math.ceil(options.deliveries / 2) }, (_, i) =>
    JSON.stringify({
      msn: options.msn,
      reference: options.references[i % options.references.length],
      pspReference: `bench-psp-${i}`,
      name: "AUTHORIZED",
      amount: { currency: "NOK", value: 24950 },
      timestamp: new Date(Date.now() + i).toISOString(),
      idempotencyKey: null,
      success: true,
    }),
  )
  const bodies = [...unique, ...unique].slice(0, options.deliveries)
  for (let i = bodies.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[bodies[i], bodies[j]] = [bodies[j], bodies[i]]
  }
  const send = async (body: string) => {
    const headers = webhookHeaders({
      secret: options.secret,
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
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < list.length) results.push(await send(list[next++]))
      }),
    )
    return results
  }
  const memory = async (sent: number) => {
    await options.idle?.()
    gc()
    const m = process.memoryUsage()
    return { sent, heapUsedMB: round(m.heapUsed / 2 ** 20, 1), rssMB: round(m.rss / 2 ** 20, 1) }
  }
  const checkpoints = [
    500,
    ...Array.from({ length: Math.floor(bodies.length / 1000) }, (_, i) => (i + 1) * 1000),
  ]
  const marks = [...new Set([...checkpoints.filter((n) => n < bodies.length), bodies.length])].sort(
    (a, b) => a - b,
  )
  const trend: Awaited<ReturnType<typeof memory>>[] = []
  const results: { status: number; ms: number }[] = []
  let ms = 0
  let offset = 0
  for (const mark of marks) {
    const started = Date.now()
    results.push(...(await run(bodies.slice(offset, mark))))
    ms += Date.now() - started
    offset = mark
    trend.push(await memory(mark))
  }
  agent.destroy()
  const latencies = results.map((r) => r.ms)
  const statuses: Record<string, number> = {}
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1
  const after500 = trend[0]
  const atEnd = trend[trend.length - 1]
  return {
    deliveries: bodies.length,
    uniqueEvents: unique.length,
    concurrency: options.concurrency,
    payments: options.references.length,
    requestsPerSecond: round(results.length / (ms / 1000), 1),
    latencyMs: {
      p50: round(percentile(latencies, 50), 1),
      p95: round(percentile(latencies, 95), 1),
      p99: round(percentile(latencies, 99), 1),
      max: round(Math.max(...latencies), 1),
    },
    statuses,
    memory: {
      after500,
      atEnd,
      growthHeapMB: round(atEnd.heapUsedMB - after500.heapUsedMB, 1),
      trend,
    },
  }
}
