import type { MedusaContainer } from "@medusajs/framework/types"
import { webhookHealth } from "../sync/webhook-health"

/**
 * Notices a webhook registration Vipps MobilePay deleted (after two weeks of an unresponsive endpoint) within
 * the hour: the check logs it and the admin's "Vipps MobilePay" page shows it.
 */
export default async function checkVippsWebhooksJob(container: MedusaContainer) {
  await webhookHealth(container)
}

export const config = {
  name: "vipps-mobilepay-check-webhooks",
  // Six-field cron: every ten minutes; the Webhooks API itself is read at most once an hour per registration.
  schedule: process.env.VIPPS_WEBHOOK_CHECK_SCHEDULE ?? "0 */10 * * * *",
}
