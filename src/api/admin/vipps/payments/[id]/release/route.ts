import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService, Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { fromMinorUnits } from "../../../../../../lib/money"
import { idempotencyKey } from "../../../../../../lib/reference"
import { toMedusaError } from "../../../../../../providers/vipps/errors"
import { withPayment } from "../../../../../../providers/vipps/service"
import { loadVippsPayment } from "../../../load-payment"
import { money, type Money } from "../../../payment-view"

/** The answer of `POST /admin/vipps/payments/:id/release`. */
export type AdminVippsReleaseResponse = {
  payment_id: string
  /** What was still reserved and is now released. */
  released: Money
  /** "payment": nothing was captured, so Medusa cancelled the whole payment; "rest": part was captured. */
  scope: "payment" | "rest"
}

/**
 * `POST /admin/vipps/payments/:id/release` — releases what is still reserved for a Vipps MobilePay payment.
 * Nothing captured: Medusa's payment module cancels the payment (its provider call, its `canceled_at`).
 * Partly captured: Medusa keeps the payment and its captures; the uncaptured rest is cancelled at Vipps
 * MobilePay with the same Idempotency-Key the order-cancel release uses (`cancel-rest` + payment id), so a
 * repeat, a double click or a later order cancel never sends a second release. Runs under the payment's
 * reference lock and re-reads Vipps MobilePay first: with nothing left to release it changes nothing.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminVippsReleaseResponse>) {
  const paymentModule = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const locking = req.scope.resolve(Modules.LOCKING)
  const logger = req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const payment = await loadVippsPayment(req.scope, req.params.id)
  const { reference } = payment.data
  const registration = payment.registration
  if (payment.canceledAt) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Payment ${payment.id} is already cancelled`)
  }
  if (!registration) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `The provider ${payment.providerId} is not configured in this store any more`,
    )
  }
  const { epayment } = registration.provider.vipps

  const answer = await locking.execute(
    `vipps:${reference}`,
    async (): Promise<AdminVippsReleaseResponse> => {
      const vipps = await epayment.getPayment(reference).catch((error: unknown) => {
        throw toMedusaError(error, `read ${reference}`)
      })
      const { authorizedAmount, capturedAmount, cancelledAmount } = vipps.aggregate
      const rest = authorizedAmount.value - capturedAmount.value - cancelledAmount.value
      if (vipps.state !== "AUTHORIZED" || rest <= 0) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Nothing is reserved for ${reference} at Vipps MobilePay any more; nothing was released`,
        )
      }
      const released = money(rest, payment.currency)
      if (capturedAmount.value === 0 && payment.captured === 0) {
        // Medusa's own cancel: the provider releases the reservation, Medusa marks the payment cancelled.
        await paymentModule.cancelPayment(payment.id)
        return { payment_id: payment.id, released, scope: "payment" }
      }
      try {
        await epayment.cancelPayment(reference, idempotencyKey("cancel-rest", payment.id))
        const after = await epayment.getPayment(reference)
        await paymentModule.updatePayment({
          id: payment.id,
          data: withPayment(payment.data, after),
        } as Parameters<IPaymentModuleService["updatePayment"]>[0])
      } catch (error) {
        throw toMedusaError(error, `release the rest of ${reference}`)
      }
      return { payment_id: payment.id, released, scope: "rest" }
    },
    { timeout: 30, expire: 120 },
  )
  logger.info(
    `Vipps MobilePay released ${fromMinorUnits(answer.released.value, payment.currency)} ${payment.currency} of ${reference} (${answer.scope === "payment" ? "whole payment" : "uncaptured rest"})`,
  )
  res.json(answer)
}
