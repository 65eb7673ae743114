import type { AxiosInstance } from "axios"
import { paidAt, ordersPerCart, phase, checkout, type Checkout, type Db, type Flow, type Shop } from "./flows"
import { percentile, round, table } from "./stats"

/**
 * Medusa's own checkout (`pp_system_default`) and the plugin's, side by side in one run: for each number of
 * concurrent shoppers, ROUNDS rounds of one phase per flow, the order of the flows rotating between rounds
 * so that neither always runs first (warm caches, autovacuum, the other helpers' load). Every figure of a
 * Vipps flow is also given as a ratio to the anchor measured at the same concurrency in the same run.
 */

export type Level = { shoppers: number; perShopper: number }

export type ComparisonOptions = {
  levels: Level[]
  rounds: number
  flows: Flow[]
  warmup: number
  /** Before each phase (e.g. switching the webhook front for the `sync-route` flow). */
  beforePhase?(flow: Flow): void
  /** After each phase, until Vipps' webhooks for it are settled. */
  settle?(references: string[]): Promise<void>
  log?(line: string): void
}

type Run = { startedAt: number; done: Checkout[] }

export type Runs = Map<string, Run[]>
const runKey = (shoppers: number, flow: Flow) => `${shoppers}:${flow}`

/** Warm-up checkouts of each flow (not measured: only the phases' references are counted). */
export async function warmUp(
  shop: Shop,
  options: Pick<ComparisonOptions, "flows" | "warmup" | "beforePhase">,
) {
  for (const flow of options.flows) {
    options.beforePhase?.(flow)
    for (let i = 0; i < options.warmup; i++) await checkout(shop, flow, 900_000 + nextIndex++)
  }
}
let nextIndex = 0

/** The measured phases; `into` collects the runs (several calls may add to one map). */
export async function runPhases(
  shop: Shop,
  options: ComparisonOptions,
  into: Runs = new Map(),
  firstRound = 0,
) {
  const log = options.log ?? (() => {})
  for (const level of options.levels) {
    for (let round = firstRound; round < firstRound + options.rounds; round++) {
      const rotation = round % options.flows.length
      const order = [...options.flows.slice(rotation), ...options.flows.slice(0, rotation)]
      for (const flow of order) {
        options.beforePhase?.(flow)
        const run = await phase(shop, flow, level.shoppers, level.perShopper, (nextIndex += 10_000))
        await options.settle?.(run.done.flatMap((c) => (c.reference ? [c.reference] : [])))
        const id = runKey(level.shoppers, flow)
        into.set(id, [...(into.get(id) ?? []), run])
        log(`  ${level.shoppers} shoppers, round ${round + 1}, ${flow}: ${run.done.length} checkouts`)
      }
    }
  }
  return into
}

/** Every (level, flow) of these runs described, with ratios to the anchor of the same level. */
export async function describeRuns(
  db: Db,
  control: AxiosInstance,
  runs: Runs,
  levels: Level[],
  flows: Flow[],
) {
  const { data: requests } = await control.get<LoggedRequest[]>("/requests")
  const { data: deliveries } = await control.get<Delivery[]>("/webhook-deliveries")
  const results: FlowResult[] = []
  for (const level of levels) {
    for (const flow of flows) {
      results.push(
        await describe(db, level, flow, runs.get(runKey(level.shoppers, flow)) ?? [], requests, deliveries),
      )
    }
  }
  return withRatios(results)
}

export async function compareWithAnchor(shop: Shop, db: Db, options: ComparisonOptions) {
  await warmUp(shop, options)
  const runs = await runPhases(shop, options)
  options.beforePhase?.("webhook")
  const results = await describeRuns(db, shop.control, runs, options.levels, options.flows)
  return { levels: options.levels, rounds: options.rounds, flows: options.flows, results, runs }
}

type LoggedRequest = { operation: string | null; path: string; body?: { reference?: string } }
type Delivery = {
  reference: string
  eventName: string
  state: string
  attempts: { status?: number; error?: string; durationMs: number }[]
}

const EPAYMENT_OPS = new Set([
  "createPayment",
  "getPayment",
  "getPaymentEvents",
  "capture",
  "refund",
  "cancel",
])
const latency = (list: number[]) => ({
  p50: round(percentile(list, 50), 1),
  p95: round(percentile(list, 95), 1),
  p99: round(percentile(list, 99), 1),
})

export type FlowResult = Awaited<ReturnType<typeof describe>> & {
  ratio?: { checkoutsPerSecond: number; paidP50: number; paidP95: number }
}

async function describe(
  db: Db,
  level: Level,
  flow: Flow,
  runs: Run[],
  requests: LoggedRequest[],
  deliveries: Delivery[],
) {
  const done = runs.flatMap((r) => r.done)
  const paid = await paidAt(
    db,
    done.map((c) => c.sessionId),
  )
  let wallMs = 0
  for (const run of runs)
    wallMs += Math.max(...run.done.map((c) => paid.get(c.sessionId) ?? NaN)) - run.startedAt
  const orders = await ordersPerCart(
    db,
    done.map((c) => c.cartId),
  )
  const references = new Set(done.flatMap((c) => (c.reference ? [c.reference] : [])))
  const ours = deliveries.filter((d) => references.has(d.reference))
  const answers = ours.filter((d) => d.eventName === "AUTHORIZED").flatMap((d) => d.attempts)
  const calls: Record<string, number> = {}
  const getsOf = new Map<string, number>()
  for (const r of requests) {
    if (!r.operation || !EPAYMENT_OPS.has(r.operation)) continue
    const reference = r.body?.reference ?? /\/payments\/([^/]+)/.exec(r.path)?.[1]
    if (!reference || !references.has(reference)) continue
    calls[r.operation] = (calls[r.operation] ?? 0) + 1
    if (r.operation === "getPayment") getsOf.set(reference, (getsOf.get(reference) ?? 0) + 1)
  }
  const byGets: Record<string, number> = {}
  for (const reference of references) {
    const n = String(getsOf.get(reference) ?? 0)
    byGets[n] = (byGets[n] ?? 0) + 1
  }
  const vipps = flow !== "anchor"
  return {
    shoppers: level.shoppers,
    flow,
    checkouts: done.length,
    wallSeconds: round(wallMs / 1000, 2),
    checkoutsPerSecond: round(done.length / (wallMs / 1000), 2),
    /** Anchor: from `POST complete`; Vipps: from the approval. To max(order created, session authorized). */
    startToPaidOrderMs: latency(done.map((c) => (paid.get(c.sessionId) ?? NaN) - c.startedAt)),
    webhookAnswerMs: vipps
      ? { ...latency(answers.map((a) => a.durationMs)), attempts: answers.length }
      : undefined,
    timedOutDeliveries: vipps
      ? ours.flatMap((d) => d.attempts).filter((a) => a.error === "timeout").length
      : undefined,
    epaymentCallsPerCheckout: vipps
      ? {
          total: round(Object.values(calls).reduce((a, b) => a + b, 0) / done.length, 2),
          ...Object.fromEntries(Object.entries(calls).map(([op, n]) => [op, round(n / done.length, 2)])),
        }
      : undefined,
    checkoutsByGetCount: vipps ? byGets : undefined,
    lost: done.filter((c) => (orders.get(c.cartId) ?? 0) === 0).length,
    duplicates: done.filter((c) => (orders.get(c.cartId) ?? 0) > 1).length,
  }
}

function withRatios(results: FlowResult[]): FlowResult[] {
  return results.map((r) => {
    const anchor = results.find((a) => a.shoppers === r.shoppers && a.flow === "anchor")
    if (!anchor || r.flow === "anchor") return r
    return {
      ...r,
      ratio: {
        checkoutsPerSecond: round(r.checkoutsPerSecond / anchor.checkoutsPerSecond, 2),
        paidP50: round(r.startToPaidOrderMs.p50 / anchor.startToPaidOrderMs.p50, 2),
        paidP95: round(r.startToPaidOrderMs.p95 / anchor.startToPaidOrderMs.p95, 2),
      },
    }
  })
}

const FLOW_LABEL: Record<Flow, string> = {
  anchor: "Medusa's own (pp_system_default)",
  webhook: "Vipps, webhook completes",
  race: "Vipps, storefront also completes",
  "sync-route": "Vipps, synchronous route (before)",
}

/** The ratio table `npm run bench` prints and docs/performance.md quotes. */
export function anchorTable(results: FlowResult[]): string {
  return table(
    results.map((r) => ({
      shoppers: r.shoppers,
      checkout: FLOW_LABEL[r.flow],
      checkouts: r.checkouts,
      "checkouts/s": r.checkoutsPerSecond,
      "× anchor": r.ratio?.checkoutsPerSecond ?? "–",
      "start→paid p50 / p95 ms": `${r.startToPaidOrderMs.p50} / ${r.startToPaidOrderMs.p95}`,
      "× anchor p50 / p95": r.ratio ? `${r.ratio.paidP50} / ${r.ratio.paidP95}` : "–",
      "webhook answer p50 / p99 ms": r.webhookAnswerMs
        ? `${r.webhookAnswerMs.p50} / ${r.webhookAnswerMs.p99}`
        : "–",
      "timed out": r.timedOutDeliveries ?? "–",
      "ePayment calls/checkout": r.epaymentCallsPerCheckout?.total ?? "–",
      "lost / doubled": `${r.lost} / ${r.duplicates}`,
    })),
  )
}

/** Until the simulator has no delivery in flight for these references (retries included). */
export async function webhooksSettled(control: AxiosInstance, references: string[], deadlineMs = 180_000) {
  if (references.length === 0) return
  const wanted = new Set(references)
  const deadline = Date.now() + deadlineMs
  for (;;) {
    const { data } = await control.get<Delivery[]>("/webhook-deliveries")
    if (!data.some((d) => wanted.has(d.reference) && d.state === "pending")) return
    if (Date.now() > deadline) throw new Error("webhook deliveries still pending")
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
