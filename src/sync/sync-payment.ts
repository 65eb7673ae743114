import type { IPaymentModuleService, Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { fromMinorUnits } from "../lib/money"
import { referenceKey } from "../lib/reference"
import { VippsApiError, VippsError } from "../lib/vipps/errors"
import type { GetPaymentResponse } from "../lib/vipps/schemas"
import { isFreshApproval, shareApprovedRead, sharedApprovedRead } from "../providers/vipps/approved-read"
import { SHOPPER_MESSAGES } from "../providers/vipps/errors"
import {
  isReleased,
  PAYMENT_COLLECTION_METADATA,
  remainingToCapture,
  withPayment,
} from "../providers/vipps/payment-state"
import type { VippsRegistration } from "../providers/vipps/registration"
import { isVippsSessionData } from "../providers/vipps/session-data"
import { cartOfCollection, orderOfCollection } from "../providers/vipps/links"
import { completedElsewhere } from "./cart-completion"
import { withReferenceLock } from "./lock"
import { fillExpressCart } from "./express"
import { authorizeForOrderOfCart, authorizeOrderPayment } from "./order-payment"
import { fillCartFromProfile } from "./profile"
import { recordMovements } from "./record-movements"
import {
  completionFailed,
  isDefiniteFailure,
  isReleasedUnorderable,
  releaseUnorderable,
} from "./release-unorderable"

export type SyncOutcome =
  | { outcome: "ignored"; reason: string }
  | { outcome: "released"; reason: string }
  | { outcome: "pending"; state: "CREATED" }
  | { outcome: "failed"; state: string; sessionId: string }
  | { outcome: "authorized"; sessionId: string; orderId?: string; paymentId: string; recorded: string[] }

/** Thrown when Medusa could not be brought in line with Vipps MobilePay yet; a later visit retries. */
export class SyncError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "VippsSyncError"
  }
}

/**
 * Brings Medusa in line with what Vipps MobilePay says about one payment: the single step behind the
 * webhook inbox, the reconciler and the return page. It reads the payment from the ePayment API (webhooks
 * are signals, not the truth), runs under the reference lock so no two processes act on one payment at
 * once, and changes Medusa only through Medusa's own workflows.
 */
export async function syncVippsPayment(
  container: MedusaContainer,
  registration: VippsRegistration,
  reference: string,
  options: SyncOptions = {},
): Promise<SyncOutcome> {
  const sessionId = registration.sessionIdFor(reference)
  if (!sessionId) return { outcome: "ignored", reason: "reference not made by this registration" }
  return withReferenceLock(container, reference, () =>
    syncLocked(container, registration, reference, sessionId, options),
  )
}

export type SyncOptions = {
  /** The webhook event that asked for this sync: an AUTHORIZED event can only bring the approval. */
  cause?: string
}

async function syncLocked(
  container: MedusaContainer,
  registration: VippsRegistration,
  reference: string,
  sessionId: string,
  { cause }: SyncOptions,
): Promise<SyncOutcome> {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const [session] = await paymentModule.listPaymentSessions({ id: sessionId }, { relations: ["payment"] })
  if (!session) return releaseOrphan(container, registration, reference)
  if (session.provider_id !== registration.providerId)
    return { outcome: "ignored", reason: "session of another provider" }
  if (!isVippsSessionData(session.data) || session.data.reference !== reference) {
    return { outcome: "ignored", reason: "session does not carry this reference" }
  }

  const orderId = await orderOfCollection(container, session.payment_collection_id)
  // The approval is in Medusa already (a storefront completion or an earlier delivery): nothing to read.
  const approval = cause === "AUTHORIZED"
  if (approval && session.payment && orderId)
    return { outcome: "authorized", sessionId, orderId, paymentId: session.payment.id, recorded: [] }

  // An approval read a moment ago (by a racing completion's authorization) is as good as a new read.
  const vipps =
    (approval ? await sharedApprovedRead(reference, container) : undefined) ??
    (await registration.client.epayment.getPayment(reference))
  if (vipps.state === "CREATED") return { outcome: "pending", state: "CREATED" }

  // Already ordered (a duplicate, a late AUTHORIZED, a CAPTURED or REFUNDED event): only movements can be new.
  if (session.payment && orderId) {
    const recorded = await recordMovements(container, session.payment.id, vipps)
    return { outcome: "authorized", sessionId, orderId, paymentId: session.payment.id, recorded }
  }

  // Never approved, or approved and released before any order used it: the session failed.
  const releasedBeforeOrder =
    vipps.state === "AUTHORIZED" && (isReleased(vipps) || !!session.payment?.canceled_at)
  if (vipps.state !== "AUTHORIZED" || releasedBeforeOrder) {
    const status =
      vipps.state === "TERMINATED" || vipps.state === "AUTHORIZED"
        ? PaymentSessionStatus.CANCELED
        : PaymentSessionStatus.ERROR
    if (session.status !== status && session.status !== PaymentSessionStatus.ERROR) {
      await paymentModule.updatePaymentSession({
        id: session.id,
        amount: session.amount,
        currency_code: session.currency_code,
        data: {
          ...withPayment(session.data, vipps),
          ...(vipps.state === "AUTHORIZED" ? { failureReason: SHOPPER_MESSAGES.RELEASED } : {}),
        },
        status,
        // The payment module writes metadata as given: without it, staff flags and request marks are lost.
        metadata: session.metadata ?? undefined,
      })
    }
    return { outcome: "failed", state: vipps.state, sessionId }
  }

  // A session the plugin already gave up on (released after a failed completion) stays released.
  if (isReleasedUnorderable(session.metadata)) {
    if (remainingToCapture(vipps.aggregate) > 0)
      await releaseUnorderable(container, registration, session as never, vipps, "still reserved")
    return { outcome: "released", reason: String(session.data.failureReason ?? "released") }
  }

  // AUTHORIZED: share the profile into the cart, then complete the cart exactly as the storefront does
  // (Medusa's workflow authorizes the session; its cart lock makes a racing storefront completion and this
  // produce one order). A payment collection without a cart (an order's) only needs the authorization.
  const cartId = await cartOfCollection(container, session.payment_collection_id)
  if (
    !session.payment &&
    registration.options.profileScope &&
    (vipps.userDetails || vipps.profile?.sub) &&
    cartId
  ) {
    await fillCartFromProfile(container, registration, cartId, vipps)
  }
  // Medusa's completion (ours next, or the storefront's) asks the provider to authorize: share this read.
  await shareApprovedRead(vipps, container)
  let ordered: string | undefined
  try {
    if (cartId && orderId) {
      // Medusa links the order before it authorizes the session; when that authorization failed, the order
      // stays without a payment and completing the cart again returns it unchanged. Vipps holds the money:
      // authorize this session for that order, under the cart lock Medusa's completion takes.
      await authorizeForOrderOfCart(container, cartId, session.id, orderId)
    } else if (cartId) {
      await fillExpressCart(container, session, cartId, vipps)
      // A storefront completion in flight makes the order: wait for it rather than complete a second time.
      ordered = await completedElsewhere(container, cartId)
      // The plugin's validate hook (workflows/hooks/complete-cart.ts) refuses a sold-out cart before any order.
      ordered ??= (await completeCartWorkflow(container).run({ input: { id: cartId } })).result?.id
    } else {
      await authorizeOrderPayment(container, {
        sessionId: session.id,
        orderId,
        amount: fromMinorUnits(vipps.amount.value, vipps.amount.currency),
      })
    }
  } catch (error) {
    // A completion whose rollback Medusa lost (see cart-inventory.ts) leaves its order: that order gets this
    // payment on the next visit (above), it is never released from under it.
    if (cartId && !orderId && (await orderOfCollection(container, session.payment_collection_id))) {
      throw new SyncError(
        `Vipps MobilePay payment ${reference} is approved; its failed completion left an order, authorized on the next visit`,
      )
    }
    const attempts = await completionFailed(container, reference)
    if (isDefiniteFailure(error) || attempts >= registration.options.maxCompletionAttempts) {
      return releaseUnorderable(container, registration, session as never, vipps, describe(error))
    }
    throw new SyncError(
      `Vipps MobilePay payment ${reference} is approved but the order failed (attempt ${attempts}, ${kindOf(error)})`,
    )
  }

  const [after] = await paymentModule.listPaymentSessions({ id: sessionId }, { relations: ["payment"] })
  if (!after?.payment)
    throw new SyncError(`Vipps MobilePay payment ${reference} is approved but Medusa has no payment yet`)
  ordered ??= await orderOfCollection(container, after.payment_collection_id)
  if (cartId && !ordered)
    throw new SyncError(
      `Vipps MobilePay payment ${reference} is approved but cart ${cartId} has no order yet`,
    )
  // A read with no capture, refund or release has nothing to record (the authorization stored it).
  const recorded = isFreshApproval(vipps) ? [] : await recordMovements(container, after.payment.id, vipps)
  return { outcome: "authorized", sessionId, orderId: ordered, paymentId: after.payment.id, recorded }
}

/**
 * A workflow error's own message (workflows may throw plain objects carrying one), for the staff flag
 * only: Medusa's messages can name customer data (an email), so logs get `kindOf` instead.
 */
/** What may be logged of an error: our own messages (no customer data by construction), else its kind. */
export function loggable(error: unknown): string {
  return error instanceof SyncError || error instanceof VippsError ? error.message : kindOf(error)
}

function kindOf(error: unknown): string {
  const type = (error as { type?: unknown } | null)?.type
  return typeof type === "string" ? type : error instanceof Error ? error.name : "unknown error"
}

function describe(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message
  if (typeof message === "string") return message
  return error instanceof Error ? error.name : "unknown error"
}

/**
 * A payment of ours whose session Medusa deleted (the cart changed or the shopper switched method while
 * the app was open) can still be approved: no order will ever use that reservation, so release it.
 */
async function releaseOrphan(
  container: MedusaContainer,
  { client }: VippsRegistration,
  reference: string,
): Promise<SyncOutcome> {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const vipps: GetPaymentResponse | undefined = await client.epayment
    .getPayment(reference)
    .catch((error: unknown) => {
      if (error instanceof VippsApiError && error.status === 404) return undefined
      throw error
    })
  if (!vipps) return { outcome: "ignored", reason: "no such payment" }
  // Only a payment created for one of this store's payment collections is ours: another store sharing the
  // sales unit (without its own referencePrefix) receives the same webhooks.
  const collectionId = vipps.metadata?.[PAYMENT_COLLECTION_METADATA]
  const ours = collectionId
    ? (await paymentModule.listPaymentCollections({ id: collectionId })).length > 0
    : false
  if (!ours) return { outcome: "ignored", reason: "not a payment of this store" }
  if (vipps.state !== "AUTHORIZED" || remainingToCapture(vipps.aggregate) <= 0) {
    return { outcome: "ignored", reason: "no such payment session" }
  }
  await client.epayment.cancelPayment(reference, referenceKey("release", reference))
  logger.warn(
    `Vipps MobilePay payment ${reference} was approved for a payment session Medusa had dropped; released it`,
  )
  return { outcome: "released", reason: "approved after its payment session was dropped" }
}
