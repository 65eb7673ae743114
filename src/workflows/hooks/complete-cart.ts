import { MedusaError } from "@medusajs/framework/utils"
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { assertCartInStock, type CartForInventory } from "../../sync/cart-inventory"
import { isExpressSession } from "../../sync/express"
import { isLiveVippsSession } from "../../providers/vipps/registration"

type CompletionCart = CartForInventory & {
  payment_collection?: {
    payment_sessions?: { provider_id: string; status: string; data?: unknown }[] | null
  } | null
}

/**
 * Before Medusa's completion begins the order of a cart paid with Vipps MobilePay (the webhook's sync or
 * the storefront's `POST complete`), on the cart the completion has just read — no query of its own, since
 * every checkout of the store passes here:
 * - an Express cart waits for the shopper's choice from the app (otherwise the order would lack the
 *   shipping Vipps MobilePay reserved money for; src/sync/express.ts adds it);
 * - a cart whose stock can no longer be reserved begins no order (src/sync/cart-inventory.ts says why).
 * Medusa allows one handler per hook, so both live here.
 */
completeCartWorkflow.hooks.validate(({ cart }) => {
  const completing = cart as CompletionCart
  const sessions = (completing.payment_collection?.payment_sessions ?? []).filter(isLiveVippsSession)
  if (sessions.length === 0) return
  const express = sessions.map((s) => s.data).find(isExpressSession)
  if (express && !express.expressApproved) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "The Vipps MobilePay Express payment is not approved with a shipping choice yet",
    )
  }
  assertCartInStock(completing)
})
