import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import {
  loadOrderFacts,
  overview,
  type PaymentRequestOverview,
} from "../../../payment-requests/order-requests"
import { sendPaymentRequest } from "../../../payment-requests/payment-request"
import { parsePaymentRequest } from "../../../payment-requests/request-input"
import type { PaymentRequestView } from "../../../payment-requests/request-view"

/**
 * `GET /admin/vipps/orders/:id/payment-requests` — what the order (or converted draft order) still owes,
 * the customer's number, the registrations that can take it, and the requests sent so far.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse<PaymentRequestOverview>) {
  res.json(overview(await loadOrderFacts(req.scope, req.params.id)))
}

/**
 * `POST /admin/vipps/orders/:id/payment-requests` — sends the customer a payment request for the
 * outstanding amount (or part of it): `{ registration, method: "push" | "qr" | "link", phone_number?,
 * amount?, expires_at? }`. Replaces an open request of the order (cancelled at Vipps MobilePay first).
 */
export async function POST(
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{ payment_request: PaymentRequestView }>,
) {
  const parsed = parsePaymentRequest(req.body)
  if ("error" in parsed) throw new MedusaError(MedusaError.Types.INVALID_DATA, parsed.error)
  const request = await sendPaymentRequest(req.scope, req.params.id, parsed.input, req.auth_context?.actor_id)
  res.status(201).json({ payment_request: request })
}
