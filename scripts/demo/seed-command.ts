import fs from "node:fs"
import path from "node:path"
import { medusaCommand } from "../lib/medusa-process"
import type { DemoStore } from "./seed-store"

/**
 * Seeds the demo store and its admin login in a migrated database: `medusa exec scripts/demo/seed.ts`,
 * whose answer (publishable key, ids) comes back through `<logDir>/store.json`.
 */
export async function seedDemoDatabase(
  env: NodeJS.ProcessEnv,
  logDir: string,
  admin: { email: string; password: string },
): Promise<DemoStore> {
  const output = path.join(logDir, "store.json")
  await medusaCommand(["exec", "scripts/demo/seed.ts"], {
    env: {
      ...env,
      DEMO_SEED_OUTPUT: output,
      DEMO_ADMIN_EMAIL: admin.email,
      DEMO_ADMIN_PASSWORD: admin.password,
    },
    logFile: path.join(logDir, "seed.log"),
  })
  return JSON.parse(fs.readFileSync(output, "utf8")) as DemoStore
}
