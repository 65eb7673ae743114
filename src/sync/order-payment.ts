import type { BigNumberInput, IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules, PaymentActions } from "@medusajs/framework/utils"
import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { addOrderTransactionStep, processPaymentWorkflow } from "@medusajs/medusa/core-flows"

type CaptureTransaction = {
  order_id: string
  amount: BigNumberInput
  currency_code: string
  reference: "capture"
  reference_id: string
}

/**
 * Adds the order transactions of captures (Medusa's step skips those already there). Made on first use:
 * a workflow defined when the module loads would be defined wherever the sync is imported.
 */
let addCaptureTransactions: ReturnType<typeof defineAddCaptureTransactions> | undefined
function defineAddCaptureTransactions() {
  return createWorkflow(
    "vipps-add-order-capture-transactions",
    (input: { transactions: CaptureTransaction[] }) => {
      addOrderTransactionStep(input.transactions)
      return new WorkflowResponse(undefined)
    },
  )
}

/**
 * Authorizes the payment session of an order's own payment collection (an order edit, a converted draft
 * order, a request staff sent: no cart). Medusa's processPaymentWorkflow authorizes it; a capture at
 * authorization (autoCapture) then needs its order transaction, which only cart completion adds — without
 * it the order would still show the amount as owed.
 */
export async function authorizeOrderPayment(
  container: MedusaContainer,
  input: { sessionId: string; orderId: string | undefined; amount: string },
): Promise<void> {
  await processPaymentWorkflow(container).run({
    input: { action: PaymentActions.AUTHORIZED, data: { session_id: input.sessionId, amount: input.amount } },
  })
  if (!input.orderId) return
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const [payment] = await paymentModule.listPayments(
    { payment_session_id: input.sessionId },
    { relations: ["captures"] },
  )
  const transactions = (payment?.captures ?? []).map((capture) => ({
    order_id: input.orderId as string,
    amount: capture.amount as BigNumberInput,
    currency_code: payment.currency_code,
    reference: "capture" as const,
    reference_id: capture.id,
  }))
  if (transactions.length === 0) return
  addCaptureTransactions ??= defineAddCaptureTransactions()
  await addCaptureTransactions(container).run({ input: { transactions } })
}
