import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService, Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { fromMinorUnits } from "../../../../../../lib/money"
import { toMedusaError } from "../../../../../../providers/vipps/errors"
import { remainingToCapture } from "../../../../../../providers/vipps/payment-state"
import { withReferenceLock } from "../../../../../../sync/lock"
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
 * Medusa's payment module cancels the payment: the provider releases what is still reserved (keyed by the
 * payment id, so a repeat, a double click or a later order cancel never sends a second release) and Medusa
 * marks the payment cancelled, as Vipps MobilePay holds nothing more to capture; captures stay, refunds of
 * them stay possible. Runs under the payment's reference lock and re-reads Vipps MobilePay first: with
 * nothing left to release it changes nothing.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminVippsReleaseResponse>) {
  const paymentModule = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
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
  const { epayment } = registration.client

  const answer = await withReferenceLock(
    req.scope,
    reference,
    async (): Promise<AdminVippsReleaseResponse> => {
      const vipps = await epayment.getPayment(reference).catch((error: unknown) => {
        throw toMedusaError(error, `read ${reference}`)
      })
      const rest = remainingToCapture(vipps.aggregate)
      if (vipps.state !== "AUTHORIZED" || rest <= 0) {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Nothing is reserved for ${reference} at Vipps MobilePay any more; nothing was released`,
        )
      }
      const released = money(rest, payment.currency)
      try {
        await paymentModule.cancelPayment(payment.id)
      } catch (error) {
        throw toMedusaError(error, `release the rest of ${reference}`)
      }
      const partlyCaptured = vipps.aggregate.capturedAmount.value > 0 || payment.captured > 0
      return { payment_id: payment.id, released, scope: partlyCaptured ? "rest" : "payment" }
    },
  )
  logger.info(
    `Vipps MobilePay released ${fromMinorUnits(answer.released.value, payment.currency)} ${payment.currency} of ${reference} (${answer.scope === "payment" ? "whole payment" : "uncaptured rest"})`,
  )
  res.json(answer)
}
