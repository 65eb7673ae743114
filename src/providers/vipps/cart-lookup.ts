import { container } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { RECEIPT_FIELDS, type ReceiptCart } from "./receipt"

/**
 * The cart a payment session pays for, read through the app's Query (the provider itself lives in the
 * payment module's container, which sees no carts). Undefined when there is no cart (e.g. a payment
 * collection of an order edit) or no app container (a module booted on its own).
 */
export async function cartOfSession(sessionId: string): Promise<ReceiptCart | undefined> {
  try {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: sessions } = await query.graph({
      entity: "payment_session",
      fields: ["payment_collection_id"],
      filters: { id: sessionId },
    })
    const collectionId = (sessions[0] as { payment_collection_id?: string } | undefined)
      ?.payment_collection_id
    if (!collectionId) return undefined
    const { data: links } = await query.graph({
      entity: "cart_payment_collection",
      fields: ["cart_id"],
      filters: { payment_collection_id: collectionId },
    })
    const cartId = (links[0] as { cart_id?: string } | undefined)?.cart_id
    if (!cartId) return undefined
    const { data: carts } = await query.graph({
      entity: "cart",
      fields: RECEIPT_FIELDS,
      filters: { id: cartId },
    })
    return carts[0] as ReceiptCart | undefined
  } catch {
    return undefined
  }
}
