/**
 * The storefront-vs-webhook race on a multi-process store, measured rather than asserted:
 *
 *   npx ts-node --transpile-only scripts/multi-instance/race.ts [--modules memory|redis]
 *       [--processes shared,shared | server,server,worker] [--races 40] [--lanes 2] [--lost 4] [--every 5]
 *
 * Default: Medusa's in-memory modules on two `shared` processes (what a store gets when it scales out
 * without Redis). Prints the race counts and how often the reconciliation job ran per tick.
 * integration-tests/multi-instance/races.spec.ts asserts the Redis setup.
 */
import { dbServerFromEnv, ModuleSet, WorkerMode } from "../../integration-tests/multi-instance/cluster"
import { MultiInstanceStore, RaceResult, summarize } from "../../integration-tests/multi-instance/scenario"

type Args = {
  modules: ModuleSet
  processes: WorkerMode[]
  races: number
  lanes: number
  lost: number
  every: number
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    modules: "memory",
    processes: ["shared", "shared"],
    races: 40,
    lanes: 2,
    lost: 4,
    every: 5,
  }
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]]
    if (name === "--modules" && (value === "memory" || value === "redis")) args.modules = value
    else if (name === "--processes") args.processes = value.split(",") as WorkerMode[]
    else if (name === "--races") args.races = Number(value)
    else if (name === "--lanes") args.lanes = Number(value)
    else if (name === "--lost") args.lost = Number(value)
    else if (name === "--every") args.every = Number(value)
    else throw new Error(`unknown argument ${name} ${value ?? ""}`)
  }
  if (args.processes.length < 2 || args.processes.slice(0, 2).some((m) => m === "worker")) {
    throw new Error("the first two processes answer HTTP: use shared or server for them")
  }
  return args
}

async function main() {
  const args = parseArgs(process.argv.slice(2))
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ensurePostgres } = require("../lib/postgres") as {
    ensurePostgres(): Promise<{ env: Record<string, string>; stop(): Promise<void> }>
  }
  const postgres = await ensurePostgres()
  const names = args.processes.map((mode, i) => (i < 2 ? `${mode}-${"ab"[i]}` : `${mode}-${i}`))
  const store = new MultiInstanceStore({
    label: `script-${args.modules}`,
    db: dbServerFromEnv({ ...process.env, ...postgres.env }),
    modules: args.modules,
    processes: args.processes.map((mode, i) => ({ name: names[i], mode })),
    reconcileEverySeconds: args.every,
    reconcileAfterSeconds: args.every,
    log: (line) => console.log(line),
  })
  const started = Date.now()
  let keepFiles = false
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
    console.table(await store.settledJobRuns())
    keepFiles = results.some((r) => r.problems.length > 0) || lost.some((c) => c.problems.length > 0)
  } catch (error) {
    keepFiles = true
    throw error
  } finally {
    if (keepFiles && store.dir) console.log(`logs kept in ${store.dir}`)
    await store.stop({ keepFiles })
    await postgres.stop()
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
