import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService, Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError, Modules } from "@medusajs/framework/utils"
import { isSupportedCurrency, toMinorUnits } from "../../../../../lib/money"
import type { GetPaymentResponse, PaymentEvent } from "../../../../../lib/vipps/schemas"
import { toMedusaError } from "../../../../../providers/vipps/errors"
import { findRegistration } from "../../../../../providers/vipps/registration"
import { isVippsSessionData } from "../../../../../providers/vipps/session-data"
import { buildPaymentView } from "../../payment-view"

type AmountRow = { amount: unknown }

/**
 * `GET /admin/vipps/payments/:id` — the Vipps MobilePay side of a Medusa payment (`pay_…`): state,
 * references, the aggregate amounts as Vipps MobilePay holds them, the event log, the capture deadline
 * and where Medusa and Vipps MobilePay disagree. Read-only; authenticated like every admin route.
 * Capture, refund and cancel stay Medusa's own admin actions.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const paymentModule = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const logger = req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const id = req.params.id

  const [payment] = await paymentModule.listPayments(
    { id },
    {
      select: ["id", "provider_id", "amount", "currency_code", "data", "captured_at", "canceled_at"],
      relations: ["captures", "refunds"],
    },
  )
  if (!payment) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Payment ${id} was not found`)
  if (!payment.provider_id.startsWith("pp_vipps_") || !isVippsSessionData(payment.data)) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Payment ${id} is not a Vipps MobilePay payment`)
  }
  const data = payment.data
  const currency = (data.amount?.currency ?? payment.currency_code).toUpperCase()
  if (!isSupportedCurrency(currency)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Payment ${id} is in an unsupported currency`)
  }
  const minor = (amount: unknown) => toMinorUnits(MathBN.convert(amount as never).toFixed(), currency)
  const sum = (rows?: AmountRow[] | null) => (rows ?? []).reduce((total, row) => total + minor(row.amount), 0)

  let vipps: GetPaymentResponse | undefined
  let events: PaymentEvent[] | undefined
  let error: string | undefined
  const registration = findRegistration(req.scope, payment.provider_id)
  if (!registration) {
    error = `The provider ${payment.provider_id} is not configured in this store any more; Vipps MobilePay's side cannot be read.`
  } else {
    const { epayment } = registration.client
    const [read, log] = await Promise.allSettled([
      epayment.getPayment(data.reference),
      epayment.getPaymentEvents(data.reference),
    ])
    if (read.status === "fulfilled") vipps = read.value
    if (log.status === "fulfilled") events = log.value
    const failed = read.status === "rejected" ? read : log.status === "rejected" ? log : undefined
    if (failed) {
      const what = read.status === "rejected" ? "payment" : "event log of payment"
      error = toMedusaError(failed.reason, `read the ${what} ${data.reference}`).message
      logger.warn(`Vipps MobilePay admin view of ${id}: ${error}`)
    }
  }

  const outside = (data as { outsideMedusa?: { refundedAmount?: number; cancelledAmount?: number } })
    .outsideMedusa

  res.json({
    vipps_payment: buildPaymentView({
      paymentId: payment.id,
      providerId: payment.provider_id,
      reference: data.reference,
      currency,
      medusa: {
        amount: minor(payment.amount),
        captured: sum(payment.captures as AmountRow[] | undefined),
        refunded: sum(payment.refunds as AmountRow[] | undefined),
        capturedAt: payment.captured_at ?? null,
        canceledAt: payment.canceled_at ?? null,
      },
      outsideMedusa: outside ?? null,
      vipps,
      events,
      error,
      now: new Date(),
    }),
  })
}
