import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { GetPaymentResponse, PaymentEvent } from "../../../../../lib/vipps/schemas"
import { toMedusaError } from "../../../../../providers/vipps/errors"
import { buildExpressView, type ExpressView } from "../../express-view"
import { loadVippsPayment } from "../../load-payment"
import { buildPaymentView, type PaymentView } from "../../payment-view"

export type { ExpressView } from "../../express-view"
export type {
  CaptureDeadline,
  Discrepancy,
  MerchantState,
  Money,
  PaymentActions,
  PaymentView,
  TimelineEvent,
} from "../../payment-view"

/** The answer of `GET /admin/vipps/payments/:id` (the admin widget imports it). */
export type AdminVippsPaymentResponse = { vipps_payment: PaymentView & { express: ExpressView | null } }

/**
 * `GET /admin/vipps/payments/:id` — the Vipps MobilePay side of a Medusa payment (`pay_…`): state in the
 * merchant's words and the API's, references, the aggregate amounts as Vipps MobilePay holds them, the
 * event log, the capture deadline, what may still be captured or released, where Medusa and Vipps
 * MobilePay disagree, and for Express the delivery chosen in the app with the address and contact shared. Authenticated like every admin route. Captures go through Medusa's
 * `POST /admin/payments/:id/capture`, releases through `POST /admin/vipps/payments/:id/release`.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminVippsPaymentResponse>) {
  const logger = req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const payment = await loadVippsPayment(req.scope, req.params.id)
  const { reference } = payment.data

  let vipps: GetPaymentResponse | undefined
  let events: PaymentEvent[] | undefined
  let error: string | undefined
  if (!payment.registration) {
    error = `The provider ${payment.providerId} is not configured in this store any more; Vipps MobilePay's side cannot be read.`
  } else {
    const { epayment } = payment.registration.client
    const [read, log] = await Promise.allSettled([
      epayment.getPayment(reference),
      epayment.getPaymentEvents(reference),
    ])
    if (read.status === "fulfilled") vipps = read.value
    if (log.status === "fulfilled") events = log.value
    const failed = read.status === "rejected" ? read : log.status === "rejected" ? log : undefined
    if (failed) {
      const what = read.status === "rejected" ? "payment" : "event log of payment"
      error = toMedusaError(failed.reason, `read the ${what} ${reference}`).message
      logger.warn(`Vipps MobilePay admin view of ${payment.id}: ${error}`)
    }
  }

  res.json({
    vipps_payment: {
      ...buildPaymentView({
        paymentId: payment.id,
        providerId: payment.providerId,
        reference,
        currency: payment.currency,
        medusa: {
          amount: payment.amount,
          captured: payment.captured,
          refunded: payment.refunded,
          capturedAt: payment.capturedAt,
          canceledAt: payment.canceledAt,
        },
        vipps,
        events,
        error,
        now: new Date(),
      }),
      express: buildExpressView(payment.data, vipps),
    },
  })
}
