import { fork, type ChildProcess } from "node:child_process"
import path from "node:path"
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../src/simulator"
import type { OperationName } from "../../src/simulator/types"

/**
 * The simulator either in this process or in a child process (so its CPU work and garbage collection do
 * not share the event loop with the client being measured). Both expose the few control operations the
 * benchmarks need; the child is driven over IPC, never over the HTTP API being measured.
 */

export type SimMode = "child" | "inproc"

export type SimHandle = {
  mode: SimMode
  url: string
  approve(reference: string): Promise<void>
  /** Requests the simulator answered (or cut) for an operation since the last reset. */
  count(operation: OperationName): Promise<number>
  /** Forget payments and logs (tokens stay valid). */
  reset(): Promise<void>
  stop(): Promise<void>
}

type ChildCall =
  { op: "approve"; reference: string } | { op: "count"; operation: OperationName } | { op: "reset" }
export type ChildRequest = ChildCall & { id: number }
export type ChildReply = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: string }

/** Only what a child can receive over IPC (no functions). */
export type SimProcessOptions = Pick<
  SimulatorOptions,
  "merchants" | "tokenLifetimeSeconds" | "requestLogLimit" | "expirySweepMs" | "webhookRetry"
>

export async function startSim(mode: SimMode, options: SimProcessOptions = {}): Promise<SimHandle> {
  return mode === "inproc" ? inProcess(options) : childProcess(options)
}

async function inProcess(options: SimProcessOptions): Promise<SimHandle> {
  const sim: RunningSimulator = await startSimulator(options)
  return {
    mode: "inproc",
    url: sim.url,
    approve: async (reference) => {
      sim.control.approve(reference)
    },
    count: async (operation) => sim.control.requests({ operation, redact: false }).length,
    reset: async () => sim.control.reset(),
    stop: () => sim.stop(),
  }
}

async function childProcess(options: SimProcessOptions): Promise<SimHandle> {
  const child: ChildProcess = fork(path.join(__dirname, "sim-child.ts"), [JSON.stringify(options)], {
    execArgv: ["-r", "ts-node/register/transpile-only"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  })
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  let nextId = 1
  const url = await new Promise<string>((resolve, reject) => {
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`simulator child exited with ${code}`)))
    child.once("message", (message) => resolve((message as { url: string }).url))
  })
  child.removeAllListeners("exit")
  child.on("message", (message) => {
    const reply = message as ChildReply
    const waiter = pending.get(reply.id)
    if (!waiter) return
    pending.delete(reply.id)
    if (reply.ok) waiter.resolve(reply.value)
    else waiter.reject(new Error(reply.error))
  })
  const call = (request: ChildCall) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      child.send({ ...request, id })
    })
  return {
    mode: "child",
    url,
    approve: async (reference) => {
      await call({ op: "approve", reference })
    },
    count: async (operation) => (await call({ op: "count", operation })) as number,
    reset: async () => {
      await call({ op: "reset" })
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once("exit", () => resolve())
        child.kill("SIGTERM")
      }),
  }
}
