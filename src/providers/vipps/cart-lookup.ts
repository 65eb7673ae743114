import { container } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { cartOfCollection } from "./links"
import { AGE_FIELDS, type AgeCartItem } from "./minimum-age"
import { RECEIPT_FIELDS, type ReceiptCart } from "./receipt"

/** What a new payment needs of its cart: the receipt's lines and the products' age limits. */
export type PaymentCart = ReceiptCart & {
  items?: (NonNullable<ReceiptCart["items"]>[number] & AgeCartItem)[]
}

/**
 * The cart a payment collection pays for, in one read through the app's Query (the provider itself lives in
 * the payment module's container, which sees no carts). Undefined when there is no cart (e.g. a payment
 * collection of an order edit) or no app container (a module booted on its own).
 */
export async function cartOfPayment(collectionId: string): Promise<PaymentCart | undefined> {
  try {
    const cartId = await cartOfCollection(container, collectionId)
    if (!cartId) return undefined
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: carts } = await query.graph({
      entity: "cart",
      fields: [...RECEIPT_FIELDS, ...AGE_FIELDS],
      filters: { id: cartId },
    })
    return carts[0] as PaymentCart | undefined
  } catch {
    return undefined
  }
}
