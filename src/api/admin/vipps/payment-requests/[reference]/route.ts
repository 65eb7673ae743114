import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { readPaymentRequest } from "../payment-request"
import type { PaymentRequestView } from "../request-view"

/** `GET /admin/vipps/payment-requests/:reference` — the request's state, read from Vipps MobilePay first. */
export async function GET(
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{ payment_request: PaymentRequestView }>,
) {
  res.json({ payment_request: await readPaymentRequest(req.scope, req.params.reference) })
}
