/**
 * A real multi-process Medusa store for the multi-instance test and script: a throwaway app directory
 * under `.tmp/`, its own PostgreSQL database, a Redis (REDIS_URL, else a private `redis-server`), and
 * `medusa start` processes in server / worker / shared mode, each logging to a file.
 */
import { type ChildProcess, spawn } from "node:child_process"
import fs from "node:fs"
import net from "node:net"
import path from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { freePort, freePorts } from "../../scripts/lib/free-port"
import {
  killAllMedusaProcesses,
  medusaCommand,
  REPOSITORY_ROOT,
  startMedusa,
  type RunningMedusa,
} from "../../scripts/lib/medusa-process"
import { poll } from "../helpers/poll"
import type { SeededStore } from "../helpers/store"

const storeConfig = path.join(__dirname, "store-config.ts")

/** The store's one registration (store-config.ts, id "vipps"). */
export const PROVIDER_ID = "pp_vipps_vipps"
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
  killAllMedusaProcesses()
})

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
  const dir = path.join(REPOSITORY_ROOT, ".tmp", `multi-instance-${label}-${process.pid}`)
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
  fs.symlinkSync(path.join(REPOSITORY_ROOT, "src"), path.join(dir, "src"), "dir")
  return dir
}

/** One `medusa start` process in a worker mode; its output goes to `<dir>/<name>.log`. */
export class MedusaProcess {
  private running?: RunningMedusa

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

  /** Starts the process and resolves once it answers GET /health (again after `kill`). */
  async start(healthTimeoutMs: number): Promise<void> {
    this.running = await startMedusa({
      cwd: this.dir,
      env: { ...this.env, MEDUSA_WORKER_MODE: this.mode },
      port: this.port,
      host: "127.0.0.1",
      logFile: this.logFile,
      healthTimeoutMs,
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

  /** SIGKILL at once: the process dies wherever it is, as in a crash or an OOM kill. */
  async kill(): Promise<void> {
    await this.running?.kill()
  }

  /** SIGTERM (Medusa shuts down gracefully), SIGKILL after the grace period. */
  async stop(): Promise<void> {
    await this.running?.stop()
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
  const oneOff = { cwd: dir, env: { ...env, MEDUSA_WORKER_MODE: "server" } }
  // --skip-scripts: Medusa's migration scripts convert existing data; a new database has none (saves ~10 s).
  await medusaCommand(["db:migrate", "--execute-safe-links", "--skip-scripts"], {
    ...oneOff,
    logFile: path.join(dir, "migrate.log"),
  })
  const seedLog = path.join(dir, "seed.log")
  await medusaCommand(["exec", path.join(__dirname, "seed.ts")], { ...oneOff, logFile: seedLog })
  const line = /SEEDED (\{.*\})/.exec(fs.readFileSync(seedLog, "utf8"))
  if (!line) throw new Error(`seed printed no result; see ${seedLog}`)
  return JSON.parse(line[1]) as SeededStore
}
