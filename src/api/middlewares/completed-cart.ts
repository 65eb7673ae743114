import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { completedElsewhere } from "../../sync/cart-completion"
import { orderOfCart } from "../../providers/vipps/links"
import { PROVIDER_ID_PREFIX } from "../../providers/vipps/registration"
import { completingCart } from "./completing-cart"

/**
 * `POST /store/carts/:id/complete` of a Vipps MobilePay cart the webhook has completed, or is completing
 * right now: answers with the order as Medusa's route does, instead of running Medusa's completion a
 * second time (which would wait for the cart lock, polling every 0.3 s, then read the whole cart again only
 * to find the order). Any other cart, or when in doubt, goes on to Medusa's route.
 */
export async function answerCompletedCart(
  req: MedusaRequest,
  res: MedusaResponse,
  next: MedusaNextFunction,
): Promise<void> {
  try {
    const fields = (req as { queryConfig?: { fields?: string[] } }).queryConfig?.fields
    const cart = fields?.length ? await completingCart(req) : undefined
    const sessions = cart?.payment_collection?.payment_sessions ?? []
    if (cart && fields && sessions.some((s) => s.provider_id.startsWith(PROVIDER_ID_PREFIX))) {
      const orderId = cart.completed_at
        ? await orderOfCart(req.scope, cart.id)
        : await completedElsewhere(req.scope, cart.id)
      if (orderId) {
        const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
        const { data: orders } = await query.graph({ entity: "order", fields, filters: { id: orderId } })
        if (orders[0]) {
          res.status(200).json({ type: "order", order: orders[0] })
          return
        }
      }
    }
  } catch {
    // Medusa's route decides.
  }
  next()
}
