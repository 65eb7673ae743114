import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/** Medusa's links between a payment collection, its cart and its order: one home for these queries. */

async function first<T>(container: MedusaContainer, entity: string, field: string, filters: object) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity, fields: [field], filters })
  return (data[0] as Record<string, T> | undefined)?.[field]
}

export function cartOfCollection(container: MedusaContainer, paymentCollectionId: string) {
  return first<string>(container, "cart_payment_collection", "cart_id", {
    payment_collection_id: paymentCollectionId,
  })
}

/** The order a payment collection pays for: a completed cart's order, an order edit's or a draft order's. */
export function orderOfCollection(container: MedusaContainer, paymentCollectionId: string) {
  return first<string>(container, "order_payment_collection", "order_id", {
    payment_collection_id: paymentCollectionId,
  })
}

export function orderOfCart(container: MedusaContainer, cartId: string) {
  return first<string>(container, "order_cart", "order_id", { cart_id: cartId })
}

export async function cartOfSession(container: MedusaContainer, sessionId: string) {
  const collectionId = await first<string>(container, "payment_session", "payment_collection_id", {
    id: sessionId,
  })
  return collectionId ? cartOfCollection(container, collectionId) : undefined
}
