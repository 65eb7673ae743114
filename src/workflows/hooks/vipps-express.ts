import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { refreshPaymentCollectionForCartWorkflow } from "@medusajs/medusa/core-flows"
import { isLiveVippsSession } from "../../providers/vipps/registration"
import { EXPRESS_LOCK } from "../../sync/express"

/**
 * A cart change that would make Medusa drop the payment session of an approved Vipps MobilePay Express
 * payment (its total no longer equals the authorized amount) is refused, so that session is never deleted
 * (see src/sync/express.ts). The completion's guard is in complete-cart.ts.
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

refreshPaymentCollectionForCartWorkflow.hooks.validate(async ({ cart }, { container }) => {
  const id = (cart as { id?: string } | undefined)?.id
  if (!id) return
  const { total, collection } = await collectionOf(container, id)
  const locked = collection?.metadata?.[EXPRESS_LOCK]
  // Only while the approved payment's session is live: once it is released (the order could not be made),
  // the cart is the shopper's again.
  const live = (collection?.payment_sessions ?? []).some(
    (s) => isLiveVippsSession(s) && (s.data as { reference?: unknown } | undefined)?.reference === locked,
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
