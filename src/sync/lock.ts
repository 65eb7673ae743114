import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

/**
 * One payment is worked on by one process at a time: the sync, the release of a canceled order's rest and
 * the reconciler all take this lock (Medusa's locking module: Redis or Postgres when there are several
 * processes). The expiry outlives the slowest cart completion.
 */
export function withReferenceLock<T>(
  container: MedusaContainer,
  reference: string,
  work: () => Promise<T>,
  { timeoutSeconds = 30 }: { timeoutSeconds?: number } = {},
): Promise<T> {
  const locking = container.resolve(Modules.LOCKING)
  return locking.execute(`vipps:${reference}`, work, { timeout: timeoutSeconds, expire: 120 })
}
