import type { AdditionsFeatures } from "./additions-2026"
import { approveExpress, approveFixed, type ExpressChoice } from "./express"
import type { FaultSpec } from "./faults"
import type { RequestLogEntry, RequestLogFilter } from "./request-log"
import type { SimulatorBrandSetting, SimulatorState } from "./state"
import type { OperationName, SimPayment } from "./types"
import type { WebhookChaos, WebhookFaultSpec } from "./webhook-faults"
import type { WebhookDelivery } from "./webhook-sender"
import type { WebhookRegistrationRecord } from "./webhooks"

/**
 * The in-process control object for tests and the demo: act as the user (approve / reject), as time
 * (expire, clock), as the merchant portal (capture / refund / cancel with idempotencyKey null), inject
 * faults, and inspect payments, requests and webhook deliveries. The HTTP control API maps onto it.
 */

export type PaymentSelector = { msn?: string }
export type DeliveryFilter = {
  reference?: string
  eventName?: string
  state?: WebhookDelivery["state"]
  url?: string
}
export type WaitOptions = { timeoutMs?: number; intervalMs?: number }

export class SimulatorControl {
  constructor(private readonly state: SimulatorState) {}

  // ── Payments ──────────────────────────────────────────────────────────────────────────────────────

  /** Snapshots of every payment (lazy expiry applied). */
  payments(): SimPayment[] {
    return this.state.payments.all().map((p) => structuredClone(p))
  }

  /** Snapshot of one payment, or undefined. */
  getPayment(reference: string, selector: PaymentSelector = {}): SimPayment | undefined {
    try {
      return structuredClone(this.state.payments.lookup(reference, selector.msn))
    } catch {
      return undefined
    }
  }

  /** The landing page URL of a payment (also for PUSH_MESSAGE payments, which have no redirectUrl). */
  landingUrl(reference: string, selector: PaymentSelector = {}): string {
    return this.state.payments.landingUrl(this.state.payments.lookup(reference, selector.msn).landingToken)
  }

  /** The user approves in the app (an Express payment with fixed options: its default option). */
  approve(
    reference: string,
    options: PaymentSelector & { phoneNumber?: string } & ExpressChoice = {},
  ): SimPayment {
    const payment = this.state.payments.lookup(reference, options.msn)
    const phoneNumber = options.phoneNumber ?? this.state.approverFor(payment)
    if (payment.shipping) approveFixed(this.state, payment, options, phoneNumber)
    else this.state.payments.approve(payment, phoneNumber)
    return structuredClone(payment)
  }

  /**
   * The user approves an Express payment: the app uses `address` (default: the test user's), asks the
   * merchant's callback for options when the payment has dynamic options, and approves the amount plus the
   * option `shippingOptionId` (default: the preselected one).
   */
  async approveExpress(
    reference: string,
    options: PaymentSelector & { phoneNumber?: string } & ExpressChoice = {},
  ): Promise<SimPayment> {
    const payment = this.state.payments.lookup(reference, options.msn)
    await approveExpress(this.state, payment, options, options.phoneNumber ?? this.state.approverFor(payment))
    return structuredClone(payment)
  }

  /** The user rejects in the app (ABORTED). */
  reject(reference: string, selector: PaymentSelector = {}): SimPayment {
    const payment = this.state.payments.lookup(reference, selector.msn)
    this.state.payments.reject(payment)
    return structuredClone(payment)
  }

  /** Expire a CREATED payment now. */
  expire(reference: string, selector: PaymentSelector = {}): SimPayment {
    const payment = this.state.payments.lookup(reference, selector.msn)
    this.state.payments.expire(payment)
    return structuredClone(payment)
  }

  /** Capture in the merchant portal (default: everything still capturable). */
  capture(reference: string, amount?: number, selector: PaymentSelector = {}): SimPayment {
    const payment = this.state.payments.lookup(reference, selector.msn)
    const agg = payment.aggregate
    const value = amount ?? agg.authorized - agg.cancelled - agg.captured
    this.state.payments.capture(payment, { currency: payment.amount.currency, value }, null)
    return structuredClone(payment)
  }

  /** Refund in the merchant portal (default: everything captured and not yet refunded). */
  refund(reference: string, amount?: number, selector: PaymentSelector = {}): SimPayment {
    const payment = this.state.payments.lookup(reference, selector.msn)
    const value = amount ?? payment.aggregate.captured - payment.aggregate.refunded
    this.state.payments.refund(payment, { currency: payment.amount.currency, value }, null)
    return structuredClone(payment)
  }

  /** Cancel in the merchant portal. */
  cancel(reference: string, selector: PaymentSelector = {}): SimPayment {
    const payment = this.state.payments.lookup(reference, selector.msn)
    this.state.payments.cancel(payment, false, null)
    return structuredClone(payment)
  }

  /**
   * What GET and the AUTHORIZED webhook say as `captureGuaranteedUntil` for this payment: an instant (e.g. a
   * card network releasing the hold early), null to leave the field out, undefined for the market rule.
   */
  setCaptureGuaranteedUntil(
    reference: string,
    until: Date | string | null | undefined,
    selector: PaymentSelector = {},
  ): SimPayment {
    const payment = this.state.payments.lookup(reference, selector.msn)
    payment.captureGuaranteedUntil =
      until === null || until === undefined ? until : new Date(until).toISOString().replace("Z", "+00:00")
    return structuredClone(payment)
  }

  /** Which post-1.4.1 fields to play (captureGuaranteedUntil, userDetails, where the webhook puts `sub`). */
  setAdditions(features: Partial<AdditionsFeatures>): AdditionsFeatures {
    this.state.additions = { ...this.state.additions, ...features }
    return { ...this.state.additions }
  }

  /** The brand the landing page plays: "vipps", "mobilepay" or "auto" (by market and the rebrand date). */
  setBrand(brand: SimulatorBrandSetting): void {
    this.state.brand = brand
  }

  // ── Clock ─────────────────────────────────────────────────────────────────────────────────────────

  now(): Date {
    return this.state.clock.date()
  }

  setTime(time: Date | number | string): Date {
    this.state.clock.set(time)
    return this.now()
  }

  advanceTime(ms: number): Date {
    this.state.clock.advance(ms)
    return this.now()
  }

  freezeTime(time?: Date | number | string): Date {
    this.state.clock.freeze(time)
    return this.now()
  }

  unfreezeTime(): Date {
    this.state.clock.unfreeze()
    return this.now()
  }

  resetTime(): Date {
    this.state.clock.reset()
    return this.now()
  }

  // ── Tokens ────────────────────────────────────────────────────────────────────────────────────────

  /** A valid access token for a merchant (default: the first), without calling /accesstoken/get. */
  issueToken(msn?: string): string {
    const merchant = msn ? this.state.merchant(msn) : this.state.merchants[0]
    if (!merchant) throw new Error(`Unknown merchant ${msn}`)
    return this.state.tokens.issue(merchant).accessToken
  }

  /** Invalidate every access token issued so far. */
  revokeTokens(): void {
    this.state.tokens.clear()
  }

  // ── API faults ────────────────────────────────────────────────────────────────────────────────────

  injectFault(spec: FaultSpec): number {
    return this.state.faults.add(spec)
  }

  /** Fail the next `times` calls of an operation with `status` (default 500), optionally with Retry-After. */
  failNext(
    operation: OperationName | "*",
    options: {
      times?: number
      status?: number
      code?: string
      detail?: string
      retryAfter?: number | string
    } = {},
  ): number {
    return this.injectFault({ ...options, operation, status: options.status ?? 500 })
  }

  /**
   * Fail the next `times` calls of an operation with an ePayment error code, answered with the code's own
   * HTTP status and title from the error table (e.g. `failWithCode("capture", "6280")`).
   */
  failWithCode(
    operation: OperationName | "*",
    code: string,
    options: { times?: number; detail?: string; status?: number } = {},
  ): number {
    return this.injectFault({ ...options, operation, code })
  }

  /** Delay the next `times` calls (default: every call until cleared). */
  addLatency(operation: OperationName | "*", latencyMs: number, options: { times?: number } = {}): number {
    return this.injectFault({ operation, latencyMs, times: options.times ?? Infinity })
  }

  /** Destroy the socket without a response, by default after the operation took effect. */
  cutConnection(
    operation: OperationName | "*",
    options: { times?: number; when?: "before" | "after" } = {},
  ): number {
    return this.injectFault({ operation, times: options.times, cutConnection: options.when ?? "after" })
  }

  faults(): ReturnType<SimulatorState["faults"]["list"]> {
    return this.state.faults.list()
  }

  removeFault(id: number): boolean {
    return this.state.faults.remove(id)
  }

  clearFaults(): void {
    this.state.faults.clear()
  }

  // ── Webhook faults ────────────────────────────────────────────────────────────────────────────────

  injectWebhookFault(spec: WebhookFaultSpec): void {
    this.state.webhookFaults.add(spec)
  }

  dropWebhooks(times = 1, filter: Omit<WebhookFaultSpec, "kind" | "times"> = {}): void {
    this.injectWebhookFault({ ...filter, kind: "drop", times })
  }

  duplicateWebhooks(times = 1, filter: Omit<WebhookFaultSpec, "kind" | "times"> = {}): void {
    this.injectWebhookFault({ ...filter, kind: "duplicate", times })
  }

  delayWebhooks(
    times = 1,
    delayMs = 1000,
    filter: Omit<WebhookFaultSpec, "kind" | "times" | "delayMs"> = {},
  ): void {
    this.injectWebhookFault({ ...filter, kind: "delay", times, delayMs })
  }

  /** The next `times` deliveries are overtaken by the following event of the same payment. */
  reorderWebhooks(times = 1, filter: Omit<WebhookFaultSpec, "kind" | "times"> = {}): void {
    this.injectWebhookFault({ ...filter, kind: "reorder", times })
  }

  /** Probability-based faults for soak tests, e.g. `{ duplicateRate: 0.2, dropRate: 0.1, seed: 42 }`. */
  setWebhookChaos(chaos: WebhookChaos | null): void {
    this.state.webhookFaults.setChaos(chaos)
  }

  clearWebhookFaults(): void {
    this.state.webhookFaults.clear()
  }

  // ── Inspection ────────────────────────────────────────────────────────────────────────────────────

  /** The request log; secrets redacted unless `redact: false`. */
  requests(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.state.requestLog.list(filter)
  }

  clearRequests(): void {
    this.state.requestLog.clear()
  }

  webhookDeliveries(filter: DeliveryFilter = {}): WebhookDelivery[] {
    return this.state.sender
      .list()
      .filter((d) => !filter.reference || d.reference === filter.reference)
      .filter(
        (d) => !filter.eventName || d.eventName === filter.eventName || d.eventType === filter.eventName,
      )
      .filter((d) => !filter.state || d.state === filter.state)
      .filter((d) => !filter.url || d.url === filter.url)
  }

  /**
   * Vipps MobilePay deletes a registration whose endpoint was unresponsive for two weeks: this does it now.
   * Returns false when there was no such registration.
   */
  dropWebhookRegistration(id: string): boolean {
    const record = this.state.webhooks.get(id)
    if (!record) return false
    this.state.webhooks.delete(record.msn, id)
    return true
  }

  /** Webhook registrations, secrets included (in-process only). */
  webhookRegistrations(): WebhookRegistrationRecord[] {
    return this.state.webhooks.all().map((r) => ({ ...r, events: [...r.events] }))
  }

  /** True when no webhook delivery is queued, waiting for a retry or in flight. */
  webhooksIdle(): boolean {
    return this.state.sender.idle()
  }

  /** Polls `predicate` until it returns a truthy value, or throws after `timeoutMs` (default 5000). */
  async waitFor<T>(predicate: () => T | undefined | null | false, options: WaitOptions = {}): Promise<T> {
    const deadline = Date.now() + (options.timeoutMs ?? 5000)
    for (;;) {
      const value = predicate()
      if (value) return value
      if (Date.now() > deadline)
        throw new Error(`waitFor: condition not met within ${options.timeoutMs ?? 5000} ms`)
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10))
    }
  }

  /** Waits until at least `count` deliveries match the filter and are no longer pending. */
  waitForWebhooks(
    count: number,
    filter: DeliveryFilter = {},
    options: WaitOptions = {},
  ): Promise<WebhookDelivery[]> {
    return this.waitFor(() => {
      const list = this.webhookDeliveries(filter).filter((d) => d.state !== "pending")
      return list.length >= count ? list : undefined
    }, options)
  }

  /** Waits until every queued delivery is delivered, failed or dropped. */
  async waitForWebhookIdle(options: WaitOptions = {}): Promise<void> {
    await this.waitFor(() => this.webhooksIdle(), options)
  }

  /** Forget everything (payments, idempotency, registrations, deliveries, logs, faults, clock). */
  reset(options: { tokens?: boolean } = {}): void {
    this.state.reset(options)
  }
}
