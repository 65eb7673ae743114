import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { randomUUID } from "node:crypto"
import { orderOfCart } from "../providers/vipps/links"

/**
 * Whether another completion of this cart (the storefront's `POST complete`, racing the webhook) is
 * making the order right now, and if so the order it made. Medusa's completeCartWorkflow holds the cart's
 * lock while it runs: when the lock is free nobody is completing (undefined: complete it). When it is
 * held, wait for it and read the order: a second completion would only queue on that lock (polling every
 * 0.3 s) and then read the whole cart again to find the order. Undefined when that completion failed.
 */
export async function completedElsewhere(
  container: MedusaContainer,
  cartId: string,
): Promise<string | undefined> {
  const locking = container.resolve(Modules.LOCKING)
  const ownerId = `vipps-sync:${randomUUID()}`
  try {
    await locking.acquire(cartId, { ownerId, expire: 5 })
  } catch {
    return locking.execute(cartId, () => orderOfCart(container, cartId), { timeout: 30 })
  }
  await locking.release(cartId, { ownerId })
  return undefined
}
