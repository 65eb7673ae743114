/**
 * `npm run demo -- [--serve] [--keep] [--storefront-url …] [--store-cors …] [--return-url …] [--port …]`:
 * boots a real Medusa with this plugin against the local Vipps MobilePay simulator, seeds a small
 * Norwegian store and walks through a checkout as a shopper and a merchant would, over HTTP
 * (scripts/demo/walkthrough.ts). Prints every step with its duration and the Vipps MobilePay event log;
 * exits 0 only when every step succeeded. Flags and their environment variables: scripts/demo/options.ts.
 *
 * --serve  keeps the store, the admin dashboard, the simulator and the storefront running afterwards and
 *          prints their URLs, an admin login and the env lines a storefront needs (Ctrl+C stops).
 * --keep   keeps the database, publishable key and admin login for the next run.
 *
 * PostgreSQL: DATABASE_URL / DB_HOST… or 127.0.0.1:5432 as postgres, else an embedded server
 * (scripts/lib/postgres.js). No Vipps MobilePay credentials are needed.
 */
import crypto from "node:crypto"
import fs from "node:fs"
import path from "node:path"
import { freePort } from "../lib/free-port"
import {
  freshDatabase,
  migrate,
  REPOSITORY_ROOT,
  type RunningMedusa,
  startMedusa,
  stopAllMedusaProcesses,
} from "../lib/medusa-process"
import { forgetKeptDemo, KEPT_DATABASE, loadKeptDemo, saveKeptDemo } from "./keep"
import { DEFAULT_RETURN_PATH, DemoOptionsError, parseDemoOptions, USAGE, type DemoOptions } from "./options"
import { bold, green, red, step } from "./report"
import { seedDemoDatabase } from "./seed-command"
import { printServing } from "./serve"
import { simulatorCredentials, startDemoSimulator } from "./simulator"
import { startStorefront, type RunningStorefront } from "./storefront"
import { PROVIDER_ID, walkThroughCheckout } from "./walkthrough"

/** The return page of the storefront examples (examples/storefront/*): `/<country>/vipps/return`. */
const EXAMPLES_RETURN_PATH = "/vipps/return?reference={reference}&cart_id={cart_id}"

const cleanups: (() => Promise<void>)[] = []
let logDirectory: string | undefined
let finished = false
const started = Date.now()

async function cleanup(): Promise<void> {
  await stopAllMedusaProcesses()
  while (cleanups.length) await cleanups.pop()!().catch(() => {})
}

/** The URLs this run serves and sends the shopper to. */
async function plan(options: DemoOptions) {
  const medusaPort = options.port ?? (await freePort(options.serve || options.keep ? 9000 : undefined))
  const medusaUrl = `http://localhost:${medusaPort}`
  let storefront: RunningStorefront | undefined
  if (!options.storefrontUrl) {
    storefront = await startStorefront({ port: await freePort(options.serve ? 8000 : undefined) })
    cleanups.push(() => storefront!.stop())
  }
  const storefrontUrl = options.storefrontUrl ?? storefront!.url
  const returnUrl =
    options.returnUrl ?? `${storefrontUrl}${storefront ? DEFAULT_RETURN_PATH : EXAMPLES_RETURN_PATH}`
  const storeCors = options.storeCors ?? storefrontUrl
  return { medusaPort, medusaUrl, storefront, storefrontUrl, returnUrl, storeCors }
}

async function main(): Promise<void> {
  if (process.argv.includes("--help")) {
    console.log(USAGE)
    return
  }
  const options = parseDemoOptions(process.argv.slice(2))
  const flags = [options.serve && "--serve", options.keep && "--keep"].filter(Boolean).join(" ")
  console.log(bold(`Vipps MobilePay for Medusa: demo${flags ? ` (${flags})` : ""}`))
  const runId = `${new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14)}-${crypto.randomBytes(3).toString("hex")}`
  const logDir = path.join(REPOSITORY_ROOT, ".tmp", `demo-${runId}`)
  logDirectory = logDir
  fs.mkdirSync(logDir, { recursive: true })
  const kept = options.keep ? loadKeptDemo() : undefined
  const admin = kept?.admin ?? {
    email: "admin@demo.local",
    password: crypto.randomBytes(9).toString("base64url"),
  }

  const database = await step(
    kept ? "PostgreSQL ready, kept database found" : "PostgreSQL ready, fresh database created",
    async () => {
      const db = await freshDatabase({
        name: options.keep ? KEPT_DATABASE : `vipps_demo_${runId.replace(/-/g, "_")}`,
        keep: !!kept,
      })
      cleanups.push(() => db.close())
      if (!options.keep) cleanups.push(() => db.drop())
      return db
    },
    (db) => `${db.server.host}:${db.server.port}, database ${db.name}${db.reused ? " (kept)" : ""}`,
  )

  const urls = await plan(options)
  const { sim, webhookSecret } = await step(
    "Vipps MobilePay simulator started, webhook registered",
    async () => {
      const started = await startDemoSimulator(
        await freePort(options.serve ? 4010 : undefined),
        urls.medusaUrl,
      )
      cleanups.push(() => started.sim.stop())
      return started
    },
    ({ sim }) => `simulator ${sim.url}, storefront ${urls.storefrontUrl}`,
  )

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    DATABASE_URL: database.url,
    ...simulatorCredentials(sim, webhookSecret),
    STOREFRONT_URL: urls.storefrontUrl,
    STORE_CORS: urls.storeCors,
    VIPPS_RETURN_URL: urls.returnUrl,
    ADMIN_CORS: urls.medusaUrl,
    AUTH_CORS: `${urls.storeCors},${urls.medusaUrl}`,
    MEDUSA_ADMIN_DISABLED: options.serve ? "false" : "true",
    MEDUSA_DISABLE_TELEMETRY: "true",
    JWT_SECRET: crypto.randomBytes(24).toString("hex"),
    COOKIE_SECRET: crypto.randomBytes(24).toString("hex"),
  }

  await step("Medusa database migrated (medusa db:migrate)", () =>
    migrate({ env, logFile: path.join(logDir, "migrate.log") }),
  )
  const store = kept
    ? kept.store
    : await step(
        "Store seeded: NOK region with Vipps MobilePay, warehouse, shipping option, product, admin user",
        () => seedDemoDatabase(env, logDir, admin),
        (s) =>
          `${s.productTitle} at ${s.unitPrice.toFixed(2)} NOK, shipping ${s.shippingPrice.toFixed(2)} NOK`,
      )
  if (options.keep && !kept) saveKeptDemo({ store, admin })

  const server: RunningMedusa = await step(
    `Medusa started (medusa start${options.serve ? ", admin dashboard enabled" : ""})`,
    () => startMedusa({ env, port: urls.medusaPort, logFile: path.join(logDir, "medusa.log") }),
    (s) => s.url,
  )
  urls.storefront?.configure({
    medusaUrl: urls.medusaUrl,
    publishableKey: store.publishableKey,
    regionId: store.regionId,
    countryCode: store.countryCode,
    currency: store.currency,
    productTitle: store.productTitle,
    variantId: store.variantId,
    unitPrice: store.unitPrice,
    providerId: PROVIDER_ID,
  })

  const { orderId } = await walkThroughCheckout({
    medusaUrl: urls.medusaUrl,
    store,
    sim,
    admin,
    returnTo: urls.returnUrl.split(/[?{]/)[0],
  })
  console.log(`\n${green("All steps succeeded")} in ${((Date.now() - started) / 1000).toFixed(1)}s.`)
  finished = true

  if (!options.serve) {
    if (!options.keep) cleanups.push(async () => fs.rmSync(logDir, { recursive: true, force: true }))
    return
  }
  printServing({
    medusaUrl: urls.medusaUrl,
    store,
    admin,
    simulatorUrl: sim.url,
    demoStorefrontUrl: urls.storefront?.url,
    storefrontUrl: urls.storefrontUrl,
    storeCors: urls.storeCors,
    returnUrl: urls.returnUrl,
    orderId,
    serverLog: server.logFile,
    keep: options.keep,
  })
  await new Promise<never>(() => {
    // Runs until Ctrl+C / SIGTERM (see the handlers below).
  })
}

let stopping = false
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping Medusa, the simulator and the storefront…`)
    cleanup().finally(() => process.exit(finished ? 0 : 130))
  })
}

main().then(
  async () => {
    await cleanup()
    process.exit(0)
  },
  async (error: unknown) => {
    if (error instanceof DemoOptionsError) {
      console.error(`${red(error.message)}\n${USAGE}`)
      process.exit(2)
    }
    console.error(`\n${red("Demo failed:")} ${error instanceof Error ? error.message : String(error)}`)
    if (logDirectory) console.error(`Logs: ${path.relative(REPOSITORY_ROOT, logDirectory)}/`)
    // A kept store that failed half way is not trusted next time.
    if (process.argv.includes("--keep") && !finished) forgetKeptDemo()
    await cleanup()
    process.exit(1)
  },
)
