import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { reconcileVippsPayments } from "../sync/reconcile"

/**
 * Polling fallback for lost webhooks (the Vipps MobilePay checklist asks for both webhooks and polling).
 * With the Redis workflow engine it runs once per tick on the worker; without it on every process at
 * every tick, which is only safe with a shared locking provider (Redis or Postgres): with in-memory locks
 * two processes can complete the same payment twice (docs/multi-instance.md).
 */
export default async function reconcileVippsPaymentsJob(container: MedusaContainer) {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const report = await reconcileVippsPayments(container)
  if (report.checked > 0) {
    logger.info(
      `Vipps MobilePay reconciliation: ${report.checked} checked, ${JSON.stringify(report.outcomes)}, ${report.errors} errors`,
    )
  }
}

export const config = {
  name: "vipps-mobilepay-reconcile-payments",
  // Six-field cron; overridable so tests and busy stores can pick their own pace.
  schedule: process.env.VIPPS_RECONCILE_SCHEDULE ?? "*/30 * * * * *",
}
