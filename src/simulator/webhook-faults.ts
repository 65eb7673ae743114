import { seededRandom, type Random } from "./random"

/**
 * Webhook delivery faults: drop / duplicate / delay / reorder the next N deliveries, or at random with
 * given rates (seedable) for soak tests.
 */

export type WebhookFaultKind = "drop" | "duplicate" | "delay" | "reorder"

export type WebhookFaultSpec = {
  kind: WebhookFaultKind
  /** How many deliveries it affects (default 1). */
  times?: number
  /** For `delay`: how long to hold the delivery back (default 1000 ms). */
  delayMs?: number
  /** Only deliveries of this event (name like "AUTHORIZED" or type like "epayments.payment.authorized.v1"). */
  event?: string
  /** Only deliveries for this payment reference. */
  reference?: string
}

export type WebhookChaos = {
  dropRate?: number
  duplicateRate?: number
  delayRate?: number
  /** Delay used by `delayRate` (default 200 ms). */
  delayMs?: number
  reorderRate?: number
  /** Seed for the random generator (default 1). */
  seed?: number
}

export type WebhookFaultDecision = {
  drop: boolean
  duplicate: boolean
  delayMs: number
  reorder: boolean
  labels: string[]
}

type Active = WebhookFaultSpec & { remaining: number }

export class WebhookFaultInjector {
  private faults: Active[] = []
  private chaos: WebhookChaos | null = null
  private random: Random = seededRandom(1)

  add(spec: WebhookFaultSpec): void {
    const times = spec.times ?? 1
    if (!(times > 0)) throw new TypeError("times must be positive")
    this.faults.push({ ...spec, remaining: times })
  }

  setChaos(chaos: WebhookChaos | null): void {
    this.chaos = chaos
    this.random = seededRandom(chaos?.seed ?? 1)
  }

  getChaos(): WebhookChaos | null {
    return this.chaos ? { ...this.chaos } : null
  }

  list(): Array<WebhookFaultSpec & { remaining: number }> {
    return this.faults.map((f) => ({ ...f }))
  }

  clear(): void {
    this.faults = []
    this.setChaos(null)
  }

  /** Decides, for one new delivery, which faults apply (consuming counted faults). */
  decide(eventName: string, eventType: string, reference: string): WebhookFaultDecision {
    const decision: WebhookFaultDecision = {
      drop: false,
      duplicate: false,
      delayMs: 0,
      reorder: false,
      labels: [],
    }
    const seen = new Set<WebhookFaultKind>()
    for (const fault of this.faults) {
      if (fault.remaining <= 0 || seen.has(fault.kind)) continue
      if (fault.event && fault.event !== eventName && fault.event !== eventType) continue
      if (fault.reference && fault.reference !== reference) continue
      seen.add(fault.kind)
      fault.remaining -= 1
      this.apply(decision, fault.kind, fault.delayMs ?? 1000)
    }
    this.faults = this.faults.filter((f) => f.remaining > 0)
    const chaos = this.chaos
    if (chaos) {
      if (!decision.drop && this.roll(chaos.dropRate)) this.apply(decision, "drop", 0)
      if (!decision.duplicate && this.roll(chaos.duplicateRate)) this.apply(decision, "duplicate", 0)
      if (decision.delayMs === 0 && this.roll(chaos.delayRate))
        this.apply(decision, "delay", chaos.delayMs ?? 200)
      if (!decision.reorder && this.roll(chaos.reorderRate)) this.apply(decision, "reorder", 0)
    }
    return decision
  }

  private roll(rate: number | undefined): boolean {
    // Always draw, so one rate's value does not shift the sequence of the others.
    const value = this.random()
    return rate !== undefined && rate > 0 && value < rate
  }

  private apply(decision: WebhookFaultDecision, kind: WebhookFaultKind, delayMs: number): void {
    decision.labels.push(kind)
    if (kind === "drop") decision.drop = true
    if (kind === "duplicate") decision.duplicate = true
    if (kind === "delay") decision.delayMs = Math.max(decision.delayMs, delayMs)
    if (kind === "reorder") decision.reorder = true
  }
}
