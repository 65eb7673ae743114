import type { IPaymentModuleService, Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { listVippsRegistrations } from "../providers/vipps/registry"
import { isVippsSessionData } from "../providers/vipps/session-data"
import { syncVippsPayment, SyncOutcome } from "./sync-payment"

export type ReconcileOptions = {
  /** Sessions per registration per run (bounded work). */
  batchSize?: number
  /** Oldest session still watched: long-living payments may be approved days later (max 60 days). */
  maxAgeSeconds?: number
  now?: Date
}

export type ReconcileReport = { checked: number; outcomes: Record<string, number>; errors: number }

/**
 * Polls Vipps MobilePay for sessions still pending (a webhook may never arrive) and syncs each exactly as
 * a webhook would. Idempotent: every sync re-reads the state under the reference lock, so runs may overlap
 * webhooks and each other as long as that lock is shared by all processes (a Redis or Postgres locking
 * provider when the store runs several).
 */
export async function reconcileVippsPayments(
  container: MedusaContainer,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const now = (options.now ?? new Date()).getTime()
  const report: ReconcileReport = { checked: 0, outcomes: {}, errors: 0 }

  for (const registration of await listVippsRegistrations(container)) {
    const minAge = registration.provider.options.reconcileAfterSeconds * 1000
    const maxAge = (options.maxAgeSeconds ?? 60 * 24 * 3600) * 1000
    // The filter type omits `status`, which the module passes to the database as any other column.
    const filters = {
      provider_id: registration.providerId,
      status: [PaymentSessionStatus.PENDING, PaymentSessionStatus.REQUIRES_MORE],
      created_at: { $lte: new Date(now - minAge).toISOString(), $gte: new Date(now - maxAge).toISOString() },
    } as Parameters<IPaymentModuleService["listPaymentSessions"]>[0]
    const sessions = await paymentModule.listPaymentSessions(filters, {
      take: options.batchSize ?? 50,
      order: { created_at: "ASC" },
    })
    for (const session of sessions) {
      if (!isVippsSessionData(session.data)) continue
      report.checked++
      try {
        const result: SyncOutcome = await syncVippsPayment(container, registration, session.data.reference)
        report.outcomes[result.outcome] = (report.outcomes[result.outcome] ?? 0) + 1
      } catch (error) {
        report.errors++
        logger.warn(
          `Vipps MobilePay reconciliation of ${session.data.reference} failed: ${error instanceof Error ? error.message : String(error)}`,
        )
      }
    }
  }
  return report
}
