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
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { parseArgs } from "node:util"
import axios from "axios"
import { startSimulator } from "../../src/simulator"
import { freePort } from "../lib/free-port"
import { freshDatabase, type FreshDatabase } from "../lib/medusa-process"
import { ensurePostgres, type PgServer } from "../lib/postgres"
import { checkout, registerWebhook, SALES_UNIT, type Seeded } from "./checkout"
import {
  buildDashboard,
  check,
  firstError,
  installFailure,
  installStore,
  packPlugin,
  PKG,
  run,
  startMedusa,
} from "./store"

/**
 * The newest patch of the minor the peer ranges start at (2.15.0 has no @medusajs/admin-sdk release and
 * 2.15.2's @medusajs/icons asks for React 19, so no store installs on either), and the version in
 * devDependencies.
 */
const DEFAULT_VERSIONS = ["2.15.5", PKG.devDependencies["@medusajs/medusa"]]

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
  let db: FreshDatabase | undefined
  try {
    db = await freshDatabase({ name: database, server: pg })
    const port = await freePort()
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      LOG_LEVEL: process.env.COMPAT_LOG_LEVEL ?? "info",
      MEDUSA_DISABLE_TELEMETRY: "true",
      DATABASE_URL: db.url,
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
    if (!args.keep) await db?.drop().catch(() => {})
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
  const tarball = packPlugin(packLog, !args["no-build"])
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
