/**
 * `npm run demo` (ts-node --transpile-only scripts/demo/run.ts [--serve]): boots a real Medusa with this
 * plugin against the local Vipps MobilePay simulator, seeds a small Norwegian store and walks through a
 * checkout as a shopper and a merchant would, over HTTP: cart with shipping, Vipps MobilePay session,
 * approval on the landing page, the signed webhook creating the order, the storefront completing the same
 * order, an admin capture and a partial refund. Prints every step with its duration and the Vipps
 * MobilePay event log; exits 0 only when every step succeeded.
 *
 * --serve  keeps the store, the admin dashboard, the simulator and a demo storefront running afterwards
 *          and prints their URLs and an admin login (Ctrl+C stops everything and drops the database).
 *
 * PostgreSQL: DATABASE_URL / DB_HOST… or 127.0.0.1:5432 as postgres, else an embedded server
 * (scripts/lib/postgres.js). Each run uses a fresh database. No Vipps MobilePay credentials are needed.
 */
import { type ChildProcess, spawn } from "node:child_process"
import crypto from "node:crypto"
import fs from "node:fs"
import { createRequire } from "node:module"
import net from "node:net"
import path from "node:path"
import { Client } from "pg"
import { EPAYMENT_WEBHOOK_EVENTS } from "../../src/lib/vipps/schemas"
import { VippsClient } from "../../src/lib/vipps/client"
import { startSimulator, type RunningSimulator, type SimulatorMerchant } from "../../src/simulator"
import type { DemoStore } from "./seed-store"
import { payButtonLabel, startStorefront, type RunningStorefront } from "./storefront"

type PgServer = { host: string; port: number; user: string; password: string }
type PostgresLib = {
  ensurePostgres(options?: { log?: (message: string) => void }): Promise<{
    server: PgServer
    embedded: boolean
    stop(): Promise<void>
  }>
  databaseUrl(server: PgServer, database: string): string
}

const ROOT = path.resolve(__dirname, "..", "..")
const load = createRequire(__filename)
const { ensurePostgres, databaseUrl } = load("../lib/postgres.js") as PostgresLib
const MEDUSA_CLI = path.join(path.dirname(load.resolve("@medusajs/cli/package.json")), "cli.js")

const SERVE = process.argv.includes("--serve")
const PROVIDER_ID = "pp_vipps_vipps"
const REFUND_AMOUNT = 100

/** The sales units medusa-config.ts registers (simulator test credentials, not secrets). */
const MERCHANTS: SimulatorMerchant[] = [
  {
    clientId: "sim-client-id",
    clientSecret: "sim-client-secret",
    subscriptionKey: "sim-subscription-key",
    msn: "123456",
    currencies: ["NOK"],
    name: "Vipps MobilePay Demo Store",
  },
  {
    clientId: "sim-dk-client-id",
    clientSecret: "sim-dk-client-secret",
    subscriptionKey: "sim-dk-subscription-key",
    msn: "654321",
    currencies: ["DKK", "EUR"],
    name: "Vipps MobilePay Demo Store Denmark",
  },
]

// ── output ────────────────────────────────────────────────────────────────────────────────────────────

const started = Date.now()
const color = process.stdout.isTTY && !process.env.NO_COLOR
const paint = (code: number) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s)
const green = paint(32)
const red = paint(31)
const dim = paint(2)
const bold = paint(1)
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`.padStart(6)

let stepNumber = 0
const timings: { title: string; ms: number }[] = []

async function step<T>(title: string, run: () => Promise<T>, describe?: (result: T) => string): Promise<T> {
  const n = ++stepNumber
  const t0 = Date.now()
  try {
    const result = await run()
    const ms = Date.now() - t0
    timings.push({ title, ms })
    const detail = describe ? describe(result) : ""
    console.log(
      `${green("✔")} ${dim(seconds(ms))}  ${String(n).padStart(2)}. ${title}${detail ? dim(` — ${detail}`) : ""}`,
    )
    return result
  } catch (error) {
    console.log(`${red("✘")} ${dim(seconds(Date.now() - t0))}  ${String(n).padStart(2)}. ${title}`)
    throw error
  }
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs / 1000}s${last ? ` (${String(last)})` : ""}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

// ── processes and ports ───────────────────────────────────────────────────────────────────────────────

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once("error", () => resolve(false))
    server.listen(port, () => server.close(() => resolve(true)))
  })
}

async function choosePort(preferred?: number): Promise<number> {
  if (preferred && (await portIsFree(preferred))) return preferred
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

const children = new Set<ChildProcess>()

function medusa(args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const log = fs.openSync(logFile, "a")
  const child = spawn(process.execPath, [MEDUSA_CLI, ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", log, log],
    detached: true,
  })
  fs.closeSync(log)
  children.add(child)
  child.once("exit", () => children.delete(child))
  return child
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n")
  } catch {
    return ""
  }
}

async function medusaCommand(args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  const child = medusa(args, env, logFile)
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)))
  if (code !== 0) {
    throw new Error(`medusa ${args[0]} failed (exit ${code}); last lines of ${logFile}:\n${tail(logFile)}`)
  }
}

/** Stops a child this script started: its process group (Medusa may start helpers), then a hard kill. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig)
    } catch {
      try {
        child.kill(sig)
      } catch {
        // already gone
      }
    }
  }
  signal("SIGTERM")
  const timer = setTimeout(() => signal("SIGKILL"), 10_000)
  await exited
  clearTimeout(timer)
}

// ── HTTP ──────────────────────────────────────────────────────────────────────────────────────────────

/** Medusa's JSON answers, read loosely: the demo checks the fields it relies on itself. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = { [key: string]: any }

async function http(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await response.text()
  let body: Json = {}
  try {
    body = text ? JSON.parse(text) : {}
  } catch {
    body = { text }
  }
  return { status: response.status, body }
}

async function ok(url: string, init: Parameters<typeof http>[1] = {}): Promise<Json> {
  const { status, body } = await http(url, init)
  if (status >= 400) {
    throw new Error(
      `${init.method ?? (init.body === undefined ? "GET" : "POST")} ${new URL(url).pathname} answered ${status}: ${body.message ?? body.text ?? ""}`,
    )
  }
  return body
}

/** What a browser does on the landing page: load it, submit the Approve form, follow nothing. */
async function approveOnLandingPage(redirectUrl: string): Promise<string> {
  const page = await (await fetch(redirectUrl)).text()
  const form =
    /<form method="post" action="([^"]+)"><input type="hidden" name="token" value="([^"]+)"><button id="approve"/.exec(
      page,
    )
  check(form, "the landing page has no Approve button")
  const response = await fetch(new URL(form[1], redirectUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: form[2] }).toString(),
    redirect: "manual",
  })
  check(response.status === 303, `the landing page answered ${response.status} to Approve`)
  return response.headers.get("location") ?? ""
}

// ── the demo ──────────────────────────────────────────────────────────────────────────────────────────

let logDirectory: string | undefined
let finished = false
type Cleanup = () => Promise<void>
const cleanups: Cleanup[] = []

async function cleanup(): Promise<void> {
  for (const child of [...children]) await stopChild(child).catch(() => {})
  while (cleanups.length) await cleanups.pop()!().catch(() => {})
}

async function main(): Promise<void> {
  console.log(bold(`Vipps MobilePay for Medusa: demo${SERVE ? " (--serve)" : ""}`))
  const runId = `${new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14)}-${crypto.randomBytes(3).toString("hex")}`
  const logDir = path.join(ROOT, ".tmp", `demo-${runId}`)
  logDirectory = logDir
  fs.mkdirSync(logDir, { recursive: true })
  const admin = { email: "admin@demo.local", password: crypto.randomBytes(9).toString("base64url") }

  // 1. PostgreSQL and a fresh database
  const database = `vipps_demo_${runId.replace(/-/g, "_")}`
  const { dbUrl } = await step(
    "PostgreSQL ready, fresh database created",
    async () => {
      const pg = await ensurePostgres({ log: () => {} })
      cleanups.push(() => pg.stop())
      const client = new Client({ ...pg.server, database: "postgres" })
      await client.connect()
      await client.query(`CREATE DATABASE "${database}"`)
      await client.end()
      cleanups.push(async () => {
        const dropper = new Client({ ...pg.server, database: "postgres" })
        await dropper.connect()
        await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
        await dropper.end()
      })
      return { dbUrl: databaseUrl(pg.server, database), pg }
    },
    ({ pg }) =>
      `${pg.embedded ? "embedded server" : `${pg.server.host}:${pg.server.port}`}, database ${database}`,
  )

  // 2. Simulator, webhook registration, storefront
  const medusaPort = await choosePort(SERVE ? 9000 : undefined)
  const medusaUrl = `http://localhost:${medusaPort}`
  const { sim, storefront, webhookSecret } = await step(
    "Vipps MobilePay simulator started, webhook registered, storefront up",
    async () => {
      const sim: RunningSimulator = await startSimulator({
        port: await choosePort(SERVE ? 4010 : undefined),
        merchants: MERCHANTS,
        webhookRetry: { attempts: 8, baseDelayMs: 500 },
      })
      cleanups.push(() => sim.stop())
      const storefront: RunningStorefront = await startStorefront({
        port: await choosePort(SERVE ? 8000 : undefined),
      })
      cleanups.push(() => storefront.stop())
      // As a merchant does once: register the store's webhook URL and keep the secret.
      const client = new VippsClient({
        clientId: MERCHANTS[0].clientId,
        clientSecret: MERCHANTS[0].clientSecret,
        subscriptionKey: MERCHANTS[0].subscriptionKey,
        merchantSerialNumber: MERCHANTS[0].msn,
        baseUrl: sim.url,
        systemInfo: { systemName: "medusa", systemVersion: "demo", pluginName: "demo", pluginVersion: "0" },
      })
      const { secret } = await client.webhooks.register({
        url: `${medusaUrl}/hooks/vipps/vipps`,
        events: [...EPAYMENT_WEBHOOK_EVENTS],
      })
      return { sim, storefront, webhookSecret: secret }
    },
    ({ sim, storefront }) => `simulator ${sim.url}, storefront ${storefront.url}`,
  )

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    DATABASE_URL: dbUrl,
    PORT: String(medusaPort),
    VIPPS_API_BASE_URL: sim.url,
    VIPPS_WEBHOOK_SECRET: webhookSecret,
    // The simulator's own test keys, whatever the shell holds: real credentials never go to the simulator.
    VIPPS_CLIENT_ID: MERCHANTS[0].clientId,
    VIPPS_CLIENT_SECRET: MERCHANTS[0].clientSecret,
    VIPPS_SUBSCRIPTION_KEY: MERCHANTS[0].subscriptionKey,
    VIPPS_MSN: MERCHANTS[0].msn,
    MOBILEPAY_CLIENT_ID: MERCHANTS[1].clientId,
    MOBILEPAY_CLIENT_SECRET: MERCHANTS[1].clientSecret,
    MOBILEPAY_SUBSCRIPTION_KEY: MERCHANTS[1].subscriptionKey,
    MOBILEPAY_MSN: MERCHANTS[1].msn,
    STOREFRONT_URL: storefront.url,
    STORE_CORS: storefront.url,
    ADMIN_CORS: medusaUrl,
    AUTH_CORS: `${storefront.url},${medusaUrl}`,
    MEDUSA_ADMIN_DISABLED: SERVE ? "false" : "true",
    MEDUSA_DISABLE_TELEMETRY: "true",
    JWT_SECRET: crypto.randomBytes(24).toString("hex"),
    COOKIE_SECRET: crypto.randomBytes(24).toString("hex"),
  }

  // 3-5. Medusa: migrations, seed, server
  await step("Medusa database migrated (medusa db:migrate)", () =>
    medusaCommand(
      ["db:migrate", "--execute-safe-links", "--concurrency", "4"],
      env,
      path.join(logDir, "migrate.log"),
    ),
  )
  const seedFile = path.join(logDir, "store.json")
  const store = await step(
    "Store seeded: NOK region with Vipps MobilePay, warehouse, shipping option, product, admin user",
    async () => {
      await medusaCommand(
        ["exec", "scripts/demo/seed.ts"],
        {
          ...env,
          DEMO_SEED_OUTPUT: seedFile,
          DEMO_ADMIN_EMAIL: admin.email,
          DEMO_ADMIN_PASSWORD: admin.password,
        },
        path.join(logDir, "seed.log"),
      )
      return JSON.parse(fs.readFileSync(seedFile, "utf8")) as DemoStore
    },
    (s) => `${s.productTitle} at ${s.unitPrice.toFixed(2)} NOK, shipping ${s.shippingPrice.toFixed(2)} NOK`,
  )
  const serverLog = path.join(logDir, "medusa.log")
  await step(
    `Medusa started (medusa start${SERVE ? ", admin dashboard enabled" : ""})`,
    async () => {
      const server = medusa(["start", "--port", String(medusaPort)], env, serverLog)
      const exited = new Promise<never>((_, reject) =>
        server.once("exit", (code) =>
          reject(new Error(`medusa start exited (${code}):\n${tail(serverLog)}`)),
        ),
      )
      exited.catch(() => {})
      await Promise.race([
        eventually("Medusa's /health", async () => (await fetch(`${medusaUrl}/health`)).ok, 90_000),
        exited,
      ])
    },
    () => medusaUrl,
  )
  storefront.configure({
    medusaUrl,
    publishableKey: store.publishableKey,
    regionId: store.regionId,
    countryCode: store.countryCode,
    currency: store.currency,
    productTitle: store.productTitle,
    variantId: store.variantId,
    unitPrice: store.unitPrice,
    providerId: PROVIDER_ID,
  })

  // The shopper, over the store API with the publishable key
  const shop = { "x-publishable-api-key": store.publishableKey }
  const cart = await step(
    "Shopper: cart with 2 mugs, shipping address and shipping method",
    async () => {
      const { cart } = await ok(`${medusaUrl}/store/carts`, {
        headers: shop,
        body: {
          region_id: store.regionId,
          email: "shopper@example.com",
          items: [{ variant_id: store.variantId, quantity: 2 }],
        },
      })
      await ok(`${medusaUrl}/store/carts/${cart.id}`, {
        headers: shop,
        body: {
          shipping_address: {
            first_name: "Kari",
            last_name: "Nordmann",
            address_1: "Karl Johans gate 1",
            postal_code: "0154",
            city: "Oslo",
            country_code: store.countryCode,
          },
        },
      })
      const { shipping_options } = await ok(`${medusaUrl}/store/shipping-options?cart_id=${cart.id}`, {
        headers: shop,
      })
      check(shipping_options.length > 0, "no shipping option for the cart")
      const { cart: shipped } = await ok(`${medusaUrl}/store/carts/${cart.id}/shipping-methods`, {
        headers: shop,
        body: { option_id: shipping_options[0].id },
      })
      check(shipped.shipping_methods?.length === 1, "the cart has no shipping method")
      return shipped as Json
    },
    (c) => `${c.id}, total ${Number(c.total).toFixed(2)} NOK (${payButtonLabel(store.currency)})`,
  )
  const expectedMinor = Math.round(Number(cart.total) * 100)

  const session = await step(
    "Shopper: Vipps MobilePay payment session created",
    async () => {
      const { payment_collection } = await ok(`${medusaUrl}/store/payment-collections`, {
        headers: shop,
        body: { cart_id: cart.id },
      })
      const result = await ok(
        `${medusaUrl}/store/payment-collections/${payment_collection.id}/payment-sessions`,
        {
          headers: shop,
          body: { provider_id: PROVIDER_ID, data: { cart_id: cart.id } },
        },
      )
      const session = result.payment_collection.payment_sessions.find(
        (s: Json) => s.provider_id === PROVIDER_ID,
      )
      check(session?.data?.redirectUrl, "the session has no redirectUrl")
      check(
        session.data.amount.value === expectedMinor,
        `Vipps MobilePay was asked for ${session.data.amount.value} øre`,
      )
      return session.data as { reference: string; redirectUrl: string }
    },
    (s) => `reference ${s.reference}, redirect to ${new URL(s.redirectUrl).origin}`,
  )
  const reference = session.reference

  const returnUrl = await step(
    "Shopper: opens redirectUrl and presses Approve on the landing page",
    async () => {
      const location = await approveOnLandingPage(session.redirectUrl)
      check(sim.control.getPayment(reference)?.state === "AUTHORIZED", "the payment is not AUTHORIZED")
      check(
        location.startsWith(`${storefront.url}/checkout/vipps/return`),
        `unexpected return URL ${location}`,
      )
      return location
    },
    (url) => `sent back to ${new URL(url).pathname}`,
  )

  await step(
    "Vipps MobilePay → signed AUTHORIZED webhook; Medusa verifies it and creates the order",
    async () => {
      const delivery = await eventually(
        "the AUTHORIZED webhook delivery",
        async () =>
          sim.control
            .webhookDeliveries({ reference, eventName: "AUTHORIZED" })
            .find((d) => d.state === "delivered"),
        60_000,
      )
      const status = delivery.attempts.at(-1)?.status
      check(status === 200, `Medusa answered ${status} to the webhook`)
      const { cart: completed } = await ok(`${medusaUrl}/store/carts/${cart.id}?fields=id,completed_at`, {
        headers: shop,
      })
      check(completed.completed_at, "the cart is not completed after the webhook")
      return { attempts: delivery.attempts.length }
    },
    (d) => `delivered in ${d.attempts} attempt${d.attempts === 1 ? "" : "s"}, cart completed`,
  )

  const order = await step(
    "Shopper returns to the storefront, which completes the cart and gets the same order",
    async () => {
      const params = new URL(returnUrl).searchParams
      check(
        params.get("reference") === reference && params.get("cart_id") === cart.id,
        "the return URL lost its ids",
      )
      const { status, body } = await http(`${medusaUrl}/store/carts/${params.get("cart_id")}/complete`, {
        headers: shop,
        body: {},
      })
      check(status === 200 && body.type === "order", `completion answered ${status} ${body.type ?? ""}`)
      return body.order as Json
    },
    (o) => `order #${o.display_id} (${o.id}), total ${Number(o.total).toFixed(2)} NOK`,
  )

  // The merchant, over the admin API
  const auth = await step("Merchant: logs in to the admin API", async () => {
    const { token } = await ok(`${medusaUrl}/auth/user/emailpass`, { body: admin })
    return { authorization: `Bearer ${token}` }
  })
  const payment = await step(
    "Merchant: the order has one authorized Vipps MobilePay payment, and only one order exists",
    async () => {
      const { orders } = await ok(
        `${medusaUrl}/admin/orders?fields=id,display_id,*payment_collections.payments`,
        {
          headers: auth,
        },
      )
      check(
        orders.length === 1 && orders[0].id === order.id,
        `expected exactly order ${order.id}, found ${orders.length}`,
      )
      const payments = orders[0].payment_collections.flatMap((c: Json) => c.payments)
      check(
        payments.length === 1 && payments[0].provider_id === PROVIDER_ID,
        "expected one Vipps MobilePay payment",
      )
      check(payments[0].data.reference === reference, "the payment carries another reference")
      return payments[0] as Json
    },
    (p) => p.id,
  )
  await step(
    "Merchant: captures the payment in full from the admin",
    async () => {
      await ok(`${medusaUrl}/admin/payments/${payment.id}/capture`, { headers: auth, body: {} })
      const captured = sim.control.getPayment(reference)!.aggregate.captured
      check(captured === expectedMinor, `Vipps MobilePay captured ${captured} øre`)
    },
    () => `${(expectedMinor / 100).toFixed(2)} NOK captured at Vipps MobilePay`,
  )
  await step(
    `Merchant: refunds ${REFUND_AMOUNT.toFixed(2)} NOK (partial refund)`,
    async () => {
      await ok(`${medusaUrl}/admin/payments/${payment.id}/refund`, {
        headers: auth,
        body: { amount: REFUND_AMOUNT },
      })
      const refunded = sim.control.getPayment(reference)!.aggregate.refunded
      check(refunded === REFUND_AMOUNT * 100, `Vipps MobilePay refunded ${refunded} øre`)
    },
    () => `${REFUND_AMOUNT.toFixed(2)} NOK refunded at Vipps MobilePay`,
  )
  const view = await step(
    "Merchant: the order page's Vipps MobilePay panel agrees with Medusa (GET /admin/vipps/payments/:id)",
    async () => {
      await sim.control.waitForWebhookIdle({ timeoutMs: 30_000 })
      const { vipps_payment } = await ok(`${medusaUrl}/admin/vipps/payments/${payment.id}`, { headers: auth })
      check(vipps_payment.vipps?.captured.value === expectedMinor, "the panel shows another captured amount")
      check(
        vipps_payment.vipps?.refunded.value === REFUND_AMOUNT * 100,
        "the panel shows another refunded amount",
      )
      check(
        vipps_payment.discrepancies.length === 0,
        `the panel warns: ${JSON.stringify(vipps_payment.discrepancies)}`,
      )
      return vipps_payment as Json
    },
    (v) =>
      `${v.vipps.state}, captured ${v.vipps.captured.decimal}, refunded ${v.vipps.refunded.decimal} NOK, capture deadline ${v.capture_deadline ? v.capture_deadline.at.slice(0, 10) : "n/a (nothing left to capture)"}`,
  )

  console.log(`\n${bold("Vipps MobilePay event log")} for ${reference}`)
  for (const event of view.events as Json[]) {
    console.log(
      `  ${event.timestamp.replace("T", " ").slice(0, 23)}  ${event.name.padEnd(10)} ${event.amount.decimal.padStart(9)} ${event.amount.currency}  ${event.success ? "" : red("failed")}`,
    )
  }
  console.log(`\n${bold("Webhook deliveries")} to Medusa`)
  for (const delivery of sim.control.webhookDeliveries({ reference })) {
    const last = delivery.attempts.at(-1)
    console.log(
      `  ${delivery.eventName.padEnd(10)} ${delivery.state.padEnd(9)} HTTP ${last?.status ?? "-"} after ${delivery.attempts.length} attempt(s)`,
    )
  }
  const total = Date.now() - started
  console.log(`\n${green("All steps succeeded")} in ${(total / 1000).toFixed(1)}s.`)

  finished = true
  if (!SERVE) {
    cleanups.push(async () => fs.rmSync(logDir, { recursive: true, force: true }))
    return
  }

  console.log(`
${bold("Running")} (Ctrl+C to stop and drop the demo database):
  Storefront            ${storefront.url}   (${payButtonLabel(store.currency)} → simulator → back to the shop)
  Medusa store API      ${medusaUrl}/store   (publishable key ${store.publishableKey})
  Admin dashboard       ${medusaUrl}/app
    login               ${admin.email} / ${admin.password}
    the demo order      ${medusaUrl}/app/orders/${order.id}
  Vipps MobilePay sim   ${sim.url}   (payments: ${sim.url}/_simulator/payments)
  Medusa log            ${path.relative(ROOT, serverLog)}
The admin dashboard is built on first load (development mode): the first page can take a while.`)
  await new Promise<never>(() => {
    // Runs until Ctrl+C / SIGTERM (see the handlers below).
  })
}

let stopping = false
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping Medusa, the simulator and the storefront, dropping the demo database…`)
    cleanup().finally(() => process.exit(finished ? 0 : 130))
  })
}

main().then(
  async () => {
    await cleanup()
    process.exit(0)
  },
  async (error: unknown) => {
    console.error(`\n${red("Demo failed:")} ${error instanceof Error ? error.message : String(error)}`)
    if (logDirectory) console.error(`Logs: ${path.relative(ROOT, logDirectory)}/`)
    await cleanup()
    process.exit(1)
  },
)
