import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { PROVIDER_ID_PREFIX } from "../../../../providers/vipps/registration"
import { isVippsSessionData } from "../../../../providers/vipps/session-data"
import { captureDaysLeft, captureDeadline, captureDueSoon } from "../../../../lib/capture-deadline"
import { remainingToCapture } from "../../../../providers/vipps/payment-state"
import { ATTENTION_KEY, type Attention, flaggedSessionIds } from "../../../../sync/attention"
import { orderOfCollection } from "../../../../providers/vipps/links"
import { type WebhookHealth, webhookHealth } from "../../../../sync/webhook-health"

export type AttentionItem = Attention & {
  session_id: string
  payment_id: string | null
  order_id: string | null
  provider_id: string
  reference: string
}

export type DeadlineItem = {
  payment_id: string
  order_id: string | null
  reference: string
  capture_deadline: string
  days_left: number
}

export type AdminVippsAttentionResponse = {
  flagged: AttentionItem[]
  capture_deadlines: DeadlineItem[]
  /** Every registration's webhook registration at Vipps MobilePay, as last checked (at most an hour old). */
  webhooks: WebhookHealth[]
}

/**
 * `GET /admin/vipps/attention` — Vipps MobilePay payments staff must look at: released after a failed
 * order, moved after Medusa canceled them, released outside Medusa, or still holding an uncaptured
 * reservation within 7 days of its capture deadline; and whether Vipps MobilePay still sends each
 * registration's webhooks.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const paymentModule = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const ids = await flaggedSessionIds(req.scope)
  const sessions = ids.length
    ? await paymentModule.listPaymentSessions({ id: ids }, { relations: ["payment"] })
    : []
  const flagged: AttentionItem[] = []
  for (const session of sessions) {
    const attention = session.metadata?.[ATTENTION_KEY] as Attention | undefined
    if (!attention || !isVippsSessionData(session.data)) continue
    flagged.push({
      ...attention,
      session_id: session.id,
      payment_id: session.payment?.id ?? null,
      order_id: (await orderOfCollection(req.scope, session.payment_collection_id)) ?? null,
      provider_id: session.provider_id,
      reference: session.data.reference,
    })
  }
  flagged.sort((a, b) => b.flagged_at.localeCompare(a.flagged_at))

  const now = new Date()
  const open = await paymentModule.listPayments(
    { canceled_at: null, captured_at: null } as unknown as Parameters<
      IPaymentModuleService["listPayments"]
    >[0],
    { relations: ["payment_session"], take: 5_000 },
  )
  const deadlines: DeadlineItem[] = []
  for (const payment of open) {
    if (!payment.provider_id.startsWith(PROVIDER_ID_PREFIX) || !isVippsSessionData(payment.data)) continue
    const data = payment.data
    const deadline = captureDeadline({
      amount: data.amount,
      captureGuaranteedUntil: data.captureGuaranteedUntil,
      authorizedAt: (payment.payment_session?.authorized_at ?? payment.created_at) as Date | string,
    })
    const uncaptured = data.aggregate ? remainingToCapture(data.aggregate) : data.amount.value
    if (!deadline || !captureDueSoon(deadline, uncaptured, now)) continue
    deadlines.push({
      payment_id: payment.id,
      order_id: (await orderOfCollection(req.scope, payment.payment_collection_id)) ?? null,
      reference: data.reference,
      capture_deadline: deadline.at,
      days_left: captureDaysLeft(deadline, now),
    })
  }
  deadlines.sort((a, b) => a.capture_deadline.localeCompare(b.capture_deadline))
  const body: AdminVippsAttentionResponse = {
    flagged,
    capture_deadlines: deadlines,
    webhooks: await webhookHealth(req.scope),
  }
  res.json(body)
}
