import http from "node:http"
import https from "node:https"
import { webhookHeaders } from "../lib/webhook-signature"
import type { WebhookFaultInjector } from "./webhook-faults"
import type { WebhookRegistrationRecord, WebhookRegistry } from "./webhooks"
import type { SimEvent } from "./types"
import { webhookEventType, webhookEventView } from "./views"

/**
 * Delivers payment events to every matching registration of the payment's MSN: signed as the Webhooks
 * API signs (HMAC-SHA256 over method, path+query, x-ms-date, host and the body hash), in order per
 * registration and payment (a failing event blocks the later ones), retried with exponential backoff
 * on non-2xx or connection failure, a bounded number of times. Deliveries start after the API call
 * that caused them has answered.
 */

export type WebhookRetryOptions = {
  /** Total attempts per delivery, the first included (default 5). */
  attempts?: number
  /** Delay before the first retry; doubles per retry (default 1000 ms). */
  baseDelayMs?: number
  /** Upper bound of one retry delay (default 60 000 ms). */
  maxDelayMs?: number
  /** Per-attempt timeout (default 10 000 ms, as the real service). */
  timeoutMs?: number
  /** How long a delivery marked for reordering waits for a later event to overtake it (default 1000 ms). */
  reorderHoldMs?: number
}

export type DeliveryAttempt = {
  at: string
  status?: number
  error?: string
  durationMs: number
}

export type WebhookDelivery = {
  id: number
  registrationId: string
  url: string
  msn: string
  reference: string
  eventName: string
  eventType: string
  pspReference: string
  /** The raw JSON body as sent. */
  body: string
  payload: Record<string, unknown>
  /** Headers of the last attempt (signature included; the secret itself is never stored here). */
  headers: Record<string, string>
  state: "pending" | "delivered" | "failed" | "dropped"
  attempts: DeliveryAttempt[]
  faults: string[]
  duplicateOf?: number
  createdAt: string
  deliveredAt?: string
}

type QueueItem = { delivery: WebhookDelivery; notBefore: number; reorder: boolean; holdSince?: number }
type Queue = { key: string; items: QueueItem[]; busy: boolean; timer?: NodeJS.Timeout; holding: boolean }

export class WebhookSender {
  private readonly queues = new Map<string, Queue>()
  private readonly deliveries: WebhookDelivery[] = []
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly inFlight = new Set<http.ClientRequest>()
  private nextId = 1
  private stopped = false
  private readonly retry: Required<WebhookRetryOptions>

  constructor(
    private readonly registry: WebhookRegistry,
    private readonly faults: WebhookFaultInjector,
    retry: WebhookRetryOptions = {},
    /** Told every attempt's outcome (the registry keeps the unresponsive streak on the simulator clock). */
    private readonly onAttempt?: (registrationId: string, ok: boolean) => void,
  ) {
    this.retry = {
      attempts: retry.attempts ?? 5,
      baseDelayMs: retry.baseDelayMs ?? 1000,
      maxDelayMs: retry.maxDelayMs ?? 60_000,
      timeoutMs: retry.timeoutMs ?? 10_000,
      reorderHoldMs: retry.reorderHoldMs ?? 1000,
    }
  }

  /** Queues the event for every matching registration of the MSN; `additions` extend the body (AUTHORIZED). */
  enqueue(msn: string, event: SimEvent, additions?: Record<string, unknown>): void {
    if (this.stopped) return
    const eventType = webhookEventType(event)
    for (const registration of this.registry.matching(msn, eventType)) {
      const decision = this.faults.decide(event.name, eventType, event.reference)
      const delivery = this.newDelivery(registration, msn, event, eventType, decision.labels, additions)
      if (decision.drop) {
        delivery.state = "dropped"
        continue
      }
      const queue = this.queue(`${registration.id}\u0000${event.reference}`)
      const notBefore = Date.now() + decision.delayMs
      queue.items.push({ delivery, notBefore, reorder: decision.reorder })
      if (decision.duplicate) {
        const copy = this.newDelivery(registration, msn, event, eventType, ["duplicate-copy"], additions)
        copy.duplicateOf = delivery.id
        queue.items.push({ delivery: copy, notBefore, reorder: false })
      }
      this.wake(queue)
    }
  }

  list(): WebhookDelivery[] {
    return this.deliveries.map((d) => ({ ...d, attempts: [...d.attempts], faults: [...d.faults] }))
  }

  /** True when nothing is queued, waiting for a retry or in flight. */
  idle(): boolean {
    return [...this.queues.values()].every((q) => q.items.length === 0 && !q.busy)
  }

  clear(): void {
    this.cancelAll()
    this.queues.clear()
    this.deliveries.length = 0
  }

  stop(): void {
    this.stopped = true
    this.cancelAll()
  }

  private cancelAll(): void {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    for (const request of this.inFlight) request.destroy()
    this.inFlight.clear()
    for (const queue of this.queues.values()) {
      queue.items = []
      queue.busy = false
      queue.timer = undefined
    }
  }

  private newDelivery(
    registration: WebhookRegistrationRecord,
    msn: string,
    event: SimEvent,
    eventType: string,
    faults: string[],
    additions?: Record<string, unknown>,
  ): WebhookDelivery {
    const payload = { ...webhookEventView(msn, event), ...additions }
    const delivery: WebhookDelivery = {
      id: this.nextId++,
      registrationId: registration.id,
      url: registration.url,
      msn,
      reference: event.reference,
      eventName: event.name,
      eventType,
      pspReference: event.pspReference,
      body: JSON.stringify(payload),
      payload,
      headers: {},
      state: "pending",
      attempts: [],
      faults,
      createdAt: new Date().toISOString(),
    }
    this.deliveries.push(delivery)
    return delivery
  }

  private queue(key: string): Queue {
    let queue = this.queues.get(key)
    if (!queue) {
      queue = { key, items: [], busy: false, holding: false }
      this.queues.set(key, queue)
    }
    return queue
  }

  /** Starts the queue on the next turn (after the API response went out); interrupts a reorder hold. */
  private wake(queue: Queue): void {
    if (queue.holding && queue.timer) {
      this.clearTimer(queue)
      queue.holding = false
    }
    this.schedule(queue, 0)
  }

  private schedule(queue: Queue, ms: number): void {
    if (this.stopped || queue.timer) return
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      queue.timer = undefined
      this.pump(queue)
    }, ms)
    queue.timer = timer
    this.timers.add(timer)
  }

  private clearTimer(queue: Queue): void {
    if (!queue.timer) return
    clearTimeout(queue.timer)
    this.timers.delete(queue.timer)
    queue.timer = undefined
  }

  private pump(queue: Queue): void {
    if (this.stopped || queue.busy || queue.timer || queue.items.length === 0) return
    const head = queue.items[0]
    if (head.reorder) {
      if (queue.items.length > 1) {
        // Let the next event overtake this one.
        queue.items[0] = queue.items[1]
        queue.items[1] = head
        head.reorder = false
        queue.items[0].reorder = false
        return this.pump(queue)
      }
      head.holdSince ??= Date.now()
      const waited = Date.now() - head.holdSince
      if (waited < this.retry.reorderHoldMs) {
        queue.holding = true
        return this.schedule(queue, this.retry.reorderHoldMs - waited)
      }
      head.reorder = false
    }
    queue.holding = false
    const wait = head.notBefore - Date.now()
    if (wait > 0) return this.schedule(queue, wait)
    queue.busy = true
    void this.attempt(head.delivery).then((ok) => {
      queue.busy = false
      if (this.stopped) return
      const delivery = head.delivery
      this.onAttempt?.(delivery.registrationId, ok)
      if (ok) {
        delivery.state = "delivered"
        delivery.deliveredAt = new Date().toISOString()
        queue.items.shift()
      } else if (delivery.attempts.length >= this.retry.attempts) {
        delivery.state = "failed"
        queue.items.shift()
      } else {
        const delay = Math.min(
          this.retry.baseDelayMs * 2 ** (delivery.attempts.length - 1),
          this.retry.maxDelayMs,
        )
        head.notBefore = Date.now() + delay
      }
      this.pump(queue)
    })
  }

  private attempt(delivery: WebhookDelivery): Promise<boolean> {
    const registration = this.registry.get(delivery.registrationId)
    const started = Date.now()
    const record = (entry: Omit<DeliveryAttempt, "at" | "durationMs">, ok: boolean) => {
      delivery.attempts.push({
        at: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        ...entry,
      })
      return ok
    }
    if (!registration) return Promise.resolve(record({ error: "registration deleted" }, false))
    const url = new URL(registration.url)
    const signed = webhookHeaders({
      secret: registration.secret,
      pathAndQuery: url.pathname + url.search,
      host: url.host,
      date: new Date().toUTCString(),
      body: delivery.body,
    })
    delivery.headers = {
      ...signed,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(delivery.body)),
      "user-agent": "Vipps-MobilePay-Webhooks-Simulator/1.0",
    }
    return new Promise((resolve) => {
      const client = url.protocol === "https:" ? https : http
      let settled = false
      const finish = (entry: Omit<DeliveryAttempt, "at" | "durationMs">, ok: boolean) => {
        if (settled) return
        settled = true
        this.inFlight.delete(request)
        resolve(record(entry, ok))
      }
      const request = client.request(
        url,
        { method: "POST", headers: delivery.headers, agent: false, timeout: this.retry.timeoutMs },
        (response) => {
          // The status decides; the body is drained and ignored.
          const status = response.statusCode ?? 0
          response.on("error", () => undefined)
          response.resume()
          finish({ status }, status >= 200 && status < 300)
        },
      )
      this.inFlight.add(request)
      request.on("timeout", () => request.destroy(new Error("timeout")))
      request.on("error", (error) => finish({ error: error.message }, false))
      request.on("close", () => finish({ error: "connection closed" }, false))
      request.end(delivery.body)
    })
  }
}
