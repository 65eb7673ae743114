import fs from "node:fs"
import path from "node:path"
import { REPOSITORY_ROOT } from "../lib/medusa-process"
import type { DemoStore } from "./seed-store"

/**
 * `--keep`: the demo's database survives the run, and with it the publishable key, the region and the
 * admin login; they are written here (inside the repository's git-ignored `.tmp/`) for the next run.
 */
export const KEPT_DATABASE = "vipps_demo_kept"
const STATE_FILE = path.join(REPOSITORY_ROOT, ".tmp", "demo-kept", "store.json")

export type KeptDemo = { store: DemoStore; admin: { email: string; password: string } }

export function loadKeptDemo(): KeptDemo | undefined {
  try {
    const kept = JSON.parse(fs.readFileSync(STATE_FILE, "utf8")) as KeptDemo
    return kept.store?.publishableKey && kept.admin?.password ? kept : undefined
  } catch {
    return undefined
  }
}

export function saveKeptDemo(kept: KeptDemo): void {
  fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true })
  fs.writeFileSync(STATE_FILE, JSON.stringify(kept, null, 2), { mode: 0o600 })
}

export function forgetKeptDemo(): void {
  fs.rmSync(STATE_FILE, { force: true })
}
