import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { type WebhookHealth, webhookHealth } from "../../../../../sync/webhook-health"

export type AdminVippsWebhookCheckResponse = { webhooks: WebhookHealth[] }

/**
 * `POST /admin/vipps/webhooks/check` — reads every registration's webhooks from Vipps MobilePay now (after
 * staff registered one again), instead of waiting for the hourly check.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const body: AdminVippsWebhookCheckResponse = { webhooks: await webhookHealth(req.scope, { fresh: true }) }
  res.json(body)
}
