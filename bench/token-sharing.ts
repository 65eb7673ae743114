import { startSimulator, type RunningSimulator } from "../src/simulator"
import { VippsClient } from "../src/lib/vipps/client"
import { TokenCache } from "../src/lib/vipps/token-cache"
import { round, table, type Row } from "./lib/stats"

/**
 * Token sharing: how many access-token requests the client makes (1) for 1,000 concurrent operations on a
 * cold cache, and (2) over a simulated day of 24-hour tokens (production lifetime), with steady traffic.
 */

const MERCHANT = {
  clientId: "sim-client-id",
  clientSecret: "sim-client-secret",
  subscriptionKey: "sim-subscription-key",
  merchantSerialNumber: "123456",
}
const SYSTEM_INFO = { systemName: "medusa", systemVersion: "2.21.2", pluginName: "bench", pluginVersion: "0" }

function client(url: string, tokenCache: TokenCache): VippsClient {
  return new VippsClient({ ...MERCHANT, baseUrl: url, systemInfo: SYSTEM_INFO }, { tokenCache })
}

const tokenRequests = (sim: RunningSimulator) =>
  sim.control.requests({ operation: "accessToken", redact: false }).length

async function createPayment(sim: RunningSimulator, reference: string): Promise<void> {
  await client(sim.url, new TokenCache()).epayment.createPayment(
    {
      amount: { currency: "NOK", value: 1000 },
      paymentMethod: { type: "WALLET" },
      reference,
      userFlow: "WEB_REDIRECT",
      returnUrl: "https://shop.example/return",
    },
    `create-${reference}`,
  )
}

export type ConcurrentResult = {
  operations: number
  clients: number
  tokenRequests: number
  failed: number
  wallMs: number
}

/** `operations` concurrent GETs on a cold cache shared by `clients` client instances of one sales unit. */
async function concurrentColdCache(
  sim: RunningSimulator,
  operations: number,
  clients: number,
): Promise<ConcurrentResult> {
  const reference = `tokens-${clients}-${Date.now().toString(36)}`
  await createPayment(sim, reference)
  const shared = new TokenCache()
  const instances = Array.from({ length: clients }, () => client(sim.url, shared))
  const before = tokenRequests(sim)
  const started = Date.now()
  const results = await Promise.allSettled(
    Array.from({ length: operations }, (_, i) => instances[i % clients].epayment.getPayment(reference)),
  )
  return {
    operations,
    clients,
    tokenRequests: tokenRequests(sim) - before,
    failed: results.filter((r) => r.status === "rejected").length,
    wallMs: Date.now() - started,
  }
}

export type DayResult = {
  clock: string
  simulatedHours: number
  operations: number
  tokenRequests: number
  perHour: number[]
  maxPerHour: number
  unauthorized: number
}

/**
 * Steady traffic (`perMinute` GETs every simulated minute) for `hours` simulated hours with 24-hour tokens.
 * `process`: the whole process's Date.now jumps (what production time does to the client, its cache and
 * the simulator alike). `cache-only`: only the TokenCache gets the simulated clock through its constructor,
 * as a test of the cache would inject it; the simulator clock is advanced to match.
 */
async function simulatedDay(
  mode: "process" | "cache-only",
  hours: number,
  perMinute: number,
): Promise<DayResult> {
  const realNow = Date.now
  let offset = 0
  const sim = await startSimulator({ tokenLifetimeSeconds: 86_400 })
  try {
    const reference = `day-${mode}-${realNow().toString(36)}`
    await createPayment(sim, reference)
    // In `process` mode the clock is replaced before the cache exists: TokenCache captures `Date.now`
    // (the function) when it is constructed.
    if (mode === "process") Date.now = () => realNow() + offset
    const cache = mode === "process" ? new TokenCache() : new TokenCache(() => realNow() + offset)
    const api = client(sim.url, cache)
    const perHour = Array.from({ length: hours }, () => 0)
    let operations = 0
    let unauthorized = 0
    for (let minute = 0; minute < hours * 60; minute++) {
      offset = minute * 60_000
      if (mode === "cache-only") sim.control.setTime(realNow() + offset)
      sim.control.clearRequests()
      for (let k = 0; k < perMinute; k++) {
        await api.epayment.getPayment(reference)
        operations++
      }
      perHour[Math.floor(minute / 60)] += tokenRequests(sim)
      unauthorized += sim.control
        .requests({ operation: "getPayment", redact: false })
        .filter((r) => r.status === 401).length
    }
    const total = perHour.reduce((a, b) => a + b, 0)
    return {
      clock: mode,
      simulatedHours: hours,
      operations,
      tokenRequests: total,
      perHour,
      maxPerHour: Math.max(...perHour),
      unauthorized,
    }
  } finally {
    Date.now = realNow
    await sim.stop()
  }
}

export type TokenSharingResult = {
  concurrent: ConcurrentResult[]
  day: DayResult[]
}

export async function runTokenSharing(
  options: { operations?: number; hours?: number; perMinute?: number } = {},
): Promise<TokenSharingResult> {
  const sim = await startSimulator({ requestLogLimit: 100_000 })
  const concurrent: ConcurrentResult[] = []
  try {
    concurrent.push(await concurrentColdCache(sim, options.operations ?? 1000, 1))
    concurrent.push(await concurrentColdCache(sim, options.operations ?? 1000, 3))
  } finally {
    await sim.stop()
  }
  const hours = options.hours ?? 24
  const perMinute = options.perMinute ?? 5
  const day = [
    await simulatedDay("process", hours * 2, perMinute),
    // Two simulated days: the first token expires after ~24 h, so the second day shows the steady state.
    await simulatedDay("cache-only", hours * 2, perMinute),
  ]
  return { concurrent, day }
}

export function tokenTables(result: TokenSharingResult): string {
  const concurrent: Row[] = result.concurrent.map((c) => ({
    "concurrent operations": c.operations,
    "client instances (one cache)": c.clients,
    "token requests": c.tokenRequests,
    failed: c.failed,
    "wall ms": c.wallMs,
  }))
  const day: Row[] = result.day.map((d) => ({
    clock: d.clock,
    "simulated hours": d.simulatedHours,
    operations: d.operations,
    "token requests": d.tokenRequests,
    "per hour (mean)": round(d.tokenRequests / d.simulatedHours, 3),
    "max in one hour": d.maxPerHour,
    "hours with a request":
      d.perHour
        .map((n, h) => (n > 0 ? `${h}:${n}` : ""))
        .filter(Boolean)
        .slice(0, 8)
        .join(" ") + (d.perHour.filter((n) => n > 0).length > 8 ? " …" : ""),
    "401s": d.unauthorized,
  }))
  return `${table(concurrent)}\n\n${table(day)}`
}
