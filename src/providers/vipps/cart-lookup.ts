import { container } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { cartOfSession } from "./links"
import { RECEIPT_FIELDS, type ReceiptCart } from "./receipt"

/**
 * The cart a payment session pays for, read through the app's Query (the provider itself lives in the
 * payment module's container, which sees no carts). Undefined when there is no cart (e.g. a payment
 * collection of an order edit) or no app container (a module booted on its own).
 */
export async function receiptCartOfSession(sessionId: string): Promise<ReceiptCart | undefined> {
  try {
    const cartId = await cartOfSession(container, sessionId)
    if (!cartId) return undefined
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
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
