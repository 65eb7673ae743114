/**
 * A real multi-process Medusa store for the multi-instance test and script: a throwaway app directory
 * under `.tmp/`, its own PostgreSQL database, a Redis (REDIS_URL, else a private `redis-server`), and
 * `medusa start` processes in server / worker / shared mode, each logging to a file.
 */
import { ChildProcess, execFile, spawn } from "node:child_process"
import fs from "node:fs"
import net from "node:net"
import path from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { freePort, freePorts } from "../../scripts/lib/free-port"
import { poll } from "../helpers/poll"
import axios from "axios"
import { Client } from "pg"
import type { SeededStore } from "../helpers/store"

export const root = path.resolve(__dirname, "../..")
const medusaCli = path.join(root, "node_modules/@medusajs/cli/cli.js")
const storeConfig = path.join(__dirname, "store-config.ts")

export type DbServer = { host: string; port: number; user: string; password: string }
export type WorkerMode = "server" | "worker" | "shared"
/**
 * redis: Redis event bus, workflow engine and locking (the multi-instance setup);
 * redis-local-locking: the same without the locking module (in-memory locks per process);
 * memory: Medusa's in-memory defaults everywhere.
 */
export type ModuleSet = "redis" | "redis-local-locking" | "memory"

/** Children still running when this process exits are killed (a crashed test must not leave servers). */
const live = new Set<ChildProcess>()
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL")
})

/** The PostgreSQL server scripts/test.js selected (DB_* variables), else the local default. */
export function dbServerFromEnv(env: NodeJS.ProcessEnv = process.env): DbServer {
  return {
    host: env.DB_HOST || "127.0.0.1",
    port: Number(env.DB_PORT || 5432),
    user: env.DB_USERNAME || "postgres",
    password: env.DB_PASSWORD || "",
  }
}

export function databaseUrl(server: DbServer, database: string): string {
  const auth = server.password
    ? `${encodeURIComponent(server.user)}:${encodeURIComponent(server.password)}`
    : encodeURIComponent(server.user)
  return `postgres://${auth}@${server.host}:${server.port}/${database}`
}

async function admin<T>(server: DbServer, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...server, database: "postgres" })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

export async function createDatabase(server: DbServer, name: string): Promise<void> {
  await admin(server, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await client.query(`CREATE DATABASE "${name}"`)
  })
}

export async function dropDatabase(server: DbServer, name: string): Promise<void> {
  await admin(server, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
}

export { freePort, freePorts }

export { poll } from "../helpers/poll"

function redisPing(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.on("error", () => done(false))
    socket.on("connect", () => socket.write("PING\r\n"))
    socket.on("data", (data) => done(data.toString().startsWith("+PONG")))
  })
}

export type RunningRedis = { url: string; owned: boolean; stop(): Promise<void> }

/** REDIS_URL when set (e.g. CI's Redis), else a private redis-server on a free port without persistence. */
export async function startRedis(): Promise<RunningRedis> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, owned: false, stop: async () => {} }
  const port = await freePort()
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  )
  live.add(child)
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      live.delete(child)
      resolve()
    }),
  )
  const failed = new Promise<never>((_, reject) =>
    child.once("error", (error) => reject(new Error(`cannot start redis-server: ${error.message}`))),
  )
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
    await Promise.race([exited, sleep(5000, undefined, { ref: false })])
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL")
  }
  try {
    await Promise.race([failed, poll("redis-server answering PING", () => redisPing(port), 10_000, 50)])
  } catch (error) {
    await stop()
    throw error
  }
  return { url: `redis://127.0.0.1:${port}`, owned: true, stop }
}

/**
 * The throwaway store: package.json (the medusa CLI only runs where @medusajs/medusa is a dependency),
 * medusa-config.js re-exporting store-config.ts, and `src` linked to the plugin's source. It lives under
 * the repository's `.tmp/`, so Medusa and the plugin's dependencies resolve from the repository.
 */
export function createStoreDir(label: string): string {
  const dir = path.join(root, ".tmp", `multi-instance-${label}-${process.pid}`)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify(
      { name: `multi-instance-${label}`, private: true, dependencies: { "@medusajs/medusa": "2.21.2" } },
      null,
      2,
    ),
  )
  fs.writeFileSync(
    path.join(dir, "medusa-config.js"),
    `module.exports = require(${JSON.stringify(storeConfig)})\n`,
  )
  fs.symlinkSync(path.join(root, "src"), path.join(dir, "src"), "dir")
  return dir
}

/** Runs a medusa CLI command to completion (db:migrate, exec); rejects with the output's tail. */
export function medusa(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 180_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [medusaCli, ...args],
      { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `medusa ${args.join(" ")} failed: ${error.message}\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`,
            ),
          )
        else resolve(stdout)
      },
    )
  })
}

/** One `medusa start` process; stdout and stderr go to `<dir>/<name>.log`. */
export class MedusaProcess {
  private child?: ChildProcess
  private exit?: Promise<void>

  constructor(
    readonly name: string,
    readonly mode: WorkerMode,
    readonly port: number,
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  get logFile(): string {
    return path.join(this.dir, `${this.name}.log`)
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  start(): void {
    const fd = fs.openSync(this.logFile, "a")
    try {
      this.child = spawn(process.execPath, [medusaCli, "start", "-p", String(this.port), "-H", "127.0.0.1"], {
        cwd: this.dir,
        env: { ...this.env, MEDUSA_WORKER_MODE: this.mode },
        stdio: ["ignore", fd, fd],
      })
    } finally {
      fs.closeSync(fd)
    }
    const child = this.child
    live.add(child)
    this.exit = new Promise((resolve) =>
      child.once("exit", () => {
        live.delete(child)
        resolve()
      }),
    )
  }

  running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null
  }

  async waitHealthy(timeoutMs: number): Promise<void> {
    await poll(
      `${this.name} (${this.mode}) answering GET /health`,
      async () => {
        if (!this.running()) {
          throw new Error(`${this.name} exited (${this.child?.exitCode ?? this.child?.signalCode})`)
        }
        const response = await axios.get(`${this.url}/health`, { timeout: 2000, validateStatus: () => true })
        return response.status === 200
      },
      timeoutMs,
      250,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- ${this.name} log ---\n${this.tail()}`)
    })
  }

  log(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, "utf8") : ""
  }

  /** JSON log lines (Medusa logs JSON when NODE_ENV is not development). */
  entries(): { level?: string; message?: string; timestamp?: string }[] {
    return this.log()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .flatMap((line) => {
        try {
          return [JSON.parse(line)]
        } catch {
          return []
        }
      })
  }

  tail(lines = 40): string {
    return this.log().split("\n").slice(-lines).join("\n")
  }

  /** SIGKILL at once: the process dies wherever it is, as in a crash or an OOM kill. */
  async kill(): Promise<void> {
    if (!this.child || !this.running()) return
    this.child.kill("SIGKILL")
    await Promise.race([this.exit, sleep(5000, undefined, { ref: false })])
  }

  /** SIGTERM (Medusa shuts down gracefully), SIGKILL after the grace period. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child
    if (!child || !this.running()) return
    child.kill("SIGTERM")
    await Promise.race([this.exit, sleep(graceMs, undefined, { ref: false })])
    if (this.running()) {
      child.kill("SIGKILL")
      await Promise.race([this.exit, sleep(5000, undefined, { ref: false })])
    }
  }
}

export type StoreEnvInput = {
  databaseUrl: string
  modules: ModuleSet
  redisUrl?: string
  simulatorUrl: string
  reconcileSchedule: string
  reconcileAfterSeconds: number
}

/**
 * The environment of the store's processes: nothing from this process's environment but PATH and HOME (no
 * NODE_ENV=test from jest, no stray DATABASE_URL). The webhook secret is added once it is registered.
 */
export function storeEnv(input: StoreEnvInput): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    MEDUSA_DISABLE_TELEMETRY: "true",
    DATABASE_URL: input.databaseUrl,
    MULTI_INSTANCE_MODULES: input.modules,
    MULTI_INSTANCE_REDIS_PREFIX: `mi${process.pid}`,
    VIPPS_API_BASE_URL: input.simulatorUrl,
    VIPPS_RECONCILE_SCHEDULE: input.reconcileSchedule,
    VIPPS_RECONCILE_AFTER_SECONDS: String(input.reconcileAfterSeconds),
  }
  if (input.redisUrl) env.REDIS_URL = input.redisUrl
  return env
}

/** Migrates the database, then seeds it through Medusa's workflows with `medusa exec seed.ts`. */
export async function migrateAndSeed(dir: string, env: NodeJS.ProcessEnv): Promise<SeededStore> {
  // server mode: these one-off processes never consume queued events or run scheduled jobs.
  const oneOff = { ...env, MEDUSA_WORKER_MODE: "server" }
  // --skip-scripts: Medusa's migration scripts convert existing data; a new database has none (saves ~10 s).
  await medusa(["db:migrate", "--execute-safe-links", "--skip-scripts"], dir, oneOff)
  const output = await medusa(["exec", path.join(__dirname, "seed.ts")], dir, oneOff)
  const line = /SEEDED (\{.*\})/.exec(output)
  if (!line) throw new Error(`seed printed no result:\n${output.slice(-3000)}`)
  return JSON.parse(line[1]) as SeededStore
}
