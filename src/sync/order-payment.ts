import type { BigNumberInput, IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules, PaymentActions } from "@medusajs/framework/utils"
import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { addOrderTransactionStep, processPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { orderOfCart } from "../providers/vipps/links"

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
  if (input.orderId) await recordCaptureTransactions(container, input.sessionId, input.orderId)
}

/**
 * Authorizes the session of a cart's payment collection for the order that cart already became (Medusa
 * created the order, then failed to authorize). Runs under the cart's lock, the one Medusa's cart
 * completion takes, so a completion still in flight finishes first; the module's authorization is a no-op
 * for a session that has its payment by then.
 */
export async function authorizeForOrderOfCart(
  container: MedusaContainer,
  cartId: string,
  sessionId: string,
  orderId: string,
): Promise<void> {
  const locking = container.resolve(Modules.LOCKING)
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  await locking.execute(
    cartId,
    async () => {
      // A completion that failed after all has rolled its order back: nothing to authorize for.
      if ((await orderOfCart(container, cartId)) !== orderId) return
      const [session] = await paymentModule.listPaymentSessions({ id: sessionId }, { relations: ["payment"] })
      if (!session || session.payment) return
      // The order paid with another session (another method, another registration): this approval is a
      // second payment for the same order, to be released, never added.
      const [collection] = await paymentModule.listPaymentCollections(
        { id: session.payment_collection_id },
        { relations: ["payments"] },
      )
      if ((collection?.payments ?? []).some((payment) => !payment.canceled_at)) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "the order is already paid with another payment")
      }
      await paymentModule.authorizePaymentSession(sessionId, {})
    },
    { timeout: 30, expire: 120 },
  )
  await recordCaptureTransactions(container, sessionId, orderId)
}

/** The order transactions of the session's captures (those made at authorization with autoCapture). */
async function recordCaptureTransactions(container: MedusaContainer, sessionId: string, orderId: string) {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const [payment] = await paymentModule.listPayments(
    { payment_session_id: sessionId },
    { relations: ["captures"] },
  )
  const transactions = (payment?.captures ?? []).map((capture) => ({
    order_id: orderId,
    amount: capture.amount as BigNumberInput,
    currency_code: payment.currency_code,
    reference: "capture" as const,
    reference_id: capture.id,
  }))
  if (transactions.length === 0) return
  addCaptureTransactions ??= defineAddCaptureTransactions()
  await addCaptureTransactions(container).run({ input: { transactions } })
}
