/**
 * `npm run compat [-- --versions 2.15.5,2.21.2] [--admin] [--no-build] [--keep]`: installs the packed plugin into
 * throwaway stores on the given Medusa versions and runs a checkout on each, as a merchant's store would:
 *
 *   npm run build + npm pack → `npm install` of the tarball next to @medusajs/medusa@<version> (no
 *   --legacy-peer-deps: a peer range that excludes the version fails here with ERESOLVE) → db:migrate →
 *   seed (the store's own core-flows) → `medusa start` → three checkouts over HTTP (cart → Vipps MobilePay
 *   session → approval on the simulator's landing page → signed webhook delivered → cart completed →
 *   order): one captured in two parts and partly refunded from the admin API, one captured in the Vipps
 *   MobilePay portal (Medusa records it from the webhook), one captured at authorization (`autoCapture`)
 *   with the storefront completing the cart while the webhook is handled;
 *   each checked against the simulator's ledger and Medusa's captures and refunds. With --admin the store
 *   also builds its admin dashboard (`medusa build --admin-only`), which bundles the plugin's widget
 *   against the store's own @medusajs/ui and admin SDK.
 *
 * Each store lives in ~/.cache/medusa-vipps-compat/<version> (COMPAT_CACHE_DIR overrides the parent):
 * its package.json, lockfile and node_modules are kept, so a repeat run only swaps the plugin tarball.
 * The default versions are the oldest supported minor (the floor of the peer dependency ranges) and the
 * version the plugin is developed against. Prints a table and exits 1 when any version fails.
 *
 * PostgreSQL: as the tests (scripts/lib/postgres.js). Each version gets a fresh database, dropped afterwards.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import fs from "node:fs"
import { createRequire } from "node:module"
import net from "node:net"
import os from "node:os"
import path from "node:path"
import { parseArgs } from "node:util"
import axios, { type AxiosInstance } from "axios"
import { Client } from "pg"
import { answerOnLandingPage } from "../../integration-tests/helpers/shopper"
import { poll } from "../../integration-tests/helpers/poll"
import { VippsClient } from "../../src/lib/vipps/client"
import { EPAYMENT_WEBHOOK_EVENTS } from "../../src/lib/vipps/schemas"
import { startSimulator, type RunningSimulator } from "../../src/simulator"

type PgServer = { host: string; port: number; user: string; password: string }
type PostgresLib = {
  ensurePostgres(options?: {
    log?: (message: string) => void
  }): Promise<{ server: PgServer; stop(): Promise<void> }>
  databaseUrl(server: PgServer, database: string): string
}

const ROOT = path.resolve(__dirname, "..", "..")
const load = createRequire(__filename)
const { ensurePostgres, databaseUrl } = load("../lib/postgres.js") as PostgresLib
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  name: string
  dependencies: Record<string, string>
  peerDependencies: Record<string, string>
  peerDependenciesMeta: Record<string, unknown>
  devDependencies: Record<string, string>
}

/**
 * The newest patch of the minor the peer ranges start at (2.15.0 has no @medusajs/admin-sdk release and
 * 2.15.2's @medusajs/icons asks for React 19, so no store installs on either), and the version in
 * devDependencies.
 */
const DEFAULT_VERSIONS = ["2.15.5", PKG.devDependencies["@medusajs/medusa"]]
/** What a store made by create-medusa-app depends on; the plugin's other peers come with them. */
const STORE_PACKAGES = ["@medusajs/admin-sdk", "@medusajs/cli", "@medusajs/framework", "@medusajs/medusa"]
const TARBALL = `${PKG.name}.tgz`
const SALES_UNIT = {
  clientId: "sim-client-id",
  clientSecret: "sim-client-secret",
  subscriptionKey: "sim-subscription-key",
  msn: "123456",
  currencies: ["NOK" as const],
  name: "Compat Store",
}

const { values: args } = parseArgs({
  options: {
    versions: { type: "string" },
    "no-build": { type: "boolean", default: false },
    admin: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
})
const versions = args.versions ? args.versions.split(",").map((v) => v.trim()) : DEFAULT_VERSIONS
const cacheRoot = process.env.COMPAT_CACHE_DIR ?? path.join(os.homedir(), ".cache", "medusa-vipps-compat")

type Outcome = { version: string; install: string; checkout: string; seconds: number; log: string }

// ── processes ─────────────────────────────────────────────────────────────────────────────────────────

const children = new Set<ChildProcess>()
process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL")
})

/** Runs a command to completion with its output appended to `logFile`; rejects with the output's tail. */
function run(
  cmd: string,
  argv: string[],
  cwd: string,
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
) {
  fs.appendFileSync(logFile, `\n$ ${cmd} ${argv.join(" ")}\n`)
  const result = spawnSync(cmd, argv, { cwd, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 })
  fs.appendFileSync(logFile, `${result.stdout ?? ""}${result.stderr ?? ""}`)
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}\n${result.stderr ?? ""}`
    throw Object.assign(new Error(`${cmd} ${argv.join(" ")} failed (exit ${result.status})`), { output })
  }
  return result.stdout
}

function tail(text: string, lines = 25): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n")
}

/** The first error a Medusa command logged (its JSON log lines), else the output's last line. */
function firstError(output: string): string {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{") || !line.includes('"level":"error"')) continue
    try {
      return String(JSON.parse(line).message).slice(0, 240)
    } catch {
      // not a log line
    }
  }
  return tail(output, 1).slice(0, 240)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** `medusa start` of the store; resolves once /health answers, with a stop function. */
async function startMedusa(dir: string, env: NodeJS.ProcessEnv, port: number, logFile: string) {
  const fd = fs.openSync(logFile, "a")
  const child = spawn(
    process.execPath,
    [path.join(dir, "node_modules/@medusajs/cli/cli.js"), "start", "-p", String(port), "-H", "127.0.0.1"],
    { cwd: dir, env, stdio: ["ignore", fd, fd] },
  )
  fs.closeSync(fd)
  children.add(child)
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  child.once("exit", () => children.delete(child))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill("SIGTERM")
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000)
    await exited
    clearTimeout(timer)
  }
  try {
    await poll(
      "medusa start answering /health",
      async () => {
        if (child.exitCode !== null) throw new Error(`medusa start exited (${child.exitCode})`)
        const res = await axios.get(`http://127.0.0.1:${port}/health`, {
          timeout: 2000,
          validateStatus: () => true,
        })
        return res.status === 200
      },
      180_000,
      500,
    )
  } catch (error) {
    await stop()
    throw error
  }
  return { url: `http://127.0.0.1:${port}`, stop }
}

async function withAdminDb<T>(server: PgServer, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...server, database: "postgres" })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

// ── the package and the store ─────────────────────────────────────────────────────────────────────────

function packPlugin(logFile: string): string {
  if (!args["no-build"]) run("npm", ["run", "build"], ROOT, logFile)
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), "vipps-compat-pack-"))
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dest], ROOT, logFile))[0]
  return path.join(dest, packed.filename)
}

/**
 * Writes the store (package.json naming Medusa <version> and the tarball, medusa-config.js, seed.js) and
 * installs it. A cached lockfile keeps every other package; the plugin's entry is dropped so that npm
 * resolves the new tarball and checks its peer ranges again.
 */
function installStore(dir: string, version: string, tarball: string, logFile: string): void {
  fs.mkdirSync(dir, { recursive: true })
  fs.copyFileSync(tarball, path.join(dir, TARBALL))
  for (const file of ["medusa-config.js", "seed.js"]) {
    fs.copyFileSync(path.join(__dirname, "store", file), path.join(dir, file))
  }
  const dependencies: Record<string, string> = Object.fromEntries(
    STORE_PACKAGES.map((name) => [name, version]),
  )
  dependencies[PKG.name] = `file:./${TARBALL}`
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: `vipps-compat-store-${version}`, private: true, dependencies }, null, 2),
  )
  // The cached tree is only reused while the plugin's dependencies and the set of its peers are unchanged:
  // npm chose the store's other packages (e.g. @medusajs/ui) with them in view. A changed peer range needs
  // no new tree: npm checks it again when it re-adds the plugin (ERESOLVE).
  const key = JSON.stringify([
    PKG.dependencies,
    Object.keys(PKG.peerDependencies).sort(),
    PKG.peerDependenciesMeta,
    STORE_PACKAGES,
  ])
  const keyFile = path.join(dir, "cache-key.json")
  const lockFile = path.join(dir, "package-lock.json")
  if (!fs.existsSync(keyFile) || fs.readFileSync(keyFile, "utf8") !== key) {
    fs.rmSync(lockFile, { force: true })
    fs.rmSync(path.join(dir, "node_modules"), { recursive: true, force: true })
  }
  if (fs.existsSync(lockFile)) {
    const lock = JSON.parse(fs.readFileSync(lockFile, "utf8"))
    delete lock.packages?.[`node_modules/${PKG.name}`]
    fs.writeFileSync(lockFile, JSON.stringify(lock, null, 2))
  }
  fs.rmSync(path.join(dir, "node_modules", PKG.name), { recursive: true, force: true })
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], dir, logFile)
  fs.writeFileSync(keyFile, key)
  const installed = JSON.parse(
    fs.readFileSync(path.join(dir, "node_modules/@medusajs/medusa/package.json"), "utf8"),
  )
  if (installed.version !== version)
    throw new Error(`installed @medusajs/medusa ${installed.version}, not ${version}`)
}

/** What failed during the install, in a few words. */
function installFailure(error: unknown): string {
  const output = (error as { output?: string }).output ?? String(error)
  if (/ERESOLVE/.test(output)) {
    const conflict = /Could not resolve dependency:\s*\n(?:npm error )?(peer [^\n]+)/.exec(output)
    return `ERESOLVE${conflict ? `: ${conflict[1]}` : ""}`
  }
  return tail(output, 1).slice(0, 240)
}

async function registerWebhook(sim: RunningSimulator, url: string): Promise<string> {
  const client = new VippsClient({
    clientId: SALES_UNIT.clientId,
    clientSecret: SALES_UNIT.clientSecret,
    subscriptionKey: SALES_UNIT.subscriptionKey,
    merchantSerialNumber: SALES_UNIT.msn,
    baseUrl: sim.url,
    systemInfo: { systemName: "compat", systemVersion: "0", pluginName: "compat", pluginVersion: "0" },
  })
  const { secret } = await client.webhooks.register({ url, events: [...EPAYMENT_WEBHOOK_EVENTS] })
  return secret
}

/** The store's admin dashboard, built with the plugin's widget in it. */
function buildDashboard(dir: string, cli: string, env: NodeJS.ProcessEnv, logFile: string): string {
  const out = path.join(dir, ".medusa")
  fs.rmSync(out, { recursive: true, force: true })
  run(process.execPath, [cli, "build", "--admin-only"], dir, logFile, { ...env, COMPAT_ADMIN: "true" })
  const assets = fs
    .readdirSync(out, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".js"))
    .map((file) => path.join(out, file))
  check(assets.length > 0, "medusa build --admin-only wrote no JavaScript")
  check(
    assets.some((file) => fs.readFileSync(file, "utf8").includes("/admin/vipps/payments/")),
    "the admin build does not contain the plugin's widget",
  )
  return "admin dashboard built with the widget"
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

// ── the checkout ──────────────────────────────────────────────────────────────────────────────────────

type Seeded = {
  publishableKey: string
  salesChannelId: string
  regionId: string
  variantId: string
  admin: { email: string; password: string }
}

type Http = {
  api: AxiosInstance
  sim: RunningSimulator
  seeded: Seeded
  store: { headers: Record<string, string> }
}

/** cart → Vipps MobilePay session → approval on the landing page → AUTHORIZED webhook → order. */
async function checkoutToOrder(
  { api, sim, seeded, store }: Http,
  providerId = "pp_vipps_vipps",
  order: "webhook first" | "racing the webhook" = "webhook first",
): Promise<{ orderId: string; reference: string }> {
  const { data: cartBody } = await api.post(
    "/store/carts",
    {
      region_id: seeded.regionId,
      sales_channel_id: seeded.salesChannelId,
      email: "shopper@example.com",
      items: [{ variant_id: seeded.variantId, quantity: 2 }],
    },
    store,
  )
  const cart = cartBody.cart
  check(cart.total === 499, `cart total ${cart.total}, expected 499`)
  const { data: pc } = await api.post("/store/payment-collections", { cart_id: cart.id }, store)
  const { data: withSession } = await api.post(
    `/store/payment-collections/${pc.payment_collection.id}/payment-sessions`,
    { provider_id: providerId, data: { cart_id: cart.id } },
    store,
  )
  const session = withSession.payment_collection.payment_sessions.find(
    (s: { provider_id: string }) => s.provider_id === providerId,
  )
  const reference: string = session.data.reference
  check(session.data.redirectUrl, "the session has no redirectUrl")
  await answerOnLandingPage(session.data.redirectUrl, "approve")
  // The shopper's return either after the webhook was handled, or at the same moment.
  if (order === "webhook first") await delivered(sim, reference, "AUTHORIZED", providerId)
  const completed = await api.post(
    `/store/carts/${cart.id}/complete`,
    {},
    { ...store, validateStatus: () => true },
  )
  check(
    completed.status === 200 && completed.data.type === "order",
    `complete: ${completed.status} ${JSON.stringify(completed.data).slice(0, 300)}`,
  )
  return { orderId: completed.data.order.id, reference }
}

/**
 * The store answered the simulator's webhook of this event with 2xx at the URL of the payment's
 * registration (every registration of the sales unit receives every event; the others ignore it).
 */
function delivered(
  sim: RunningSimulator,
  reference: string,
  eventName: string,
  providerId = "pp_vipps_vipps",
) {
  const path = `/hooks/vipps/${providerId.slice("pp_vipps_".length)}`
  return poll(
    `the ${eventName} webhook delivered to ${path}`,
    () =>
      sim.control
        .webhookDeliveries({ reference })
        .some(
          (d) => d.eventName === eventName && d.state === "delivered" && new URL(d.url).pathname === path,
        ),
    30_000,
  )
}

/**
 * Three orders: the first captured in two parts and partly refunded from the admin API (capture and refund
 * workflows calling the provider); the second captured in the Vipps MobilePay portal, which Medusa must
 * record from the CAPTURED webhook without calling the provider again (`is_captured`); the third through
 * the registration that captures at authorization, the storefront completing the cart while the webhook
 * is handled (Medusa records that capture, Vipps captures once).
 */
async function checkout(http: Http): Promise<string> {
  const { api, sim, seeded } = http
  const { data: login } = await api.post("/auth/user/emailpass", seeded.admin)
  const admin = { headers: { authorization: `Bearer ${login.token}` } }
  const payment = async (orderId: string) => {
    const { data } = await api.get(
      `/admin/orders/${orderId}?fields=id,payment_collections.payments.*,payment_collections.payments.captures.*,payment_collections.payments.refunds.*`,
      admin,
    )
    return data.order.payment_collections[0].payments[0]
  }
  const sum = (rows: { amount: number }[]) => rows.reduce((total, row) => total + Number(row.amount), 0)
  const ledger = (reference: string) => JSON.stringify(sim.control.getPayment(reference)?.aggregate)

  const first = await checkoutToOrder(http)
  const paymentId: string = (await payment(first.orderId)).id
  await api.post(`/admin/payments/${paymentId}/capture`, { amount: 200 }, admin)
  await api.post(`/admin/payments/${paymentId}/capture`, { amount: 299 }, admin)
  await api.post(`/admin/payments/${paymentId}/refund`, { amount: 100 }, admin)
  const expected = JSON.stringify({ authorized: 49900, captured: 49900, refunded: 10000, cancelled: 0 })
  check(
    ledger(first.reference) === expected,
    `Vipps MobilePay: ${ledger(first.reference)}, expected ${expected}`,
  )
  const medusa = await payment(first.orderId)
  check(
    sum(medusa.captures) === 499 && sum(medusa.refunds) === 100,
    `Medusa captures ${sum(medusa.captures)} / refunds ${sum(medusa.refunds)}, expected 499 / 100`,
  )

  const second = await checkoutToOrder(http)
  sim.control.capture(second.reference, 15_000)
  await delivered(sim, second.reference, "CAPTURED")
  const recorded = await poll(
    "the portal capture recorded in Medusa",
    async () => {
      const row = await payment(second.orderId)
      return sum(row.captures) === 150 && row
    },
    30_000,
  )
  const portal = JSON.stringify({ authorized: 49900, captured: 15000, refunded: 0, cancelled: 0 })
  check(
    ledger(second.reference) === portal,
    `Vipps MobilePay: ${ledger(second.reference)}, expected ${portal}`,
  )
  check(recorded.captures.length === 1, `Medusa recorded ${recorded.captures.length} captures, expected 1`)

  const third = await checkoutToOrder(http, "pp_vipps_direct", "racing the webhook")
  const autoCaptured = await poll(
    "the capture at authorization recorded in Medusa",
    async () => {
      const row = await payment(third.orderId)
      return sum(row.captures) === 499 && row
    },
    30_000,
  )
  const direct = JSON.stringify({ authorized: 49900, captured: 49900, refunded: 0, cancelled: 0 })
  check(ledger(third.reference) === direct, `Vipps MobilePay: ${ledger(third.reference)}, expected ${direct}`)
  check(
    autoCaptured.captures.length === 1,
    `Medusa recorded ${autoCaptured.captures.length} captures, expected 1`,
  )
  return "3 orders: admin capture 200 + 299 and refund 100 NOK; portal capture recorded; capture at authorization"
}

async function runVersion(version: string, tarball: string, pg: PgServer): Promise<Outcome> {
  const started = Date.now()
  const dir = path.join(cacheRoot, version)
  fs.mkdirSync(dir, { recursive: true })
  const logFile = path.join(dir, "compat.log")
  fs.writeFileSync(logFile, `compat run ${new Date().toISOString()}\n`)
  const outcome = (install: string, result: string): Outcome => ({
    version,
    install,
    checkout: result,
    seconds: Math.round((Date.now() - started) / 1000),
    log: logFile,
  })

  try {
    installStore(dir, version, tarball, logFile)
  } catch (error) {
    return outcome(`fails: ${installFailure(error)}`, "not run")
  }

  const database = `vipps_compat_${version.replace(/\W/g, "_")}_${process.pid}`
  const sim = await startSimulator({
    merchants: [SALES_UNIT],
    webhookRetry: { attempts: 3, baseDelayMs: 100 },
  })
  let medusa: { url: string; stop(): Promise<void> } | undefined
  try {
    await withAdminDb(pg, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
      await client.query(`CREATE DATABASE "${database}"`)
    })
    const port = await freePort()
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      LOG_LEVEL: process.env.COMPAT_LOG_LEVEL ?? "info",
      MEDUSA_DISABLE_TELEMETRY: "true",
      DATABASE_URL: databaseUrl(pg, database),
      VIPPS_API_BASE_URL: sim.url,
      VIPPS_WEBHOOK_SECRET: await registerWebhook(sim, `http://127.0.0.1:${port}/hooks/vipps/vipps`),
      DIRECT_WEBHOOK_SECRET: await registerWebhook(sim, `http://127.0.0.1:${port}/hooks/vipps/direct`),
    }
    const cli = path.join(dir, "node_modules/@medusajs/cli/cli.js")
    run(process.execPath, [cli, "db:migrate", "--execute-safe-links", "--skip-scripts"], dir, logFile, env)
    const seededLine = /SEEDED (\{.*\})/.exec(
      run(process.execPath, [cli, "exec", "./seed.js"], dir, logFile, env),
    )
    check(seededLine, "seed.js printed no result")
    const dashboard = args.admin ? `; ${buildDashboard(dir, cli, env, logFile)}` : ""
    medusa = await startMedusa(dir, env, port, logFile)
    const api = axios.create({ baseURL: medusa.url, timeout: 60_000 })
    const seeded = JSON.parse(seededLine[1]) as Seeded
    const store = { headers: { "x-publishable-api-key": seeded.publishableKey } }
    return outcome("ok", `ok (${await checkout({ api, sim, seeded, store })}${dashboard})`)
  } catch (error) {
    const output = (error as { output?: string }).output
    fs.appendFileSync(logFile, `\nFAILED: ${String(error)}\n${(error as Error).stack ?? ""}\n`)
    const detail = axios.isAxiosError(error)
      ? `${error.config?.method?.toUpperCase()} ${error.config?.url} → ${error.response?.status} ${JSON.stringify(error.response?.data).slice(0, 300)}`
      : `${(error as Error).message.split(" failed")[0].replace(/^\S*\/cli\.js /, "medusa ")}${output ? `: ${firstError(output)}` : ""}`
    return outcome("ok", `fails: ${detail}`)
  } finally {
    await medusa?.stop()
    await sim.stop()
    if (!args.keep) {
      await withAdminDb(pg, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
      ).catch(() => {})
    }
  }
}

async function main(): Promise<number> {
  const floor = /^\^?(\d+\.\d+)/.exec(PKG.peerDependencies["@medusajs/framework"])?.[1]
  if (!args.versions && floor && !DEFAULT_VERSIONS[0].startsWith(`${floor}.`)) {
    throw new Error(
      `the oldest tested version ${DEFAULT_VERSIONS[0]} is not on the minor the peer ranges start at (${floor})`,
    )
  }
  fs.mkdirSync(cacheRoot, { recursive: true })
  const packLog = path.join(cacheRoot, "pack.log")
  fs.writeFileSync(packLog, "")
  console.log(`Packing ${PKG.name} (log: ${packLog})`)
  const tarball = packPlugin(packLog)
  const postgres = await ensurePostgres({ log: (message) => console.log(message) })
  const outcomes: Outcome[] = []
  try {
    for (const version of versions) {
      console.log(
        `Medusa ${version}: install, migrate, seed, start, checkout (store: ${path.join(cacheRoot, version)})`,
      )
      const outcome = await runVersion(version, tarball, postgres.server)
      console.log(
        `  install: ${outcome.install}\n  checkout: ${outcome.checkout}\n  ${outcome.seconds}s, log ${outcome.log}`,
      )
      outcomes.push(outcome)
    }
  } finally {
    await postgres.stop()
    fs.rmSync(path.dirname(tarball), { recursive: true, force: true })
  }
  const date = new Date().toISOString().slice(0, 10)
  console.log("\n| Medusa | Install | Checkout, capture, refund | Date |\n| --- | --- | --- | --- |")
  for (const o of outcomes) {
    const cell = (s: string) => (s.startsWith("ok") ? "passes" : s.replace(/\|/g, "\\|"))
    console.log(`| ${o.version} | ${cell(o.install)} | ${cell(o.checkout)} | ${date} |`)
  }
  return outcomes.every((o) => o.install === "ok" && o.checkout.startsWith("ok")) ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error)
    process.exit(1)
  },
)
