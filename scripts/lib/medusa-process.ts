/**
 * "A Medusa process on a fresh database", for the demo, the browser tests, the multi-instance test, the
 * soak and the bench: create (or keep) a database, migrate it, run scripts against it (`medusa exec`),
 * start `medusa start` / `medusa develop` on a port, wait for /health, stop the process group, drop the
 * database. Every step logs to a file and fails with that file's last lines.
 *
 *   const db = await freshDatabase({ name: "vipps_demo" })
 *   await migrate({ databaseUrl: db.url, logFile })
 *   const medusa = await startMedusa({ databaseUrl: db.url, env, logFile })
 *   …
 *   await medusa.stop()
 *   await db.drop()
 *
 * or, all at once, `startMedusaOnFreshDatabase({ env, logDir, beforeStart })`. The children run in their
 * own process groups; `stopAllMedusaProcesses()` ends any still running (for signal handlers).
 */
import { type ChildProcess, spawn } from "node:child_process"
import crypto from "node:crypto"
import fs from "node:fs"
import { createRequire } from "node:module"
import path from "node:path"
import { Client } from "pg"
import { freePort } from "./free-port"
import { databaseUrl, ensurePostgres, type PgServer } from "./postgres"

export const REPOSITORY_ROOT = path.resolve(__dirname, "..", "..")
const load = createRequire(__filename)
const MEDUSA_CLI = path.join(path.dirname(load.resolve("@medusajs/cli/package.json")), "cli.js")

// ── databases ─────────────────────────────────────────────────────────────────────────────────────────

export type FreshDatabase = {
  name: string
  url: string
  server: PgServer
  /** The database was there already (kept from an earlier run) and was not recreated. */
  reused: boolean
  /** Drops the database (FORCE: open connections are closed). */
  drop(): Promise<void>
  /** Stops the embedded PostgreSQL server this helper started, if any; keeps configured servers running. */
  close(): Promise<void>
}

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/

async function asAdmin<T>(server: PgServer, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...server, database: "postgres" })
  await client.connect()
  try {
    return await run(client)
  } finally {
    await client.end()
  }
}

/**
 * A database on the PostgreSQL server of the tests (scripts/lib/postgres.js: DATABASE_URL, DB_HOST… or an
 * embedded server). `name` defaults to a fresh random one; with `keep`, an existing database of that name
 * is reused as it is, otherwise it is recreated empty. With `server` (one the caller found or started
 * already), that server is used and `close` leaves it running.
 */
export async function freshDatabase(
  options: { name?: string; keep?: boolean; log?: (message: string) => void; server?: PgServer } = {},
): Promise<FreshDatabase> {
  const name = options.name ?? `medusa_${Date.now().toString(36)}_${crypto.randomBytes(3).toString("hex")}`
  if (!DATABASE_NAME.test(name)) throw new Error(`Invalid database name "${name}": use a-z, 0-9 and _`)
  const postgres = options.server
    ? { server: options.server, stop: async () => {} }
    : await ensurePostgres({ log: options.log ?? (() => {}) })
  const { server } = postgres
  const reused = await asAdmin(server, async (client) => {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])
    if (rowCount && options.keep) return true
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await client.query(`CREATE DATABASE "${name}"`)
    return false
  })
  return {
    name,
    url: databaseUrl(server, name),
    server,
    reused,
    drop: async () => {
      await asAdmin(server, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
    },
    close: () => postgres.stop(),
  }
}

// ── medusa CLI ────────────────────────────────────────────────────────────────────────────────────────

export type MedusaCommandOptions = {
  /** The Medusa app's directory (its medusa-config); the repository by default. */
  cwd?: string
  /** The whole environment of the process (include process.env yourself when wanted). */
  env: NodeJS.ProcessEnv
  /** Output of the process, appended. */
  logFile: string
}

const live = new Set<ChildProcess>()

function spawnMedusa(args: string[], { cwd = REPOSITORY_ROOT, env, logFile }: MedusaCommandOptions) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true })
  const log = fs.openSync(logFile, "a")
  // Its own process group: `stop` ends Medusa and whatever it started (the admin's esbuild, workers).
  const child = spawn(process.execPath, [MEDUSA_CLI, ...args], {
    cwd,
    env,
    stdio: ["ignore", log, log],
    detached: true,
  })
  fs.closeSync(log)
  live.add(child)
  child.once("exit", () => live.delete(child))
  return child
}

export function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n")
  } catch {
    return ""
  }
}

/** Runs a medusa CLI command to completion (`db:migrate`, `exec <script>`); rejects with the log's tail. */
export async function medusaCommand(args: string[], options: MedusaCommandOptions): Promise<void> {
  const child = spawnMedusa(args, options)
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)))
  if (code !== 0) {
    throw new Error(
      `medusa ${args[0]} failed (exit ${code}); last lines of ${options.logFile}:\n${tail(options.logFile)}`,
    )
  }
}

/** `medusa db:migrate` with the links Medusa can create safely. */
export function migrate(options: MedusaCommandOptions): Promise<void> {
  return medusaCommand(["db:migrate", "--execute-safe-links", "--concurrency", "4"], options)
}

/** Signals a child's whole process group (the child alone when it has none). */
function signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
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

/** Stops a child process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  signalGroup(child, "SIGTERM")
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs)
  await exited
  clearTimeout(timer)
}

/** Ends a child process group at once (SIGKILL): it dies wherever it is, as in a crash or an OOM kill. */
export async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  signalGroup(child, "SIGKILL")
  await exited
}

/** SIGKILL to every Medusa process this module started, synchronously (for `process.on("exit")`). */
export function killAllMedusaProcesses(): void {
  for (const child of live) if (child.pid) signalGroup(child, "SIGKILL")
}

/** Stops every Medusa process this module started (for signal handlers and test teardown). */
export async function stopAllMedusaProcesses(): Promise<void> {
  await Promise.all([...live].map((child) => stopProcess(child).catch(() => {})))
}

// ── a running server ──────────────────────────────────────────────────────────────────────────────────

export type RunningMedusa = {
  url: string
  port: number
  pid: number
  logFile: string
  stop(): Promise<void>
  /** SIGKILL at once (a crash); `stop` is the graceful end. */
  kill(): Promise<void>
}

export type StartMedusaOptions = Omit<MedusaCommandOptions, "env"> & {
  env: NodeJS.ProcessEnv
  /** Free port by default; `preferredPort` is kept when free. */
  port?: number
  preferredPort?: number
  /** The address to listen on (`--host`); every interface by default. */
  host?: string
  /** `start` (default) or `develop` (watches the source). */
  command?: "start" | "develop"
  healthTimeoutMs?: number
}

/** Starts Medusa and resolves once `/health` answers; rejects with the log's tail when it exits first. */
export async function startMedusa(options: StartMedusaOptions): Promise<RunningMedusa> {
  const port = options.port ?? (await freePort(options.preferredPort))
  const url = `http://${options.host ?? "localhost"}:${port}`
  const host = options.host ? ["--host", options.host] : []
  const child = spawnMedusa([options.command ?? "start", "--port", String(port), ...host], {
    ...options,
    env: { ...options.env, PORT: String(port) },
  })
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) =>
      reject(new Error(`medusa ${options.command ?? "start"} exited (${code}):\n${tail(options.logFile)}`)),
    ),
  )
  exited.catch(() => {})
  const stop = () => stopProcess(child)
  try {
    await Promise.race([waitForHealth(url, options.healthTimeoutMs ?? 120_000), exited])
  } catch (error) {
    await stop()
    throw error
  }
  return { url, port, pid: child.pid!, logFile: options.logFile, stop, kill: () => killProcess(child) }
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) })).ok) return
    } catch (error) {
      last = error
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`Medusa's ${url}/health did not answer within ${timeoutMs / 1000}s (${String(last)})`)
}

// ── all at once ───────────────────────────────────────────────────────────────────────────────────────

export type MedusaOnFreshDatabase = RunningMedusa & {
  database: FreshDatabase
  /** The environment the server runs with (DATABASE_URL, PORT included): for `medusa exec` alongside it. */
  env: NodeJS.ProcessEnv
  /** Stops the server, then drops the database unless it is kept. */
  stop(): Promise<void>
  /** Stops only the server; the database stays for other processes until `stop`. */
  stopServer(): Promise<void>
}

export async function startMedusaOnFreshDatabase(
  options: Omit<StartMedusaOptions, "logFile"> & {
    /** Where migrate.log and medusa.log go. */
    logDir: string
    database?: string
    /** Use the database as it is when it exists (migrations still run: they are idempotent). */
    reuseDatabase?: boolean
    /** Do not drop the database on `stop`. */
    keepDatabase?: boolean
    /** After migrating, before the server starts (e.g. seeding with `medusaCommand(["exec", …])`). */
    beforeStart?: (context: { database: FreshDatabase; env: NodeJS.ProcessEnv }) => Promise<void>
  },
): Promise<MedusaOnFreshDatabase> {
  const database = await freshDatabase({ name: options.database, keep: options.reuseDatabase })
  const finish = async () => {
    if (!options.keepDatabase) await database.drop().catch(() => {})
    await database.close()
  }
  try {
    const port = options.port ?? (await freePort(options.preferredPort))
    const env = { ...options.env, DATABASE_URL: database.url, PORT: String(port) }
    const common = { cwd: options.cwd, env }
    await migrate({ ...common, logFile: path.join(options.logDir, "migrate.log") })
    await options.beforeStart?.({ database, env })
    const server = await startMedusa({
      ...options,
      ...common,
      port,
      logFile: path.join(options.logDir, "medusa.log"),
    })
    return {
      ...server,
      database,
      env,
      stop: async () => {
        await server.stop()
        await finish()
      },
      stopServer: () => server.stop(),
    }
  } catch (error) {
    await finish()
    throw error
  }
}
