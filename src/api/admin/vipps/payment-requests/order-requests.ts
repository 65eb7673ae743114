import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { isSupportedCurrency, toMinorUnits, type SupportedCurrency } from "../../../../lib/money"
import {
  findRegistration,
  listRegistrations,
  registrationIdOf,
  type VippsRegistration,
} from "../../../../providers/vipps/registration"
import { isVippsSessionData, type VippsSessionData } from "../../../../providers/vipps/session-data"
import { money, type Money } from "../payment-view"
import {
  isRequestMarker,
  PAYMENT_REQUEST_KEY,
  requestView,
  type PaymentRequestView,
  type RequestMarker,
} from "./request-view"

/**
 * What an order owes and the payment requests staff sent for it so far, read from Medusa's order, its
 * payment collections and their sessions (the admin's overview, and the checks before a new request).
 */

type Row = Record<string, unknown>
export type SessionRow = {
  id: string
  provider_id: string
  status: string
  amount: unknown
  currency_code: string
  data: Record<string, unknown>
  metadata?: Record<string, unknown> | null
  created_at?: string | Date
}
export type PaymentRow = {
  id: string
  amount: unknown
  payment_session_id?: string
  canceled_at?: string | null
  captures?: { amount: unknown }[] | null
}
type CollectionRow = {
  id: string
  status: string
  amount: unknown
  payment_sessions?: SessionRow[] | null
  payments?: PaymentRow[] | null
}

export type OrderFacts = {
  id: string
  displayId?: number
  status: string
  currency: SupportedCurrency
  /** What Medusa says the customer still owes, minus approved amounts not captured yet (minor units). */
  requestable: number
  phone?: string
  collections: CollectionRow[]
  /** Registrations enabled in the order's region (all of the store's when the region names none). */
  registrations: VippsRegistration[]
}

export type PaymentRequestOverview = {
  order_id: string
  display_id?: number
  /** Nothing can be requested for a cancelled order or one that owes nothing. */
  can_request: boolean
  outstanding: Money
  /** The customer's number as the order has it (prefill; staff may change it). */
  phone?: string
  registrations: { id: string; provider_id: string; name: string }[]
  /** Newest first. */
  requests: PaymentRequestView[]
}

const ORDER_FIELDS = [
  "id",
  "display_id",
  "status",
  "currency_code",
  "summary.*",
  "customer.phone",
  "shipping_address.phone",
  "billing_address.phone",
  "region.payment_providers.id",
  "payment_collections.id",
  "payment_collections.status",
  "payment_collections.amount",
  "payment_collections.payment_sessions.*",
  "payment_collections.payments.id",
  "payment_collections.payments.amount",
  "payment_collections.payments.payment_session_id",
  "payment_collections.payments.canceled_at",
  "payment_collections.payments.captures.amount",
]

export const minorOf = (amount: unknown, currency: string) =>
  toMinorUnits(MathBN.convert((amount ?? 0) as never).toFixed(), currency)

/** Digits only, as Vipps MobilePay wants an MSISDN; undefined when the order has no usable number. */
function phoneOf(order: Row): string | undefined {
  const candidates = [
    (order.shipping_address as Row | null)?.phone,
    (order.billing_address as Row | null)?.phone,
    (order.customer as Row | null)?.phone,
  ]
  for (const raw of candidates) {
    if (typeof raw === "string" && raw.trim()) return raw.replace(/[^\d]/g, "") || undefined
  }
  return undefined
}

export async function loadOrderFacts(scope: MedusaContainer, orderId: string): Promise<OrderFacts> {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ORDER_FIELDS, filters: { id: orderId } })
  const order = data[0] as Row | undefined
  if (!order) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${orderId} was not found`)
  const currency = String(order.currency_code).toUpperCase()
  if (!isSupportedCurrency(currency)) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Vipps MobilePay cannot take payments in ${currency}: only NOK, DKK and EUR`,
    )
  }
  const collections = ((order.payment_collections as CollectionRow[] | null) ?? []).filter(Boolean)
  const summary = (order.summary ?? {}) as Row
  const pending = minorOf(summary.raw_pending_difference ?? summary.pending_difference, currency)
  // Approved but not captured yet: Medusa counts it as paid only once captured, staff must not ask twice.
  const reserved = collections
    .flatMap((c) => c.payments ?? [])
    .filter((p) => !p.canceled_at)
    .reduce((total, p) => {
      const captured = (p.captures ?? []).reduce((sum, c) => sum + minorOf(c.amount, currency), 0)
      return total + Math.max(0, minorOf(p.amount, currency) - captured)
    }, 0)
  const regionProviders = (((order.region as Row | null)?.payment_providers as Row[] | null) ?? [])
    .map((p) => String(p.id))
    .filter((id) => registrationIdOf(id))
  const registrations =
    regionProviders.length > 0
      ? regionProviders.map((id) => findRegistration(scope, id)).filter((r): r is VippsRegistration => !!r)
      : await listRegistrations(scope)
  return {
    id: String(order.id),
    displayId: order.display_id as number | undefined,
    status: String(order.status),
    currency,
    requestable: Math.max(0, pending - reserved),
    phone: phoneOf(order),
    collections,
    registrations,
  }
}

export type RequestSession = { session: SessionRow; marker: RequestMarker; payment: PaymentRow | undefined }

export function requestSessions(facts: OrderFacts): RequestSession[] {
  return facts.collections
    .flatMap((c) =>
      (c.payment_sessions ?? []).map((session) => ({
        session,
        marker: session.metadata?.[PAYMENT_REQUEST_KEY] as RequestMarker,
        payment: (c.payments ?? []).find((p) => p.payment_session_id === session.id),
      })),
    )
    .filter((r): r is RequestSession => isRequestMarker(r.marker) && isVippsSessionData(r.session.data))
    .sort((a, b) => (a.marker.requested_at < b.marker.requested_at ? 1 : -1))
}

export function viewOf({ session, marker, payment }: RequestSession): PaymentRequestView {
  const data = session.data as Partial<VippsSessionData>
  const currency = data.amount?.currency ?? session.currency_code.toUpperCase()
  const captured = (payment?.captures ?? []).reduce((sum, c) => sum + minorOf(c.amount, currency), 0)
  return requestView({
    registration: registrationIdOf(session.provider_id) ?? session.provider_id,
    status: session.status,
    data,
    marker,
    payment: payment ? { id: payment.id, captured, canceled: !!payment.canceled_at } : null,
  })
}

export function overview(facts: OrderFacts): PaymentRequestOverview {
  return {
    order_id: facts.id,
    ...(facts.displayId !== undefined ? { display_id: facts.displayId } : {}),
    can_request: facts.status !== "canceled" && facts.requestable > 0 && facts.registrations.length > 0,
    outstanding: money(facts.requestable, facts.currency),
    ...(facts.phone ? { phone: facts.phone } : {}),
    registrations: facts.registrations.map((r) => ({
      id: r.id,
      provider_id: r.providerId,
      name: r.options.storeName ? `${r.options.storeName} (${r.id})` : r.id,
    })),
    requests: requestSessions(facts).map(viewOf),
  }
}
