import fs from "node:fs"
import os from "node:os"
import path from "node:path"

/** Small helpers shared by the benchmark scripts: percentiles, tables, result files, machine facts. */

export const RESULTS_DIR = path.resolve(__dirname, "..", "results")

/** Nearest-rank percentile of unsorted samples (p in 0..100). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1]
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50)
}

export function mean(samples: readonly number[]): number {
  return samples.reduce((sum, x) => sum + x, 0) / samples.length
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** Milliseconds since an earlier `process.hrtime.bigint()`. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6
}

export type Row = Record<string, string | number>

/** A GitHub-flavoured Markdown table (prints well in a terminal and pastes into docs/performance.md). */
export function table(rows: Row[], columns?: string[]): string {
  if (rows.length === 0) return "(no rows)"
  const cols = columns ?? Object.keys(rows[0])
  const cell = (value: string | number | undefined) => (value === undefined ? "" : String(value))
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)))
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(" | ")} |`
  return [
    line(cols),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...rows.map((r) => line(cols.map((c) => cell(r[c])))),
  ].join("\n")
}

export type Machine = {
  cpus: number
  cpuModel: string
  memoryGiB: number
  node: string
  platform: string
}

export function machine(): Machine {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  }
}

/** Writes `bench/results/<name>.json` (git-ignored) and returns its path. */
export function writeResult(name: string, result: Record<string, unknown>): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true })
  const file = path.join(RESULTS_DIR, `${name}.json`)
  const body = { name, finishedAt: new Date().toISOString(), machine: machine(), ...result }
  fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`)
  return file
}

export function readResult<T>(name: string): T | undefined {
  const file = path.join(RESULTS_DIR, `${name}.json`)
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as T) : undefined
}
