import type { ICacheService, Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { judgeWebhookRegistrations } from "../lib/vipps/webhook-check"
import type { WebhookRegistration } from "../lib/vipps/schemas"
import { listRegistrations, type VippsRegistration } from "../providers/vipps/registration"

/**
 * Vipps MobilePay deletes a webhook registration whose endpoint stayed unresponsive for two weeks, and tells
 * nobody: payments then reach Medusa only through the storefront and reconciliation, hours late. This reads
 * the Webhooks API for every registration at most once per interval (the answer is kept in Medusa's cache,
 * shared by every process) so the admin can say so and the job can log it.
 */

export type WebhookHealth = {
  provider_id: string
  /** registered: every ePayment event reaches the store; incomplete: some do not; missing: none do;
   *  no_secret: the registration has no webhookSecret, so it could not accept webhooks anyway;
   *  unknown: the Webhooks API could not be read. */
  status: "registered" | "incomplete" | "missing" | "no_secret" | "unknown"
  /** The URL registered (or expected) for this registration, when known. */
  url: string | null
  missing_events: string[]
  checked_at: string
}

const CHECK_EVERY_MS = 3_600_000
/** A failed read is tried again sooner than a good answer. */
const RETRY_UNKNOWN_MS = 300_000
const cacheKey = (registration: VippsRegistration) => `vipps:webhook-health:${registration.id}`

/**
 * The store's URL for a registration: `webhookUrl` when configured, otherwise any registered URL whose path
 * is this registration's webhook route (`/hooks/vipps/<id>`), since Medusa does not know its public host.
 */
function expectedUrl(registration: VippsRegistration, registered: readonly WebhookRegistration[]) {
  if (registration.options.webhookUrl) return registration.options.webhookUrl
  const path = `/hooks/vipps/${registration.id}`
  const mine = registered.find((r) => {
    try {
      return new URL(r.url).pathname.replace(/\/+$/, "") === path
    } catch {
      return false
    }
  })
  return mine?.url ?? null
}

async function checkOne(registration: VippsRegistration, now: Date): Promise<WebhookHealth> {
  const base = { provider_id: registration.providerId, checked_at: now.toISOString() }
  if (!registration.webhookSecret) return { ...base, status: "no_secret", url: null, missing_events: [] }
  let registered: WebhookRegistration[]
  try {
    registered = await registration.client.webhooks.list()
  } catch {
    return { ...base, status: "unknown", url: registration.options.webhookUrl ?? null, missing_events: [] }
  }
  const url = expectedUrl(registration, registered)
  if (!url) return { ...base, status: "missing", url: null, missing_events: [] }
  const judged = judgeWebhookRegistrations(registered, url, now)
  return { ...base, status: judged.status, url, missing_events: judged.missingEvents }
}

/**
 * The webhook health of every registration; read from the cache unless older than the interval or `fresh`.
 * A fresh answer that is not "registered" is logged once (no secrets, only the provider id and URL).
 */
export async function webhookHealth(
  container: MedusaContainer,
  options: { fresh?: boolean; now?: Date } = {},
): Promise<WebhookHealth[]> {
  const cache = container.resolve<ICacheService>(Modules.CACHE, { allowUnregistered: true } as never) as
    ICacheService | undefined
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const now = options.now ?? new Date()
  const results: WebhookHealth[] = []
  for (const registration of await listRegistrations(container)) {
    const cached = options.fresh ? undefined : await cache?.get<WebhookHealth>(cacheKey(registration))
    const maxAge = cached?.status === "unknown" ? RETRY_UNKNOWN_MS : CHECK_EVERY_MS
    if (cached && now.getTime() - Date.parse(cached.checked_at) < maxAge) {
      results.push(cached)
      continue
    }
    const health = await checkOne(registration, now)
    await cache?.set(cacheKey(registration), health, Math.ceil((2 * CHECK_EVERY_MS) / 1000))
    if (health.status === "missing" || health.status === "incomplete") {
      logger.warn(
        `Vipps MobilePay webhooks for ${registration.providerId} are ${health.status}` +
          (health.url ? ` at ${health.url}` : "") +
          `: payments reach Medusa only through polling until the webhook is registered again (vipps-webhooks register).`,
      )
    }
    results.push(health)
  }
  return results
}
