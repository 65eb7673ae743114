import type { ICacheService, IPaymentModuleService, Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { listRegistrations, type VippsRegistration } from "../providers/vipps/registration"
import { isVippsSessionData } from "../providers/vipps/session-data"
import { loggable, syncVippsPayment, SyncOutcome } from "./sync-payment"

export type ReconcileOptions = {
  /** Payments visited per registration per run (bounded work, and within Vipps' rate limits). */
  batchSize?: number
  /** Oldest session still watched: long-living payments may be approved days later (max 60 days). */
  maxAgeSeconds?: number
  now?: Date
}

export type ReconcileReport = { checked: number; outcomes: Record<string, number>; errors: number }

const DAY = 24 * 3600 * 1000
/** A session waiting for approval is read back at growing intervals up to this. */
const PENDING_MAX_INTERVAL = 30 * 60 * 1000
/** Approved payments are read back until their capture deadline (Norway 180 days, the longest). */
const AUTHORIZED_MAX_AGE = 180 * DAY
/**
 * A fully captured payment is still read back this long after its capture, a partly captured one this long
 * after the rest was released (a refund in the portal).
 */
const SETTLED_WATCH = 14 * DAY

type Candidate = { reference: string; dueAt: number; kind: "pending" | "authorized"; planned?: boolean }

/**
 * Visits every payment that can still change, fairly: sessions waiting for approval by next-check time with
 * backoff (stuck ones move back, new ones come first), long-living payments on their slower cadence until
 * they expire, and approved payments with money still reserved (or a recent capture) on a slow cadence,
 * to catch portal actions and lost webhooks. Each visit is the same sync a webhook triggers. Next-check
 * times live in Medusa's cache (Redis in production): losing them only means an earlier visit.
 */
export async function reconcileVippsPayments(
  container: MedusaContainer,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const schedule = new Schedule(container)
  const now = (options.now ?? new Date()).getTime()
  const report: ReconcileReport = { checked: 0, outcomes: {}, errors: 0 }

  for (const registration of await listRegistrations(container)) {
    const candidates = [
      ...(await pendingCandidates(container, registration, now, options.maxAgeSeconds)),
      ...(await authorizedCandidates(container, registration, now)),
    ]
    const due: Candidate[] = []
    for (const candidate of candidates) {
      const next = await schedule.nextAt(candidate.reference)
      const dueAt = next ?? candidate.dueAt
      if (dueAt <= now) due.push({ ...candidate, dueAt, planned: next !== undefined })
    }
    // Never visited first, newest first (a fresh approval whose webhook was lost); then the longest waiting.
    due.sort((a, b) =>
      a.planned === b.planned ? (a.planned ? a.dueAt - b.dueAt : b.dueAt - a.dueAt) : a.planned ? 1 : -1,
    )
    for (const candidate of due.slice(0, options.batchSize ?? 50)) {
      report.checked++
      const visits = await schedule.visited(candidate.reference)
      try {
        const result: SyncOutcome = await syncVippsPayment(container, registration, candidate.reference)
        report.outcomes[result.outcome] = (report.outcomes[result.outcome] ?? 0) + 1
        await schedule.plan(candidate.reference, now + interval(registration, candidate, visits))
      } catch (error) {
        report.errors++
        await schedule.plan(candidate.reference, now + Math.min(PENDING_MAX_INTERVAL, 30_000 * 2 ** visits))
        logger.warn(`Vipps MobilePay reconciliation of ${candidate.reference} failed: ${loggable(error)}`)
      }
    }
  }
  return report
}

function interval(registration: VippsRegistration, candidate: Candidate, visits: number): number {
  if (candidate.kind === "authorized") return registration.options.reconcileAuthorizedEverySeconds * 1000
  return Math.min(
    PENDING_MAX_INTERVAL,
    Math.max(registration.options.reconcileAfterSeconds, 30) * 1000 * 2 ** visits,
  )
}

async function pendingCandidates(
  container: MedusaContainer,
  registration: VippsRegistration,
  now: number,
  maxAgeSeconds = 60 * 24 * 3600,
): Promise<Candidate[]> {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const minAge = registration.options.reconcileAfterSeconds * 1000
  // The filter type omits `status`, which the module passes to the database as any other column.
  const filters = {
    provider_id: registration.providerId,
    status: [PaymentSessionStatus.PENDING, PaymentSessionStatus.REQUIRES_MORE],
    created_at: { $gte: new Date(now - maxAgeSeconds * 1000).toISOString() },
  } as Parameters<IPaymentModuleService["listPaymentSessions"]>[0]
  const sessions = await paymentModule.listPaymentSessions(filters, {
    select: ["id", "data", "created_at"],
    take: 10_000,
    order: { created_at: "DESC" },
  })
  return sessions
    .filter((s) => isVippsSessionData(s.data))
    .map((s) => ({
      reference: (s.data as { reference: string }).reference,
      dueAt: new Date(s.created_at as unknown as string).getTime() + minAge,
      kind: "pending" as const,
    }))
}

async function authorizedCandidates(
  container: MedusaContainer,
  registration: VippsRegistration,
  now: number,
): Promise<Candidate[]> {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const watchFrom = new Date(now - SETTLED_WATCH).toISOString()
  const payments = await paymentModule.listPayments(
    {
      provider_id: registration.providerId,
      created_at: { $gte: new Date(now - AUTHORIZED_MAX_AGE).toISOString() },
      $or: [
        { canceled_at: null, captured_at: null },
        { canceled_at: null, captured_at: { $gte: watchFrom } },
        // Partly captured, the rest released: what was captured can still be refunded in the portal.
        { canceled_at: { $gte: watchFrom } },
      ],
    } as unknown as Parameters<IPaymentModuleService["listPayments"]>[0],
    { select: ["id", "data", "created_at", "canceled_at"], relations: ["captures"], take: 10_000 },
  )
  const every = registration.options.reconcileAuthorizedEverySeconds * 1000
  return payments
    .filter((p) => isVippsSessionData(p.data) && (!p.canceled_at || (p.captures ?? []).length > 0))
    .map((p) => ({
      reference: (p.data as { reference: string }).reference,
      dueAt: new Date(p.created_at as unknown as string).getTime() + every,
      kind: "authorized" as const,
    }))
}

/** Next-check times and visit counts per reference, in Medusa's cache module. */
class Schedule {
  private readonly cache?: ICacheService
  constructor(container: MedusaContainer) {
    this.cache = container.resolve<ICacheService>(Modules.CACHE, { allowUnregistered: true } as never)
  }
  async nextAt(reference: string): Promise<number | undefined> {
    return (await this.cache?.get<number>(`vipps:next-check:${reference}`)) ?? undefined
  }
  async visited(reference: string): Promise<number> {
    const key = `vipps:visits:${reference}`
    const visits = (await this.cache?.get<number>(key)) ?? 0
    await this.cache?.set(key, visits + 1, 60 * 24 * 3600)
    return visits
  }
  async plan(reference: string, at: number) {
    await this.cache?.set(`vipps:next-check:${reference}`, at, 60 * 24 * 3600)
  }
}
