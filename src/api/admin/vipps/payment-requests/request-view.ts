import type { VippsSessionData } from "../../../../providers/vipps/session-data"
import { money, type Money } from "../payment-view"

/**
 * What staff see of one payment request: its state in merchant words, the amount, and what to hand the
 * customer (the QR code or the link). Pure: the routes gather the session, this decides what it means.
 */

/** Kept on the payment session's metadata: marks a session as a request staff sent, and how. */
export const PAYMENT_REQUEST_KEY = "vipps_payment_request"

export const REQUEST_METHODS = ["push", "qr", "link"] as const
export type RequestMethod = (typeof REQUEST_METHODS)[number]

export type RequestMarker = {
  method: RequestMethod
  requested_at: string
  /** The admin user who sent it. */
  requested_by?: string
  /** Last digits only: enough for staff to recognise the number, nothing more is kept beside Vipps. */
  phone_hint?: string
}

export type RequestState = "sent" | "approved" | "paid" | "rejected" | "expired" | "cancelled" | "failed"

export type PaymentRequestView = {
  reference: string
  registration: string
  method: RequestMethod
  state: RequestState
  /** The state in words staff understand. */
  message: string
  amount: Money
  requested_at: string
  phone_hint?: string
  /** The QR code to show (an image URL or SVG data) or the payment link to send, while the request is open. */
  qr?: string
  link?: string
  expires_at?: string
  payment_id?: string
}

const MESSAGES: Record<RequestState, string> = {
  sent: "Sent — waiting for the customer to approve in the app",
  approved: "Approved by the customer — the amount is reserved; capture it when you deliver",
  paid: "Paid — the amount is captured",
  rejected: "The customer declined the request",
  expired: "The customer did not answer in time; the request expired",
  cancelled: "Cancelled",
  failed: "The request failed; send a new one",
}

export type RequestFacts = {
  registration: string
  status: string
  data: Partial<VippsSessionData>
  marker: RequestMarker
  payment?: { id: string; captured: number; canceled: boolean } | null
}

export function requestState(facts: Pick<RequestFacts, "status" | "data" | "payment">): RequestState {
  const { status, data, payment } = facts
  if (payment && !payment.canceled) {
    return payment.captured > 0 && payment.captured >= (data.amount?.value ?? Infinity) ? "paid" : "approved"
  }
  switch (data.state) {
    case "ABORTED":
      return "rejected"
    case "EXPIRED":
      return "expired"
    case "TERMINATED":
      return "cancelled"
  }
  if (status === "canceled") return "cancelled"
  if (status === "error") return "failed"
  if (status === "authorized" || status === "captured") return "approved"
  return "sent"
}

export function requestView(facts: RequestFacts): PaymentRequestView {
  const { data, marker } = facts
  const state = requestState(facts)
  const currency = data.amount?.currency ?? "NOK"
  const open = state === "sent"
  return {
    reference: data.reference ?? "",
    registration: facts.registration,
    method: marker.method,
    state,
    message: MESSAGES[state],
    amount: money(data.amount?.value ?? 0, currency),
    requested_at: marker.requested_at,
    ...(marker.phone_hint ? { phone_hint: marker.phone_hint } : {}),
    ...(open && marker.method === "qr" && data.redirectUrl ? { qr: data.redirectUrl } : {}),
    ...(open && marker.method === "link" && data.redirectUrl ? { link: data.redirectUrl } : {}),
    ...(data.expiresAt ? { expires_at: data.expiresAt } : {}),
    ...(facts.payment ? { payment_id: facts.payment.id } : {}),
  }
}

export function isRequestMarker(value: unknown): value is RequestMarker {
  return (
    !!value &&
    typeof value === "object" &&
    (REQUEST_METHODS as readonly string[]).includes((value as RequestMarker).method)
  )
}
