import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { findReferenceOwner } from "../../../../../sync/find-registration"
import { SyncError, syncVippsPayment } from "../../../../../sync/sync-payment"

/**
 * `GET /store/vipps/payments/:reference` — what became of a payment, for the storefront's return page.
 * The page may open in another browser or without a session, so it looks the payment up by the reference
 * in its URL. Reading it also syncs it with Vipps MobilePay (as a webhook would), so an approved payment
 * is turned into the order right here if nothing else did it yet.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const owner = await findReferenceOwner(req.scope, req.params.reference)
  if (!owner)
    throw new MedusaError(MedusaError.Types.NOT_FOUND, "No Vipps MobilePay payment with this reference")

  // Not in line with Vipps MobilePay yet (e.g. the order is being created by a webhook right now): still pending.
  const result = await syncVippsPayment(req.scope, owner.registration, req.params.reference).catch(
    (error: unknown) => {
      if (error instanceof SyncError) return { outcome: "pending" as const }
      throw error
    },
  )
  const after = await findReferenceOwner(req.scope, req.params.reference)
  const data = after?.data ?? owner.data
  res.json({
    payment: {
      reference: data.reference,
      provider_id: owner.registration.providerId,
      state: data.state,
      status:
        result.outcome === "authorized" ? "authorized" : result.outcome === "failed" ? "failed" : "pending",
      cart_id: data.cart_id ?? null,
      order_id: result.outcome === "authorized" ? (result.orderId ?? null) : null,
      failure_reason: data.failureReason ?? null,
      user_flow: data.userFlow,
      redirect_url: data.redirectUrl ?? null,
    },
  })
}
