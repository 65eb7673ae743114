import { randomUUID } from "node:crypto"
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

/** Anonymous reads of one pending payment reach Vipps MobilePay at most once per interval. */
export const READ_INTERVAL_SECONDS = 3

/**
 * Whether this read may ask Vipps MobilePay (true for one read per reference and interval, across every
 * process sharing the locking provider). It takes a key of the current interval without waiting, and
 * never the sync's own `vipps:<reference>` lock. The key is named after the interval rather than given a
 * TTL alone: the Postgres locking provider never hands an expired key to another owner.
 */
export async function mayReadFromVipps(
  container: MedusaContainer,
  reference: string,
  now = Date.now(),
): Promise<boolean> {
  const locking = container.resolve(Modules.LOCKING)
  const interval = Math.floor(now / (READ_INTERVAL_SECONDS * 1000))
  const key = `vipps:read:${reference}:${interval}`
  const ownerId = randomUUID()
  try {
    await locking.acquire(key, { ownerId, expire: READ_INTERVAL_SECONDS * 2 })
  } catch {
    return false
  }
  // Providers that keep expired keys (in-memory, Postgres) get them back once the interval is over.
  setTimeout(() => {
    locking.release(key, { ownerId }).catch(() => undefined)
  }, READ_INTERVAL_SECONDS * 2000).unref()
  return true
}
