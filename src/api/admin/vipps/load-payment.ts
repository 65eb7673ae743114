import type { MedusaContainer, IPaymentModuleService } from "@medusajs/framework/types"
import { MathBN, MedusaError, Modules } from "@medusajs/framework/utils"
import { isSupportedCurrency, toMinorUnits, type SupportedCurrency } from "../../../lib/money"
import {
  findRegistration,
  registrationIdOf,
  type VippsRegistration,
} from "../../../providers/vipps/registration"
import { isVippsSessionData, type VippsSessionData } from "../../../providers/vipps/session-data"

type AmountRow = { amount: unknown }

export type LoadedVippsPayment = {
  id: string
  providerId: string
  data: VippsSessionData
  currency: SupportedCurrency
  /** Medusa's numbers, minor units. */
  amount: number
  captured: number
  refunded: number
  capturedAt: Date | string | null
  canceledAt: Date | string | null
  /** Undefined when the provider is no longer configured in this store. */
  registration: VippsRegistration | undefined
}

/**
 * A Medusa payment (`pay_…`) of a Vipps MobilePay provider with Medusa's captured and refunded sums, for
 * the admin routes. 404 for unknown payments and for other providers' payments.
 */
export async function loadVippsPayment(scope: MedusaContainer, id: string): Promise<LoadedVippsPayment> {
  const paymentModule = scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const [payment] = await paymentModule.listPayments(
    { id },
    {
      select: ["id", "provider_id", "amount", "currency_code", "data", "captured_at", "canceled_at"],
      relations: ["captures", "refunds"],
    },
  )
  if (!payment) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Payment ${id} was not found`)
  if (!registrationIdOf(payment.provider_id) || !isVippsSessionData(payment.data)) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Payment ${id} is not a Vipps MobilePay payment`)
  }
  const data = payment.data
  const currency = (data.amount?.currency ?? payment.currency_code).toUpperCase()
  if (!isSupportedCurrency(currency)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Payment ${id} is in an unsupported currency`)
  }
  const minor = (amount: unknown) => toMinorUnits(MathBN.convert(amount as never).toFixed(), currency)
  const sum = (rows?: AmountRow[] | null) => (rows ?? []).reduce((total, row) => total + minor(row.amount), 0)
  return {
    id: payment.id,
    providerId: payment.provider_id,
    data,
    currency,
    amount: minor(payment.amount),
    captured: sum(payment.captures as AmountRow[] | undefined),
    refunded: sum(payment.refunds as AmountRow[] | undefined),
    capturedAt: payment.captured_at ?? null,
    canceledAt: payment.canceled_at ?? null,
    registration: findRegistration(scope, payment.provider_id),
  }
}
