import type { IPaymentModuleService, Logger, MedusaContainer } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  MedusaError,
  Modules,
  PaymentSessionStatus,
} from "@medusajs/framework/utils"
import { createOrderPaymentCollectionWorkflow } from "@medusajs/medusa/core-flows"
import { fromMinorUnits, toMinorUnits } from "../../../../lib/money"
import { referenceKey } from "../../../../lib/reference"
import { adminRequestGrant } from "../../../../providers/vipps/admin-request"
import { toMedusaError } from "../../../../providers/vipps/errors"
import { findRegistration, listRegistrations } from "../../../../providers/vipps/registration"
import { isVippsSessionData, type VippsSessionData } from "../../../../providers/vipps/session-data"
import { withReferenceLock } from "../../../../sync/lock"
import { syncVippsPayment } from "../../../../sync/sync-payment"
import {
  loadOrderFacts,
  minorOf,
  requestSessions,
  viewOf,
  type PaymentRow,
  type SessionRow,
} from "./order-requests"
import type { PaymentRequestInput } from "./request-input"
import {
  isRequestMarker,
  PAYMENT_REQUEST_KEY,
  type PaymentRequestView,
  type RequestMarker,
} from "./request-view"

/**
 * Payment requests staff send from the admin for what an order (or a converted draft order) still owes:
 * through Medusa's own payment collection of the order and a payment session on a Vipps MobilePay
 * provider. Approval reaches Medusa the way every payment does (webhook, reconciler, refresh: the sync).
 */

const OPEN = new Set<string>([PaymentSessionStatus.PENDING, PaymentSessionStatus.REQUIRES_MORE])

/** The session `data` that makes the provider create the request the staff chose. */
function sessionData(input: PaymentRequestInput, grant: string): Record<string, unknown> {
  const expiresAt = input.expires_at ? { expiresAt: input.expires_at } : {}
  switch (input.method) {
    case "push":
      return { userFlow: "PUSH_MESSAGE", phoneNumber: input.phone_number, ...expiresAt, adminRequest: grant }
    case "qr":
      // Shown at the counter: the customer stands in front of staff.
      return {
        userFlow: "QR",
        customerInteraction: "CUSTOMER_PRESENT",
        qrFormat: "IMAGE/SVG+XML",
        ...expiresAt,
        adminRequest: grant,
      }
    case "link":
      // The landing page; a long-living link is the QR code's target URL (long-living needs QR or push).
      return input.expires_at
        ? { userFlow: "QR", qrFormat: "TEXT/TARGETURL", ...expiresAt, adminRequest: grant }
        : { userFlow: "WEB_REDIRECT", adminRequest: grant }
  }
}

/** One request at a time per order: two clicks or two staff members never send two. */
function withOrderLock<T>(scope: MedusaContainer, orderId: string, work: () => Promise<T>): Promise<T> {
  const locking = scope.resolve(Modules.LOCKING)
  return locking.execute(`vipps:payment-request:${orderId}`, work, { timeout: 30, expire: 120 })
}

export async function sendPaymentRequest(
  scope: MedusaContainer,
  orderId: string,
  input: PaymentRequestInput,
  userId: string | undefined,
): Promise<PaymentRequestView> {
  return withOrderLock(scope, orderId, async () => {
    const facts = await loadOrderFacts(scope, orderId)
    const label = `Order #${facts.displayId ?? facts.id}`
    if (facts.status === "canceled") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${label} is cancelled: nothing can be requested`)
    }
    const registration = facts.registrations.find((r) => r.id === input.registration)
    if (!registration) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Registration "${input.registration}" does not serve this order's region; choose one of: ${facts.registrations.map((r) => r.id).join(", ") || "none"}`,
      )
    }
    const outstanding = fromMinorUnits(facts.requestable, facts.currency)
    if (facts.requestable <= 0) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${label} has no outstanding amount to request`)
    }
    const value = input.amount === undefined ? facts.requestable : toMinorUnits(input.amount, facts.currency)
    if (value > facts.requestable) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `${label} owes ${outstanding} ${facts.currency}: a request cannot ask for more (${fromMinorUnits(value, facts.currency)} ${facts.currency} asked)`,
      )
    }
    if (value <= 0)
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "The amount must be larger than zero")

    // A new request replaces the open one: cancelled at Vipps MobilePay first, so the customer can pay once.
    for (const open of requestSessions(facts).filter((r) => OPEN.has(r.session.status) && !r.payment)) {
      await cancelRequestSession(scope, open.session, "replace")
    }

    const paymentModule = scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
    const amount = fromMinorUnits(value, facts.currency)
    let collection = facts.collections.find(
      (c) =>
        (c.status === "not_paid" || c.status === "awaiting") &&
        !(c.payments ?? []).some((p) => !p.canceled_at),
    )
    if (!collection) {
      const { result } = await createOrderPaymentCollectionWorkflow(scope).run({
        input: { order_id: facts.id, amount: Number(amount) },
      })
      collection = { id: result[0].id, status: "not_paid", amount }
    } else if (minorOf(collection.amount, facts.currency) !== value) {
      await paymentModule.updatePaymentCollections(collection.id, { amount })
    }

    const marker: RequestMarker = {
      method: input.method,
      requested_at: new Date().toISOString(),
      ...(userId ? { requested_by: userId } : {}),
      ...(input.method === "push" && input.phone_number
        ? { phone_hint: `…${input.phone_number.slice(-3)}` }
        : {}),
    }
    const session = await paymentModule.createPaymentSession(collection.id, {
      provider_id: registration.providerId,
      currency_code: facts.currency.toLowerCase(),
      amount,
      data: sessionData(input, adminRequestGrant(registration.returnTokenKey, collection.id)),
      metadata: { [PAYMENT_REQUEST_KEY]: marker },
    })
    return viewOf({ session: session as unknown as SessionRow, marker, payment: undefined })
  })
}

/** The request behind a reference: its registration and session; 404 for anything that is not a request. */
async function findRequest(scope: MedusaContainer, reference: string) {
  const paymentModule = scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  if (!/^[A-Za-z0-9-]{8,64}$/.test(reference)) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, "No such payment request")
  }
  for (const registration of await listRegistrations(scope)) {
    const sessionId = registration.sessionIdFor(reference)
    if (!sessionId) continue
    const [session] = await paymentModule.listPaymentSessions(
      { id: sessionId },
      { relations: ["payment", "payment.captures"] },
    )
    const marker = session?.metadata?.[PAYMENT_REQUEST_KEY]
    if (
      session &&
      session.provider_id === registration.providerId &&
      isRequestMarker(marker) &&
      isVippsSessionData(session.data) &&
      session.data.reference === reference
    ) {
      return { registration, session: session as unknown as SessionRow & { payment?: PaymentRow }, marker }
    }
  }
  throw new MedusaError(MedusaError.Types.NOT_FOUND, "No such payment request")
}

/** A request's state, brought in line with Vipps MobilePay first (the widget polls this). */
export async function readPaymentRequest(
  scope: MedusaContainer,
  reference: string,
): Promise<PaymentRequestView> {
  const { registration } = await findRequest(scope, reference)
  try {
    await syncVippsPayment(scope, registration, reference)
  } catch (error) {
    // The stored state is still worth showing; the reconciler retries.
    scope
      .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
      .warn(
        `Vipps MobilePay payment request ${reference} could not be refreshed: ${error instanceof Error ? error.message : String(error)}`,
      )
  }
  const { session, marker } = await findRequest(scope, reference)
  return viewOf({ session, marker, payment: session.payment ?? undefined })
}

export async function cancelPaymentRequest(
  scope: MedusaContainer,
  reference: string,
): Promise<PaymentRequestView> {
  const { session } = await findRequest(scope, reference)
  await cancelRequestSession(scope, session, "cancel")
  return readPaymentRequest(scope, reference)
}

/**
 * Cancels an open request at Vipps MobilePay (the customer can no longer approve it) and lets the sync mark
 * Medusa's session cancelled. Refused when the customer approved it meanwhile: that money is reserved and
 * is released from the order's payment, never silently here.
 */
async function cancelRequestSession(scope: MedusaContainer, session: SessionRow, why: "cancel" | "replace") {
  const data = session.data as unknown as VippsSessionData
  const registration = findRegistration(scope, session.provider_id)
  if (!registration) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `The provider ${session.provider_id} is not configured in this store any more`,
    )
  }
  const { reference } = data
  await withReferenceLock(scope, reference, async () => {
    const vipps = await registration.client.epayment.getPayment(reference).catch((error: unknown) => {
      throw toMedusaError(error, `read ${reference}`)
    })
    if (vipps.state === "AUTHORIZED") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        why === "replace"
          ? "The customer has just approved the earlier request: refresh the order before asking again"
          : "The customer has already approved this request: release the payment from the order instead",
      )
    }
    if (vipps.state === "CREATED") {
      await registration.client.epayment
        .cancelPayment(reference, referenceKey("cancel-request", reference), { cancelTransactionOnly: true })
        .catch((error: unknown) => {
          throw toMedusaError(error, `cancel ${reference}`)
        })
    }
  })
  await syncVippsPayment(scope, registration, reference)
}
