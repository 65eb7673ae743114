import { randomBytes, randomUUID } from "node:crypto"
import { badRequest, notFound } from "./problems"

/** The Webhooks API's registrations, per MSN. The secret is returned only at registration. */

export type WebhookRegistrationRecord = {
  id: string
  msn: string
  url: string
  events: string[]
  secret: string
  createdAt: string
}

export const MAX_REGISTRATIONS_PER_EVENT = 25
/** Vipps MobilePay deletes a registration whose endpoint has been unresponsive this long (two weeks). */
export const UNRESPONSIVE_DELETE_MS = 14 * 24 * 3600 * 1000
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export class WebhookRegistry {
  private readonly registrations = new Map<string, WebhookRegistrationRecord>()
  /** Simulator-clock time of the first failed delivery since the last successful one, per registration. */
  private readonly failingSince = new Map<string, number>()

  register(msn: string, url: string, events: string[], createdAt: string): WebhookRegistrationRecord {
    const unique = [...new Set(events)]
    for (const event of unique) {
      const count = this.list(msn).filter((r) => r.events.includes(event)).length
      if (count >= MAX_REGISTRATIONS_PER_EVENT) {
        throw badRequest(
          undefined,
          `At most ${MAX_REGISTRATIONS_PER_EVENT} webhooks can be registered per event.`,
          [{ name: "events", reason: `Too many registrations for ${event}.` }],
        )
      }
    }
    const record: WebhookRegistrationRecord = {
      id: randomUUID(),
      msn,
      url,
      events: unique,
      // 64 random bytes as base64: looks like the real secrets, and must be used as-is (not decoded).
      secret: randomBytes(64).toString("base64"),
      createdAt,
    }
    this.registrations.set(record.id, record)
    return record
  }

  list(msn: string): WebhookRegistrationRecord[] {
    return [...this.registrations.values()].filter((r) => r.msn === msn)
  }

  all(): WebhookRegistrationRecord[] {
    return [...this.registrations.values()]
  }

  get(id: string): WebhookRegistrationRecord | undefined {
    return this.registrations.get(id)
  }

  delete(msn: string, id: string): void {
    if (!UUID_PATTERN.test(id)) {
      throw badRequest(undefined, "The webhook id must be a UUID.", [
        { name: "id", reason: "Must be a UUID." },
      ])
    }
    const record = this.registrations.get(id)
    if (!record || record.msn !== msn) throw notFound(`No webhook with id ${id}.`)
    this.registrations.delete(id)
  }

  /** A delivery attempt's outcome: a success clears the unresponsive streak, a failure may start one. */
  recordDelivery(id: string, ok: boolean, now: number): void {
    if (!this.registrations.has(id)) return
    if (ok) this.failingSince.delete(id)
    else if (!this.failingSince.has(id)) this.failingSince.set(id, now)
  }

  /** Deletes registrations unresponsive for two weeks, as Vipps MobilePay does; returns their ids. */
  dropUnresponsive(now: number): string[] {
    const dropped: string[] = []
    for (const [id, since] of this.failingSince) {
      if (now - since < UNRESPONSIVE_DELETE_MS) continue
      this.registrations.delete(id)
      this.failingSince.delete(id)
      dropped.push(id)
    }
    return dropped
  }

  /** Registrations of this MSN subscribed to the event type. */
  matching(msn: string, eventType: string): WebhookRegistrationRecord[] {
    return this.list(msn).filter((r) => r.events.includes(eventType))
  }

  clear(): void {
    this.registrations.clear()
    this.failingSince.clear()
  }
}
