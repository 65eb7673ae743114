import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { isReturnToken, sameSecret } from "../../../../../lib/return-token"
import { SHOPPER_MESSAGES } from "../../../../../providers/vipps/errors"
import { findReferenceOwner, ReferenceOwner } from "../../../../../sync/find-registration"
import { SyncError, syncVippsPayment } from "../../../../../sync/sync-payment"
import { PaymentOutcome, storedOutcome } from "../../payment-outcome"
import { mayReadFromVipps } from "../../read-throttle"

/** The longest a read waits for Vipps MobilePay (and the sync's lock) before answering what it knows. */
const READ_WAIT_MS = 5_000

/**
 * `GET /store/vipps/payments/:reference[?token=…|?cart_id=…]` — what became of a payment, for the
 * storefront's return page (which may open in another browser, without a session).
 *
 * Anyone may learn the status; only who proves they started the payment — the `vipps_token` the plugin put
 * in the returnUrl, or the payment's cart id — learns its cart and order (Medusa treats those ids as the
 * credential to the customer's data). Settled payments are answered from the database; a pending one is
 * read from Vipps MobilePay at most once every few seconds per reference (as a webhook would, so an
 * approved payment becomes the order right here if nothing else did it yet).
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const reference = req.params.reference
  const owner = await findReferenceOwner(req.scope, reference)
  if (!owner)
    throw new MedusaError(MedusaError.Types.NOT_FOUND, "No Vipps MobilePay payment with this reference")

  let current = owner
  let outcome = await storedOutcome(req.scope, owner)
  if (!outcome.settled && (await mayReadFromVipps(req.scope, reference))) {
    const released = await readFromVipps(req.scope, owner)
    current = (await findReferenceOwner(req.scope, reference)) ?? owner
    outcome = await storedOutcome(req.scope, current)
    if (released && outcome.status !== "failed") {
      outcome = {
        ...outcome,
        status: "failed",
        settled: true,
        failureReason: current.data.failureReason ?? SHOPPER_MESSAGES.RELEASED,
      }
    }
  }

  const proven = provesStart(req.query, owner, outcome)
  res.setHeader("Cache-Control", "no-store")
  res.json({
    payment: {
      reference,
      status: outcome.status,
      failure_reason: outcome.status === "failed" ? (outcome.failureReason ?? null) : null,
      cart_id: proven ? (outcome.cartId ?? null) : null,
      order_id: proven ? (outcome.orderId ?? null) : null,
      ...(proven
        ? {
            provider_id: owner.registration.providerId,
            state: current.data.state,
            user_flow: current.data.userFlow,
            redirect_url: current.data.redirectUrl ?? null,
          }
        : {}),
    },
  })
}

/**
 * Syncs the payment with Vipps MobilePay, waiting at most READ_WAIT_MS (the sync carries on in the
 * background). True when the sync released an approved payment that could not become an order.
 */
async function readFromVipps(container: MedusaContainer, owner: ReferenceOwner): Promise<boolean> {
  const sync = syncVippsPayment(container, owner.registration, owner.data.reference).then(
    (result) => result.outcome === "released",
    (error: unknown) => {
      // Not in line with Vipps MobilePay yet (e.g. a webhook is creating the order right now): still pending.
      if (!(error instanceof SyncError)) {
        const message = error instanceof Error ? error.message : String(error)
        container
          .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
          .warn(`Vipps MobilePay read of ${owner.data.reference} failed: ${message}`)
      }
      return false
    },
  )
  let timer: NodeJS.Timeout | undefined
  const waited = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READ_WAIT_MS)
  })
  try {
    return await Promise.race([sync, waited])
  } finally {
    clearTimeout(timer)
  }
}

/** The `vipps_token` of this reference, or the payment's own cart id. */
function provesStart(query: MedusaRequest["query"], owner: ReferenceOwner, outcome: PaymentOutcome): boolean {
  const token = query.token
  if (typeof token === "string" && token) {
    const key = owner.registration.returnTokenKey
    if (key && isReturnToken(key, owner.data.reference, token)) return true
  }
  const cartId = query.cart_id
  return typeof cartId === "string" && !!cartId && !!outcome.cartId && sameSecret(outcome.cartId, cartId)
}
