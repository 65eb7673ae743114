import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { PROVIDER_ID_PREFIX } from "../../../../providers/vipps/registration"
import { isVippsSessionData } from "../../../../providers/vipps/session-data"
import { CAPTURE_DAYS } from "../payment-view"
import { ATTENTION_KEY, type Attention, flaggedSessionIds } from "../../../../sync/attention"
import { orderOfCollection } from "../../../../sync/links"

const DAY_MS = 24 * 3600 * 1000
const DEADLINE_WARNING_DAYS = 7

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

export type AdminVippsAttentionResponse = { flagged: AttentionItem[]; capture_deadlines: DeadlineItem[] }

/**
 * `GET /admin/vipps/attention` — Vipps MobilePay payments staff must look at: released after a failed
 * order, moved after Medusa canceled them, released outside Medusa, or still holding an uncaptured
 * reservation within 7 days of its capture deadline.
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

  const now = Date.now()
  const open = await paymentModule.listPayments(
    { canceled_at: null, captured_at: null } as unknown as Parameters<
      IPaymentModuleService["listPayments"]
    >[0],
    { relations: ["payment_session"], take: 5_000 },
  )
  const deadlines: DeadlineItem[] = []
  for (const payment of open) {
    if (!payment.provider_id.startsWith(PROVIDER_ID_PREFIX) || !isVippsSessionData(payment.data)) continue
    const guaranteed = (payment.data as { captureGuaranteedUntil?: string }).captureGuaranteedUntil
    const authorizedAt = payment.payment_session?.authorized_at ?? payment.created_at
    const at = guaranteed
      ? new Date(guaranteed).getTime()
      : new Date(authorizedAt as unknown as string).getTime() +
        (CAPTURE_DAYS[payment.data.amount.currency] ?? CAPTURE_DAYS.DKK).days * DAY_MS
    if (Number.isNaN(at) || at - now > DEADLINE_WARNING_DAYS * DAY_MS) continue
    deadlines.push({
      payment_id: payment.id,
      order_id: (await orderOfCollection(req.scope, payment.payment_collection_id)) ?? null,
      reference: payment.data.reference,
      capture_deadline: new Date(at).toISOString(),
      days_left: Math.max(0, Math.floor((at - now) / DAY_MS)),
    })
  }
  deadlines.sort((a, b) => a.capture_deadline.localeCompare(b.capture_deadline))
  const body: AdminVippsAttentionResponse = { flagged, capture_deadlines: deadlines }
  res.json(body)
}
