import type { IPaymentModuleService, Logger, MedusaContainer } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  MathBN,
  Modules,
  PaymentActions,
  PaymentSessionStatus,
} from "@medusajs/framework/utils"
import { processPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { fromMinorUnits, toMinorUnits } from "../lib/money"
import { referenceKey } from "../lib/reference"
import { VippsApiError } from "../lib/vipps/errors"
import type { GetPaymentResponse } from "../lib/vipps/schemas"
import type { VippsRegistration } from "../providers/vipps/registry"
import { SHOPPER_MESSAGES } from "../providers/vipps/errors"
import { isReleased, PAYMENT_COLLECTION_METADATA, withPayment } from "../providers/vipps/service"
import { isVippsSessionData } from "../providers/vipps/session-data"
import { fillCartFromProfile } from "./profile"

export type SyncOutcome =
  | { outcome: "ignored"; reason: string }
  | { outcome: "released"; reason: string }
  | { outcome: "pending"; state: "CREATED" }
  | { outcome: "failed"; state: string; sessionId: string }
  | { outcome: "authorized"; sessionId: string; orderId?: string; paymentId: string; recorded: string[] }

/** Thrown when Medusa could not be brought in line with Vipps MobilePay; the caller should retry later. */
export class SyncError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "VippsSyncError"
  }
}

const LOCK_TIMEOUT_SECONDS = 30
const LOCK_EXPIRE_SECONDS = 120

/**
 * Brings Medusa in line with what Vipps MobilePay says about one payment: the single step behind the
 * webhook route and the reconciliation job. It reads the payment back from the ePayment API (webhooks
 * are signals, not the truth), runs under Medusa's locking module keyed by the reference so no two
 * processes act on one payment at once, and completes carts only through Medusa's own workflows (their
 * cart lock makes a racing storefront completion and this step produce one order).
 */
export async function syncVippsPayment(
  container: MedusaContainer,
  registration: VippsRegistration,
  reference: string,
  knownPayment?: GetPaymentResponse,
): Promise<SyncOutcome> {
  const sessionId = registration.provider.sessionIdFor(reference)
  if (!sessionId) return { outcome: "ignored", reason: "reference not made by this registration" }

  const locking = container.resolve(Modules.LOCKING)
  return locking.execute(
    `vipps:${reference}`,
    () => syncLocked(container, registration, reference, sessionId, knownPayment),
    { timeout: LOCK_TIMEOUT_SECONDS, expire: LOCK_EXPIRE_SECONDS },
  )
}

async function syncLocked(
  container: MedusaContainer,
  registration: VippsRegistration,
  reference: string,
  sessionId: string,
  knownPayment?: GetPaymentResponse,
): Promise<SyncOutcome> {
  const { provider, providerId } = registration
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const [session] = await paymentModule.listPaymentSessions({ id: sessionId }, { relations: ["payment"] })
  if (!session) return releaseOrphan(registration, paymentModule, logger, reference)
  if (session.provider_id !== providerId) return { outcome: "ignored", reason: "session of another provider" }
  if (!isVippsSessionData(session.data) || session.data.reference !== reference) {
    return { outcome: "ignored", reason: "session does not carry this reference" }
  }

  const vipps = knownPayment ?? (await provider.vipps.epayment.getPayment(reference))

  if (vipps.state === "CREATED") return { outcome: "pending", state: "CREATED" }

  // Approved but released before any order used it counts as failed, like a payment nobody approved.
  if (vipps.state !== "AUTHORIZED" || (!session.payment && isReleased(vipps))) {
    const status =
      vipps.state === "TERMINATED" || vipps.state === "AUTHORIZED"
        ? PaymentSessionStatus.CANCELED
        : PaymentSessionStatus.ERROR
    if (!session.payment && session.status !== status) {
      await paymentModule.updatePaymentSession({
        id: session.id,
        amount: session.amount,
        currency_code: session.currency_code,
        data: {
          ...withPayment(session.data, vipps),
          ...(vipps.state === "AUTHORIZED" ? { failureReason: SHOPPER_MESSAGES.RELEASED } : {}),
        },
        status,
      })
    }
    return { outcome: "failed", state: vipps.state, sessionId }
  }

  // AUTHORIZED: share the profile into the cart, then authorize the session and complete the cart
  // through Medusa's own workflow.
  if (!session.payment && provider.options.profileScope && vipps.profile.sub) {
    const cartId = await cartOfCollection(container, session.payment_collection_id)
    if (cartId) await fillCartFromProfile(container, registration, cartId, vipps.profile.sub)
  }
  // Authorized and ordered already (a duplicate, a late AUTHORIZED, a CAPTURED or REFUNDED event): the
  // payment workflow would only take the cart lock and find nothing to do; only money movements can be new.
  const settled = !!session.payment && !!(await orderOfCollection(container, session.payment_collection_id))
  if (!settled) {
    await processPaymentWorkflow(container).run({
      input: {
        action: PaymentActions.AUTHORIZED,
        data: { session_id: session.id, amount: fromMinorUnits(vipps.amount.value, vipps.amount.currency) },
      },
    })
  }

  const [after] = await paymentModule.listPaymentSessions({ id: sessionId }, { relations: ["payment"] })
  if (!after?.payment)
    throw new SyncError(`Vipps MobilePay payment ${reference} is approved but Medusa has no payment yet`)

  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  let orderId: string | undefined
  const cartId = await cartOfCollection(container, after.payment_collection_id)
  if (cartId) {
    const { data: orders } = await query.graph({
      entity: "order_cart",
      fields: ["order_id"],
      filters: { cart_id: cartId },
    })
    orderId = (orders[0] as { order_id?: string } | undefined)?.order_id
    if (!orderId)
      throw new SyncError(
        `Vipps MobilePay payment ${reference} is approved but cart ${cartId} has no order yet`,
      )
  }

  const recorded = await recordOutsideMovements(paymentModule, logger, after.payment.id, vipps)
  return { outcome: "authorized", sessionId, orderId, paymentId: after.payment.id, recorded }
}

/**
 * A payment of ours whose session Medusa deleted (the cart changed or the shopper switched method while
 * the app was open) can still be approved: no order will ever use that reservation, so release it.
 */
async function releaseOrphan(
  { provider }: VippsRegistration,
  paymentModule: IPaymentModuleService,
  logger: Logger,
  reference: string,
): Promise<SyncOutcome> {
  const vipps = await provider.vipps.epayment.getPayment(reference).catch((error: unknown) => {
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
  const { authorizedAmount, capturedAmount, cancelledAmount } = vipps.aggregate
  const remaining = authorizedAmount.value - capturedAmount.value - cancelledAmount.value
  if (vipps.state !== "AUTHORIZED" || remaining <= 0) {
    return { outcome: "ignored", reason: "no such payment session" }
  }
  await provider.vipps.epayment.cancelPayment(reference, referenceKey("release", reference))
  logger.warn(
    `Vipps MobilePay payment ${reference} was approved for a payment session Medusa had dropped; released it`,
  )
  return { outcome: "released", reason: "approved after its payment session was dropped" }
}

async function orderOfCollection(container: MedusaContainer, paymentCollectionId: string) {
  const cartId = await cartOfCollection(container, paymentCollectionId)
  if (!cartId) return undefined
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order_cart",
    fields: ["order_id"],
    filters: { cart_id: cartId },
  })
  return (data[0] as { order_id?: string } | undefined)?.order_id
}

async function cartOfCollection(container: MedusaContainer, paymentCollectionId: string) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart_payment_collection",
    fields: ["cart_id"],
    filters: { payment_collection_id: paymentCollectionId },
  })
  return (data[0] as { cart_id?: string } | undefined)?.cart_id
}

/**
 * Captures, refunds and cancellations made outside Medusa (e.g. in the business portal) are recorded,
 * never sent to Vipps MobilePay again. A capture Vipps holds beyond Medusa's captures becomes a capture
 * row marked as already captured (no provider call); refunds and cancellations are kept in the payment
 * data for the merchant to see. Medusa's own movements compare equal and cause nothing.
 */
async function recordOutsideMovements(
  paymentModule: IPaymentModuleService,
  logger: Logger,
  paymentId: string,
  vipps: GetPaymentResponse,
): Promise<string[]> {
  const payment = await paymentModule.retrievePayment(paymentId, {
    select: ["id", "data", "amount", "currency_code", "captured_at", "canceled_at"],
    relations: ["captures", "refunds"],
  })
  const currency = vipps.amount.currency
  const sum = (rows?: { amount: unknown }[] | null) =>
    toMinorUnits(
      MathBN.convert(
        (rows ?? []).reduce((total, row) => MathBN.add(total, row.amount as never), MathBN.convert(0)),
      ).toFixed(),
      currency,
    )
  const medusaCaptured = sum(payment.captures as never)
  const medusaRefunded = sum(payment.refunds as never)
  const { capturedAmount, refundedAmount, cancelledAmount } = vipps.aggregate
  const recorded: string[] = []

  if (capturedAmount.value > medusaCaptured) {
    const missing = capturedAmount.value - medusaCaptured
    await paymentModule.capturePayment({
      payment_id: paymentId,
      amount: fromMinorUnits(missing, currency),
      // Already captured at Vipps MobilePay: record it without calling the provider.
      is_captured: true,
    } as Parameters<IPaymentModuleService["capturePayment"]>[0])
    recorded.push(`capture ${fromMinorUnits(missing, currency)} ${currency}`)
    logger.warn(
      `Vipps MobilePay payment ${vipps.reference}: recorded a capture of ${fromMinorUnits(missing, currency)} ${currency} made outside Medusa`,
    )
  }
  const outside = {
    refunded: Math.max(0, refundedAmount.value - medusaRefunded),
    cancelled: payment.canceled_at ? 0 : cancelledAmount.value,
  }
  if (outside.refunded > 0) recorded.push(`refund ${fromMinorUnits(outside.refunded, currency)} ${currency}`)
  if (outside.cancelled > 0)
    recorded.push(`cancel ${fromMinorUnits(outside.cancelled, currency)} ${currency}`)

  if (isVippsSessionData(payment.data)) {
    const data = {
      ...withPayment(payment.data, vipps),
      ...(outside.refunded > 0 || outside.cancelled > 0
        ? {
            outsideMedusa: { refundedAmount: outside.refunded, cancelledAmount: outside.cancelled, currency },
          }
        : {}),
    }
    // The module stores `data` as given; its DTO type just does not list it.
    await paymentModule.updatePayment({ id: paymentId, data } as Parameters<
      IPaymentModuleService["updatePayment"]
    >[0])
  }
  return recorded
}
