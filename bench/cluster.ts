import axios, { type AxiosInstance } from "axios"
import fs from "node:fs"
import path from "node:path"
import { createStoreDir, startRedis, storeEnv } from "../integration-tests/multi-instance/cluster"
import { NORWAY, DENMARK, registerStoreWebhook } from "../integration-tests/soak/harness"
import type { SeededStore } from "../integration-tests/helpers/store"
import {
  medusaCommand,
  startMedusa,
  startMedusaOnFreshDatabase,
  type RunningMedusa,
} from "../scripts/lib/medusa-process"
import { describeRuns, runPhases, warmUp, webhooksSettled, type FlowResult, type Runs } from "./lib/anchor"
import { database, paidOrderWatcher, type Flow, type Shop } from "./lib/flows"
import { startSim } from "./lib/sim-process"
import { round, table } from "./lib/stats"
import { startWebhookFront } from "./lib/webhook-front"

/**
 * Several event loops: the anchor and the plugin's checkout on one `medusa start` process, then on two, on
 * one PostgreSQL database with the Redis event bus, workflow engine and locking (the multi-instance store,
 * integration-tests/multi-instance/store-config.ts). Both processes serve HTTP and consume events; the
 * storefront's calls and Vipps' webhooks go to them in turn. The phases alternate 1, 2, 2, 1 processes
 * (the second process is started once and stopped once), each with the flows rotating as in the
 * single-process comparison.
 *
 * Then a server and a worker (`MEDUSA_WORKER_MODE`), the deployment Medusa recommends: the server answers
 * the storefront and the webhooks, the worker runs the inbox's syncs and the jobs — so a webhook's answer no
 * longer waits behind the cart completions on the event loop that received it. Last, the same with a
 * second server that only receives Vipps MobilePay's webhooks (the registration's URL points at it), so
 * their answers wait behind no storefront request either.
 *
 * BENCH_CLUSTER_LEVEL  shoppers x checkouts each, "50x1"; BENCH_CLUSTER_ROUNDS (2);
 * BENCH_CLUSTER_FLOWS  "anchor,webhook"; BENCH_CLUSTER_WORKER=0 skips the server + worker phases,
 * BENCH_CLUSTER_HOOKS_SERVER=0 only the one with a webhook server; BENCH_CLUSTER_SHARED=0 skips the 1 and 2
 * process phases;
 * BENCH_EVENT_BUS_CONCURRENCY  events each process handles at once (10; Medusa's default is 1)
 */
const LEVEL = (process.env.BENCH_CLUSTER_LEVEL ?? "50x1").split("x").map(Number)
const ROUNDS = Number(process.env.BENCH_CLUSTER_ROUNDS ?? 2)
const FLOWS = (process.env.BENCH_CLUSTER_FLOWS ?? "anchor,webhook").split(",") as Flow[]
const WITH_WORKER = process.env.BENCH_CLUSTER_WORKER !== "0"
const WITH_HOOKS_SERVER = WITH_WORKER && process.env.BENCH_CLUSTER_HOOKS_SERVER !== "0"
const WITH_SHARED = process.env.BENCH_CLUSTER_SHARED !== "0"

/**
 * 1 and 2: that many processes serving and consuming alike; "server + worker": one of each;
 * "+ webhook server": and a second server that only receives the webhooks.
 */
type Topology = 1 | 2 | "server + worker" | "server + webhook server + worker"

export type ClusterResult = {
  level: { shoppers: number; perShopper: number }
  byProcesses: { processes: Topology; results: FlowResult[] }[]
}

export async function runCluster(log: (line: string) => void): Promise<ClusterResult> {
  const level = { shoppers: LEVEL[0], perShopper: LEVEL[1] || 1 }
  const sim = await startSim("child", {
    merchants: [NORWAY, DENMARK],
    webhookRetry: { attempts: 8, baseDelayMs: 200, maxDelayMs: 3_000 },
    requestLogLimit: 1_000_000,
  })
  const stops: (() => Promise<unknown>)[] = [() => sim.stop()]
  try {
    const redis = await startRedis()
    stops.unshift(() => redis.stop())
    let secret = ""
    const front = await startWebhookFront(() => secret)
    stops.unshift(() => front.close())
    secret = await registerStoreWebhook(sim.url, front.port)
    const dir = createStoreDir("bench")
    stops.push(async () => fs.rmSync(dir, { recursive: true, force: true }))
    const env = {
      ...storeEnv({
        databaseUrl: "",
        modules: "redis",
        redisUrl: redis.url,
        simulatorUrl: sim.url,
        reconcileSchedule: "0 0 * * *",
        reconcileAfterSeconds: 3600,
      }),
      LOG_LEVEL: "warn",
      MEDUSA_WORKER_MODE: "shared",
      // Medusa's Redis event bus handles one event at a time per process unless told otherwise: each
      // webhook's sync (a cart completion) would wait for the one before it.
      EVENT_BUS_CONCURRENCY: process.env.BENCH_EVENT_BUS_CONCURRENCY ?? "10",
      VIPPS_WEBHOOK_SECRET: secret,
    }
    let store: SeededStore | undefined
    const logDir = path.join(dir, "logs")
    log("  booting the first Medusa process (migrations, seed)")
    const first = await startMedusaOnFreshDatabase({
      cwd: dir,
      env,
      logDir,
      beforeStart: async ({ env: withDb }) => {
        const logFile = path.join(logDir, "seed.log")
        await medusaCommand(["exec", path.join(__dirname, "lib", "seed-anchor-store.ts")], {
          cwd: dir,
          env: { ...withDb, MEDUSA_WORKER_MODE: "server" },
          logFile,
        })
        const line = /SEEDED (\{.*\})/.exec(fs.readFileSync(logFile, "utf8"))
        if (!line) throw new Error(`seed printed no result (${logFile})`)
        store = JSON.parse(line[1]) as SeededStore
      },
    })
    stops.unshift(() => first.stop())
    const db = database(first.database.url)
    stops.unshift(() => db.close())
    const watcher = paidOrderWatcher(db)
    stops.unshift(async () => watcher.stop())

    let active: RunningMedusa[] = [first]
    const clients = new Map<string, AxiosInstance>()
    const client = (m: RunningMedusa) => {
      if (!clients.has(m.url)) clients.set(m.url, axios.create({ baseURL: m.url }))
      return clients.get(m.url)!
    }
    let turn = 0
    const shop: Shop = {
      api: () => client(active[turn++ % active.length]),
      control: axios.create({ baseURL: `${sim.url}/_simulator` }),
      store: store!,
      currency: "nok",
      variant: store!.variants.mug,
      watcher,
    }
    /** Where the storefront's calls go, and (by default the same processes) where the webhooks go. */
    const use = (processes: RunningMedusa[], hooks = processes) => {
      active = processes
      front.attach(
        undefined,
        hooks.map((p) => p.port),
      )
    }
    use([first])
    const options = {
      levels: [level],
      rounds: 1,
      flows: FLOWS,
      warmup: 2,
      settle: (references: string[]) => webhooksSettled(shop.control, references),
      log,
    }
    await warmUp(shop, options)
    let second: RunningMedusa | undefined
    const runs = new Map<Topology, Runs>([
      [1, new Map()],
      [2, new Map()],
      ["server + worker", new Map()],
      ["server + webhook server + worker", new Map()],
    ])
    const sequence = WITH_SHARED
      ? Array.from({ length: ROUNDS }, (_, r): (1 | 2)[] => (r % 2 === 0 ? [1, 2] : [2, 1])).flat()
      : []
    for (const [i, processes] of sequence.entries()) {
      if (processes === 2 && !second) {
        log("  booting the second Medusa process")
        second = await startMedusa({ cwd: dir, env: first.env, logFile: path.join(logDir, "medusa-2.log") })
        use([first, second])
        for (let k = 0; k < 2; k++) await warmUp(shop, { ...options, warmup: 1 })
      }
      if (processes === 1 && second) {
        use([first])
        await second.stop()
        second = undefined
      }
      log(`  ${processes} process(es):`)
      await runPhases(shop, options, runs.get(processes), i)
    }
    if (second) stops.unshift(() => second!.stop())
    const topologies: Topology[] = WITH_SHARED ? [1, 2] : []
    if (WITH_WORKER) {
      if (second) await second.stop()
      second = undefined
      await first.stopServer()
      const mode = (mode: string, name: string) =>
        startMedusa({
          cwd: dir,
          env: { ...first.env, MEDUSA_WORKER_MODE: mode },
          logFile: path.join(logDir, `${name}.log`),
        })
      log("  booting a server and a worker")
      const server = await mode("server", "medusa-server")
      stops.unshift(() => server.stop())
      const worker = await mode("worker", "medusa-worker")
      stops.unshift(() => worker.stop())
      use([server])
      await warmUp(shop, { ...options, warmup: 1 })
      log("  server + worker:")
      for (let round = 0; round < ROUNDS; round++) {
        await runPhases(shop, options, runs.get("server + worker"), round)
      }
      topologies.push("server + worker")
      if (WITH_HOOKS_SERVER) {
        log("  booting a second server for the webhooks")
        const hooks = await mode("server", "medusa-hooks")
        stops.unshift(() => hooks.stop())
        use([server], [hooks])
        await warmUp(shop, { ...options, warmup: 1 })
        log("  server + webhook server + worker:")
        for (let round = 0; round < ROUNDS; round++) {
          await runPhases(shop, options, runs.get("server + webhook server + worker"), round)
        }
        topologies.push("server + webhook server + worker")
      }
    }
    const byProcesses = []
    for (const processes of topologies) {
      byProcesses.push({
        processes,
        results: await describeRuns(db, shop.control, runs.get(processes)!, [level], FLOWS),
      })
    }
    return { level, byProcesses }
  } finally {
    for (const stop of stops) await stop().catch(() => {})
  }
}

export function clusterTable(result: ClusterResult): string {
  const one = result.byProcesses.find((b) => b.processes === 1)
  return table(
    result.byProcesses.flatMap((b) =>
      b.results.map((r) => {
        const single = one?.results.find((s) => s.flow === r.flow)
        return {
          processes: b.processes,
          flow: r.flow,
          checkouts: r.checkouts,
          "checkouts/s": r.checkoutsPerSecond,
          "× 1 process": single ? round(r.checkoutsPerSecond / single.checkoutsPerSecond, 2) : "–",
          "× anchor": r.ratio?.checkoutsPerSecond ?? "–",
          "start→paid p50 / p95 ms": `${r.startToPaidOrderMs.p50} / ${r.startToPaidOrderMs.p95}`,
          "ePayment calls/checkout": r.epaymentCallsPerCheckout?.total ?? "–",
          "webhook answer p50 / p99 ms": r.webhookAnswerMs
            ? `${r.webhookAnswerMs.p50} / ${r.webhookAnswerMs.p99}`
            : "–",
          "lost / doubled": `${r.lost} / ${r.duplicates}`,
        }
      }),
    ),
  )
}
