import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { cancelPaymentRequest } from "../../payment-request"
import type { PaymentRequestView } from "../../request-view"

/**
 * `POST /admin/vipps/payment-requests/:reference/cancel` — withdraws an open request: cancelled at Vipps
 * MobilePay (the customer can no longer approve it), Medusa's session marked cancelled. An approved request
 * is refused: its money is released from the order's payment.
 */
export async function POST(
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<{ payment_request: PaymentRequestView }>,
) {
  res.json({ payment_request: await cancelPaymentRequest(req.scope, req.params.reference) })
}
