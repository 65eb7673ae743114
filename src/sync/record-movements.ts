import type { IPaymentModuleService, Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import { capturePaymentWorkflow, refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { fromMinorUnits, toMinorUnits } from "../lib/money"
import type { GetPaymentResponse } from "../lib/vipps/schemas"
import { RECORDED_FROM_VIPPS, RECORDED_NOTE } from "../providers/vipps/guard"
import { remainingToCapture, withPayment } from "../providers/vipps/payment-state"
import { isVippsSessionData, type VippsSessionData } from "../providers/vipps/session-data"
import { flagForStaff, type SessionRow } from "./attention"

type Row = { amount: unknown }
type PaymentRow = {
  id: string
  amount: unknown
  data?: unknown
  canceled_at?: Date | string | null
  captured_at?: Date | string | null
  payment_collection_id?: string
  captures?: Row[] | null
  refunds?: Row[] | null
  payment_session?: SessionRow | null
}

function minorSum(rows: Row[] | null | undefined, currency: string): number {
  const total = (rows ?? []).reduce((sum, row) => MathBN.add(sum, row.amount as never), MathBN.convert(0))
  return toMinorUnits(MathBN.convert(total).toFixed(), currency)
}

/** Medusa's side of one payment in minor units: what its rows say. */
export function medusaTotals(payment: PaymentRow, currency: string) {
  const captured = minorSum(payment.captures, currency)
  const amount = toMinorUnits(MathBN.convert(payment.amount as never).toFixed(), currency)
  return {
    captured,
    refunded: minorSum(payment.refunds, currency),
    // A canceled payment released whatever it had not captured.
    cancelled: payment.canceled_at ? amount - captured : 0,
  }
}

/**
 * Vipps MobilePay's aggregate is the ledger: every capture, refund and cancellation it holds that Medusa's
 * rows lack (made in the business portal, or one of ours whose answer was lost) becomes a Medusa row
 * through Medusa's own workflows, with its order transaction and event. Nothing is sent to Vipps again:
 * captures are recorded as already captured, refunds carry a marker the provider checks against Vipps.
 * A capture on a payment Medusa already canceled cannot be recorded: it is flagged for staff.
 */
export async function recordMovements(
  container: MedusaContainer,
  paymentId: string,
  vipps: GetPaymentResponse,
): Promise<string[]> {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const read = async () =>
    (await paymentModule.retrievePayment(paymentId, {
      select: [
        "id",
        "data",
        "amount",
        "currency_code",
        "captured_at",
        "canceled_at",
        "payment_collection_id",
      ],
      relations: ["captures", "refunds", "payment_session"],
    })) as unknown as PaymentRow
  let payment = await read()
  const currency = vipps.amount.currency
  const money = (minor: number) => `${fromMinorUnits(minor, currency)} ${currency}`
  const { capturedAmount, refundedAmount, cancelledAmount } = vipps.aggregate
  const medusa = medusaTotals(payment, currency)
  const recorded: string[] = []

  // A canceled payment can still be refunded (Medusa allows it) but never captured again: a capture Vipps
  // holds beyond Medusa's is money taken for a payment Medusa gave up on.
  if (payment.canceled_at && capturedAmount.value > medusa.captured) {
    if (payment.payment_session) {
      await flagForStaff(container, payment.payment_session, {
        reason: "movement_after_cancel",
        message: `Vipps MobilePay holds ${money(capturedAmount.value)} captured and ${money(refundedAmount.value)} refunded for ${vipps.reference}, but Medusa canceled this payment. The customer may have been charged for a canceled order: refund at Vipps MobilePay or restore the order.`,
        vipps: {
          captured: capturedAmount.value,
          refunded: refundedAmount.value,
          cancelled: cancelledAmount.value,
          currency,
        },
        medusa: { captured: medusa.captured, refunded: medusa.refunded, currency },
      })
    }
    logger.warn(
      `Vipps MobilePay payment ${vipps.reference} moved after Medusa canceled it; flagged for staff`,
    )
    return ["flagged: movement after cancel"]
  }

  if (capturedAmount.value > medusa.captured) {
    const missing = capturedAmount.value - medusa.captured
    await capturePaymentWorkflow(container).run({
      // is_captured: already captured at Vipps MobilePay, so Medusa records it without calling the provider.
      input: { payment_id: paymentId, amount: fromMinorUnits(missing, currency), is_captured: true } as never,
    })
    recorded.push(`capture ${money(missing)}`)
    logger.info(
      `Vipps MobilePay payment ${vipps.reference}: recorded a capture of ${money(missing)} made at Vipps`,
    )
  }

  if (refundedAmount.value > medusa.refunded) {
    const missing = refundedAmount.value - medusa.refunded
    await refundPaymentWorkflow(container).run({
      input: {
        payment_id: paymentId,
        amount: fromMinorUnits(missing, currency),
        note: RECORDED_NOTE,
        metadata: { [RECORDED_FROM_VIPPS]: true },
      } as never,
    })
    recorded.push(`refund ${money(missing)}`)
    logger.info(
      `Vipps MobilePay payment ${vipps.reference}: recorded a refund of ${money(missing)} made at Vipps`,
    )
  }

  // Released at Vipps with nothing left to capture: Medusa's payment can capture no more either.
  if (!payment.canceled_at && cancelledAmount.value > 0 && remainingToCapture(vipps.aggregate) <= 0) {
    await paymentModule.cancelPayment(paymentId)
    recorded.push(`cancel ${money(cancelledAmount.value)}`)
    payment = await read()
    if (capturedAmount.value === 0) await cancelCollectionWhenNothingPays(paymentModule, payment)
    if (capturedAmount.value === 0 && payment.payment_session) {
      await flagForStaff(container, payment.payment_session, {
        reason: "released_outside_medusa",
        message: `The reservation of ${vipps.reference} was released at Vipps MobilePay before anything was captured: this order will not be paid.`,
        vipps: { captured: 0, refunded: 0, cancelled: cancelledAmount.value, currency },
        medusa: { captured: 0, refunded: 0, currency },
      })
    }
  }

  // Written only when Vipps' state or amounts changed: most visits (hourly reads, duplicate webhooks) find none.
  const data = isVippsSessionData(payment.data) ? withPayment(payment.data, vipps) : undefined
  if (data && isVippsSessionData(payment.data) && changedAtVipps(payment.data, data)) {
    // The module stores `data` as given; its DTO type just does not list it.
    await paymentModule.updatePayment({ id: paymentId, data } as Parameters<
      IPaymentModuleService["updatePayment"]
    >[0])
  }
  return recorded
}

/**
 * Medusa's order shows "Authorized" while its payment collection says so, even after the payment was
 * canceled (the module's cancel leaves the collection alone); Medusa's own order cancel marks the collection
 * canceled. Done the same way here once no payment of the collection can pay any more.
 */
async function cancelCollectionWhenNothingPays(paymentModule: IPaymentModuleService, payment: PaymentRow) {
  const collectionId = payment.payment_collection_id
  if (!collectionId) return
  const collection = await paymentModule.retrievePaymentCollection(collectionId, {
    relations: ["payments", "payments.captures"],
  })
  if ((collection.payments ?? []).every((p) => p.canceled_at && !p.captures?.length)) {
    await paymentModule.updatePaymentCollections(collectionId, { status: "canceled" } as never)
  }
}

/** Whether what Vipps says of a payment differs from what Medusa stored (jsonb keeps no key order: compare values). */
function changedAtVipps(stored: VippsSessionData, read: VippsSessionData): boolean {
  const fields = ["state", "pspReference", "captureGuaranteedUntil", "failureReason"] as const
  if (fields.some((field) => stored[field] !== read[field])) return true
  const amounts = ["authorizedAmount", "capturedAmount", "refundedAmount", "cancelledAmount"] as const
  return amounts.some((amount) => stored.aggregate?.[amount]?.value !== read.aggregate?.[amount]?.value)
}
