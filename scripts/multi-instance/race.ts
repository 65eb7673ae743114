/**
 * The storefront-vs-webhook race on a multi-process store, measured rather than asserted:
 *
 *   npx ts-node --transpile-only scripts/multi-instance/race.ts [--modules memory|redis|redis-local-locking]
 *       [--processes shared,shared | server,server,worker] [--races 40] [--lanes 2] [--lost 4] [--every 5] [--keep]
 *
 * Default: Medusa's in-memory modules on two `shared` processes (what a store gets when it scales out
 * without Redis). Prints the race counts and how often the reconciliation job ran per tick.
 * integration-tests/multi-instance/races.spec.ts asserts the Redis setup.
 */
import { parseArgs } from "node:util"
import type { ModuleSet, WorkerMode } from "../../integration-tests/multi-instance/cluster"
import { summarize, type RaceResult } from "../../integration-tests/multi-instance/payment-check"
import { MultiInstanceStore } from "../../integration-tests/multi-instance/scenario"

type Args = {
  modules: ModuleSet
  processes: WorkerMode[]
  races: number
  lanes: number
  lost: number
  every: number
  keep: boolean
}

function readArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      modules: { type: "string", default: "memory" },
      processes: { type: "string", default: "shared,shared" },
      races: { type: "string", default: "40" },
      lanes: { type: "string", default: "2" },
      lost: { type: "string", default: "4" },
      every: { type: "string", default: "5" },
      keep: { type: "boolean", default: false },
    },
  })
  const moduleSets: ModuleSet[] = ["memory", "redis", "redis-local-locking"]
  if (!moduleSets.includes(values.modules as ModuleSet)) throw new Error(`--modules ${moduleSets.join("|")}`)
  const processes = values.processes.split(",") as WorkerMode[]
  if (processes.some((m) => !["shared", "server", "worker"].includes(m)))
    throw new Error("--processes: shared|server|worker")
  if (processes.length < 2 || processes.slice(0, 2).includes("worker")) {
    throw new Error("the first two processes answer HTTP: use shared or server for them")
  }
  return {
    modules: values.modules as ModuleSet,
    processes,
    races: Number(values.races),
    lanes: Number(values.lanes),
    lost: Number(values.lost),
    every: Number(values.every),
    keep: values.keep,
  }
}

async function main() {
  const args = readArgs(process.argv.slice(2))
  const names = args.processes.map((mode, i) => (i < 2 ? `${mode}-${"ab"[i]}` : `${mode}-${i}`))
  const store = new MultiInstanceStore({
    label: `script-${args.modules}`,
    modules: args.modules,
    processes: args.processes.map((mode, i) => ({ name: names[i], mode })),
    reconcileEverySeconds: args.every,
    reconcileAfterSeconds: args.every,
    log: (line) => console.log(line),
  })
  const started = Date.now()
  let keepFiles = args.keep
  try {
    await store.start()
    await store.createSentinel()
    const lostPayments = args.lost > 0 ? await store.approveWithLostWebhooks(args.lost) : []
    const results: RaceResult[] = await store.races(args.races, args.lanes, (done) => {
      if (done % 10 === 0)
        console.log(`${done} races done after ${Math.round((Date.now() - started) / 1000)} s`)
    })
    const lost = lostPayments.length ? await store.awaitOrders(lostPayments) : []
    console.log(`\n${args.processes.join(" + ")} with ${args.modules} modules, ${args.races} races`)
    console.table(summarize(results))
    for (const r of results.filter((r) => r.problems.length)) {
      console.log(`race ${r.index} (${r.cartId}): ${r.problems.join("; ")}`)
    }
    if (lost.length) {
      console.log(`\n${lost.length} approved payments with lost webhooks, completed by the job:`)
      console.table(
        lost.map((c) => ({
          cart: c.cartId,
          orders: c.orders.length,
          payments: c.orderPayments,
          vipps: c.vipps.state,
          problems: c.problems.join("; "),
        })),
      )
    }
    console.log(`\nreconciliation job (every ${args.every} s):`)
    const { perProcess, ...runs } = await store.settledJobRuns()
    console.table({
      ...runs,
      ...Object.fromEntries(Object.entries(perProcess).map(([p, n]) => [`logged by ${p}`, n])),
    })
  } catch (error) {
    keepFiles = true
    throw error
  } finally {
    if (keepFiles && store.dir) console.log(`logs kept in ${store.dir}`)
    await store.stop({ keepFiles })
    console.log(`total ${Math.round((Date.now() - started) / 1000)} s`)
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
