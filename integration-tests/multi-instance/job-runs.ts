/**
 * Reconciliation job accounting of the multi-instance scenario: how often the job ran, per tick and per
 * process, counted from the simulator's reads of a sentinel payment and the processes' log lines.
 */
import type { RunningSimulator } from "../../src/simulator"
import type { MedusaProcess } from "./cluster"

/** What the job logs after a run that checked at least one payment (src/jobs/reconcile-vipps-payments.ts). */
export const JOB_LOG_LINE = "Vipps MobilePay reconciliation:"

export type JobRuns = {
  /** Sentinel GETs (one per run of the job) inside the window. */
  runs: number
  /** Cron ticks that can have produced the reads (from the tick before the first read). */
  ticks: number
  /** Most runs starting within one tick's window (a late run can spill into the next window). */
  maxPerTick: number
  /** Job log lines per process over the whole run. */
  perProcess: Record<string, number>
  /** Sum of "authorized" outcomes the job logged. */
  authorizedOutcomes: number
}

/**
 * Reconciliation job accounting. Every run reads the sentinel once (it is the only pending payment
 * nobody else touches), so the simulator's request log holds one GET per run; the job's log line
 * tells which process ran it. A run reads the sentinel somewhere in its work, not at its start: on a
 * loaded machine the first read seen may come from the run of the tick before (its read landing after the
 * next tick began), so the ticks that can have produced the reads are counted from the tick before the first
 * read's to `until`.
 */
export function jobRuns(
  sim: RunningSimulator,
  sentinelReference: string,
  everySeconds: number,
  processes: MedusaProcess[],
  until = Date.now(),
): JobRuns {
  const everyMs = everySeconds * 1000
  const reads = sim.control
    .requests({ method: "GET", path: sentinelReference })
    .map((r) => Date.parse(r.at))
    .filter((at) => at <= until)
  const perTick = new Map<number, number>()
  for (const at of reads) {
    const tick = Math.floor(at / everyMs)
    perTick.set(tick, (perTick.get(tick) ?? 0) + 1)
  }
  const first = reads.length ? Math.min(...reads) : until
  const perProcess: Record<string, number> = {}
  let authorizedOutcomes = 0
  for (const p of processes) {
    const lines = p.entries().filter((e) => e.message?.startsWith(JOB_LOG_LINE))
    perProcess[p.name] = lines.length
    for (const line of lines) {
      const outcomes = /checked, (\{.*\}),/.exec(line.message ?? "")
      const parsed = outcomes ? (JSON.parse(outcomes[1]) as Record<string, number>) : {}
      authorizedOutcomes += parsed.authorized ?? 0
    }
  }
  return {
    runs: reads.length,
    ticks: reads.length ? Math.floor(until / everyMs) - Math.floor(first / everyMs) + 2 : 0,
    maxPerTick: Math.max(0, ...perTick.values()),
    perProcess,
    authorizedOutcomes,
  }
}
