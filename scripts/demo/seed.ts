import fs from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { createAdminUser, seedDemoStore } from "./seed-store"

/**
 * `medusa exec scripts/demo/seed.ts`: seeds the demo store and its admin login inside Medusa, then writes
 * what the demo needs (publishable key, ids) as JSON to DEMO_SEED_OUTPUT. Run by scripts/demo/run.ts.
 */
export default async function seed({ container }: ExecArgs): Promise<void> {
  const output = process.env.DEMO_SEED_OUTPUT
  const email = process.env.DEMO_ADMIN_EMAIL
  const password = process.env.DEMO_ADMIN_PASSWORD
  if (!output || !email || !password) {
    throw new Error("DEMO_SEED_OUTPUT, DEMO_ADMIN_EMAIL and DEMO_ADMIN_PASSWORD must be set")
  }
  const store = await seedDemoStore(container)
  await createAdminUser(container, email, password)
  fs.writeFileSync(output, JSON.stringify(store, null, 2))
}
