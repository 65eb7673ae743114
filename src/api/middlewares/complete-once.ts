import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { orderOfCart } from "../../providers/vipps/links"
import { isLiveVippsSession } from "../../providers/vipps/registration"
import { isVippsSessionData } from "../../providers/vipps/session-data"
import { isExpressSession } from "../../sync/express"
import { withReferenceLock } from "../../sync/lock"
import { completingCart } from "./completing-cart"

/**
 * `POST /store/carts/:id/complete` of a cart paid with Vipps MobilePay: one completion at a time with the
 * webhook's sync. The storefront's return page and the webhook arrive together; each would run Medusa's
 * completion, and the one that loses Medusa's cart lock polls it every 0.3 s. So the storefront's completion
 * runs under the payment's reference lock, the one the sync holds while it reads and completes: whoever
 * comes second finds the order — this route answers with it as Medusa's does, the sync acknowledges it
 * without reading Vipps MobilePay again. Any other cart, or when in doubt, goes on to Medusa's route.
 */
export async function completeOnce(
  req: MedusaRequest,
  res: MedusaResponse,
  next: MedusaNextFunction,
): Promise<void> {
  const target = await vippsCartOf(req).catch(() => undefined)
  if (!target) return next()
  if (target.completedAt) {
    const orderId = await orderOfCart(req.scope, target.cartId).catch(() => undefined)
    return answerWithOrder(req, res, next, orderId)
  }
  // Express: the next middleware's sync fills the cart from the app and completes it under the payment lock.
  if (target.express) return next()

  let passedOn = false
  let ordered: string | undefined
  try {
    ordered = await withReferenceLock(req.scope, target.reference, async () => {
      const orderId = await orderOfCart(req.scope, target.cartId)
      if (orderId) return orderId
      passedOn = true
      await untilAnswered(res, next)
      return undefined
    })
  } catch {
    // The lock could not be had in time: Medusa's route decides (its cart lock still makes one order).
    if (!passedOn) next()
    return
  }
  if (!passedOn) await answerWithOrder(req, res, next, ordered)
}

/** The cart being completed, when a live Vipps MobilePay session pays for it (undefined: not ours). */
async function vippsCartOf(req: MedusaRequest) {
  const fields = (req as { queryConfig?: { fields?: string[] } }).queryConfig?.fields
  const cart = fields?.length ? await completingCart(req) : undefined
  const session = cart?.payment_collection?.payment_sessions?.find(isLiveVippsSession)
  if (!cart || !session || !isVippsSessionData(session.data)) return undefined
  return {
    cartId: cart.id,
    completedAt: cart.completed_at,
    reference: session.data.reference,
    express: isExpressSession(session.data),
  }
}

/** Runs the rest of the route (profile filling, Medusa's completion) and resolves once it has answered. */
function untilAnswered(res: MedusaResponse, next: MedusaNextFunction): Promise<void> {
  return new Promise((resolve) => {
    res.once("finish", resolve)
    res.once("close", resolve)
    next()
  })
}

/** Answers with the order as Medusa's route does (the fields it asked for); without one, Medusa's route. */
async function answerWithOrder(
  req: MedusaRequest,
  res: MedusaResponse,
  next: MedusaNextFunction,
  orderId: string | undefined,
): Promise<void> {
  const fields = (req as { queryConfig?: { fields?: string[] } }).queryConfig?.fields
  if (orderId && fields) {
    try {
      const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
      const { data: orders } = await query.graph({ entity: "order", fields, filters: { id: orderId } })
      if (orders[0]) {
        res.status(200).json({ type: "order", order: orders[0] })
        return
      }
    } catch {
      // Medusa's route decides.
    }
  }
  next()
}
