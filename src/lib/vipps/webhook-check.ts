import { EPAYMENT_WEBHOOK_EVENTS, type WebhookRegistration } from "./schemas"

/**
 * Vipps MobilePay deletes a webhook registration whose endpoint has been unresponsive for two weeks, without
 * telling anyone; payments then only reach Medusa through the storefront and reconciliation. This check reads
 * the registrations (Webhooks API, GET) and says whether the store's URL is still registered for every
 * ePayment event; `src/sync/webhook-health.ts` asks it hourly and the merchant command on demand.
 */

export type WebhookCheck = {
  /** registered: the URL has every event; incomplete: some are missing; missing: no registration for the URL. */
  status: "registered" | "incomplete" | "missing"
  url: string
  /** Events the URL is not registered for. */
  missingEvents: string[]
  registrationIds: string[]
  checkedAt: string
}

/** Scheme and host compared without case, a trailing slash ignored, query kept (it can carry a routing key). */
export function sameWebhookUrl(a: string, b: string): boolean {
  const normal = (value: string) => {
    try {
      const url = new URL(value)
      return `${url.protocol}//${url.host.toLowerCase()}${url.pathname.replace(/\/+$/, "")}${url.search}`
    } catch {
      return value
    }
  }
  return normal(a) === normal(b)
}

/** Pure: what a registration list says about one URL. */
export function judgeWebhookRegistrations(
  registrations: readonly WebhookRegistration[],
  url: string,
  now: Date,
  events: readonly string[] = EPAYMENT_WEBHOOK_EVENTS,
): WebhookCheck {
  const mine = registrations.filter((r) => sameWebhookUrl(r.url, url))
  const covered = new Set(mine.flatMap((r) => r.events))
  const missingEvents = events.filter((event) => !covered.has(event))
  return {
    status: mine.length === 0 ? "missing" : missingEvents.length > 0 ? "incomplete" : "registered",
    url,
    missingEvents,
    registrationIds: mine.map((r) => r.id),
    checkedAt: now.toISOString(),
  }
}
