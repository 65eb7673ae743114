import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { completeCartWorkflow, refreshPaymentCollectionForCartWorkflow } from "@medusajs/medusa/core-flows"
import { EXPRESS_LOCK, isExpressSession } from "../../sync/express"

/**
 * Two guards around Vipps MobilePay Express carts (see src/sync/express.ts):
 * - a cart change that would make Medusa drop the payment session of an approved Express payment (its total
 *   no longer equals the authorized amount) is refused, so that session is never deleted;
 * - an Express cart is not completed before the shopper's choice from the app has been added (otherwise the
 *   order would lack the shipping Vipps MobilePay reserved money for).
 */

type CollectionRow = {
  amount?: unknown
  metadata?: Record<string, unknown> | null
  payment_sessions?: { provider_id: string; status: string; data?: unknown }[] | null
}

async function collectionOf(container: MedusaContainer, cartId: string) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: [
      "id",
      "total",
      "payment_collection.amount",
      "payment_collection.metadata",
      "payment_collection.payment_sessions.provider_id",
      "payment_collection.payment_sessions.status",
      "payment_collection.payment_sessions.data",
    ],
    filters: { id: cartId },
  })
  const cart = data[0] as { total?: unknown; payment_collection?: CollectionRow | null } | undefined
  return { total: cart?.total, collection: cart?.payment_collection ?? undefined }
}

type SessionRow = NonNullable<CollectionRow["payment_sessions"]>[number]
const isLive = (s: SessionRow) => s.status !== "canceled" && s.status !== "error"

refreshPaymentCollectionForCartWorkflow.hooks.validate(async ({ cart }, { container }) => {
  const id = (cart as { id?: string } | undefined)?.id
  if (!id) return
  const { total, collection } = await collectionOf(container, id)
  const locked = collection?.metadata?.[EXPRESS_LOCK]
  // Only while the approved payment's session is live: once it is released (the order could not be made),
  // the cart is the shopper's again.
  const live = (collection?.payment_sessions ?? []).some(
    (s) => isLive(s) && (s.data as { reference?: unknown } | undefined)?.reference === locked,
  )
  if (!locked || !live) return
  if (
    total !== undefined &&
    collection.amount !== undefined &&
    MathBN.eq(collection.amount as never, total as never)
  )
    return
  throw new MedusaError(
    MedusaError.Types.NOT_ALLOWED,
    "This cart is being paid with Vipps MobilePay Express: its total can no longer change",
  )
})

completeCartWorkflow.hooks.validate(async ({ cart }, { container }) => {
  const id = (cart as { id?: string } | undefined)?.id
  if (!id) return
  const { collection } = await collectionOf(container, id)
  const express = (collection?.payment_sessions ?? []).find((s) => isLive(s) && isExpressSession(s.data))
  if (express && !(express.data as { expressApproved?: unknown }).expressApproved) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "The Vipps MobilePay Express payment is not approved with a shipping choice yet",
    )
  }
})
