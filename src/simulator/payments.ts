import { randomBytes, randomInt, randomUUID } from "node:crypto"
import type { PaymentEventName } from "../lib/vipps/schemas"
import type { SimulatorClock } from "./clock"
import { ageOn } from "./additions-2026"
import { badRequest, conflict, notFound } from "./problems"
import type { SimAmount, SimEvent, SimPayment, SimShippingChoice } from "./types"
import type { SimCreatePaymentRequest } from "./create-validation"

/**
 * The payment store and state machine: CREATED → AUTHORIZED | ABORTED | EXPIRED | TERMINATED, with the
 * aggregate (authorized, captured, refunded, cancelled) kept as the real API keeps it. Every successful
 * change appends to the event log and is reported to `onEvent` (which feeds the webhook sender).
 */

export type PaymentEngineOptions = {
  clock: SimulatorClock
  /** Default lifetime of a payment that has no `expiresAt`. */
  paymentLifetimeMs: () => number
  /** Birth date (`YYYY-MM-DD`) of the app user with this phone number, for `minimumUserAge`. */
  birthdateOf?: (phoneNumber: string) => string | undefined
  publicUrl: () => string
  onEvent: (payment: SimPayment, event: SimEvent) => void
}

export type ProfileGrant = {
  sub: string
  msn: string
  reference: string
  scopes: string[]
  phoneNumber: string
}

const FINAL_UNAPPROVED = new Set(["ABORTED", "EXPIRED", "TERMINATED"])

export class PaymentEngine {
  private readonly payments = new Map<string, SimPayment>()
  private readonly byToken = new Map<string, SimPayment>()
  private readonly grants = new Map<string, ProfileGrant>()
  private readonly pspReferences = new Set<string>()

  constructor(private readonly options: PaymentEngineOptions) {}

  private key(msn: string, reference: string): string {
    return `${msn}\u0000${reference}`
  }

  private nextPspReference(): string {
    for (;;) {
      const candidate = `${randomInt(1, 10)}${String(randomInt(0, 1e9)).padStart(9, "0")}${String(randomInt(0, 1e9)).padStart(9, "0")}`
      if (!this.pspReferences.has(candidate)) {
        this.pspReferences.add(candidate)
        return candidate
      }
    }
  }

  landingUrl(token: string): string {
    return `${this.options.publicUrl()}/landing?token=${encodeURIComponent(token)}`
  }

  qrImageUrl(token: string): string {
    return `${this.options.publicUrl()}/qr?token=${encodeURIComponent(token)}`
  }

  /** Creates the payment; 409/4150 if the reference already exists for this MSN. */
  create(msn: string, request: SimCreatePaymentRequest, idempotencyKey: string | null): SimPayment {
    if (this.payments.has(this.key(msn, request.reference))) {
      throw conflict("4150", `A payment with reference ${request.reference} already exists.`)
    }
    const pushTo =
      request.userFlow === "PUSH_MESSAGE" && request.customer && "phoneNumber" in request.customer
        ? request.customer.phoneNumber
        : undefined
    if (pushTo && request.minimumUserAge && this.tooYoung(request.minimumUserAge, pushTo)) {
      // PUSH_MESSAGE: the API refuses at once, with a generic text that reveals no age.
      throw badRequest("7010", "The customer is not eligible for this payment.")
    }
    const now = this.options.clock.now()
    const longLiving = request.expiresAt !== undefined && request.expiresAt !== null
    const landingToken = randomBytes(24).toString("base64url")
    const payment: SimPayment = {
      msn,
      reference: request.reference,
      pspReference: this.nextPspReference(),
      amount: { ...request.amount },
      state: "CREATED",
      userFlow: request.userFlow,
      paymentMethodType: request.paymentMethod.type,
      customerInteraction: request.customerInteraction ?? "CUSTOMER_NOT_PRESENT",
      returnUrl: request.returnUrl,
      customer: request.customer,
      paymentDescription: request.paymentDescription,
      profileScope: request.profile?.scope.split(" ").filter(Boolean),
      metadata: request.metadata,
      receipt: request.receipt,
      qrFormat: request.qrFormat,
      minimumUserAge: request.minimumUserAge,
      merchantLegalLinks: request.merchantLegalLinks,
      blockedSources: request.paymentMethod.blockedSources,
      shipping: request.shipping,
      landingToken,
      createdAt: now,
      expiresAt: longLiving
        ? Date.parse(request.expiresAt as string)
        : now + this.options.paymentLifetimeMs(),
      longLiving,
      aggregate: { authorized: 0, captured: 0, refunded: 0, cancelled: 0 },
      events: [],
    }
    payment.redirectUrl = this.redirectUrlFor(payment)
    this.payments.set(this.key(msn, payment.reference), payment)
    this.byToken.set(landingToken, payment)
    this.record(payment, "CREATED", payment.amount.value, idempotencyKey, payment.pspReference)
    return payment
  }

  private redirectUrlFor(payment: SimPayment): string | undefined {
    switch (payment.userFlow) {
      case "PUSH_MESSAGE":
        return undefined
      case "QR":
        return payment.qrFormat?.format === "TEXT/TARGETURL"
          ? this.landingUrl(payment.landingToken)
          : this.qrImageUrl(payment.landingToken)
      default:
        return this.landingUrl(payment.landingToken)
    }
  }

  /** The payment, with lazy expiry applied; undefined if unknown. */
  find(msn: string, reference: string): SimPayment | undefined {
    const payment = this.payments.get(this.key(msn, reference))
    if (payment) this.refresh(payment)
    return payment
  }

  /** Like `find`, 404 when unknown. */
  get(msn: string, reference: string): SimPayment {
    const payment = this.find(msn, reference)
    if (!payment) throw notFound(`No payment with reference ${reference} for this merchant.`)
    return payment
  }

  findByToken(token: string): SimPayment | undefined {
    const payment = this.byToken.get(token)
    if (payment) this.refresh(payment)
    return payment
  }

  /** Looks a payment up by reference across merchants (the control API); `msn` disambiguates. */
  lookup(reference: string, msn?: string): SimPayment {
    if (msn !== undefined) return this.get(msn, reference)
    const matches = [...this.payments.values()].filter((p) => p.reference === reference)
    if (matches.length === 0) throw notFound(`No payment with reference ${reference}.`)
    if (matches.length > 1) throw new Error(`Reference ${reference} exists for several merchants: pass msn.`)
    this.refresh(matches[0])
    return matches[0]
  }

  all(): SimPayment[] {
    const list = [...this.payments.values()]
    list.forEach((p) => this.refresh(p))
    return list
  }

  grant(sub: string): ProfileGrant | undefined {
    return this.grants.get(sub)
  }

  /** Expires a CREATED payment whose time has come. */
  refresh(payment: SimPayment): void {
    if (payment.state === "CREATED" && this.options.clock.now() >= payment.expiresAt) {
      this.transition(payment, "EXPIRED", new Date(payment.expiresAt).toISOString())
    }
  }

  /** Expires every payment whose time has come (run by a timer and after clock changes). */
  sweep(): void {
    for (const payment of this.payments.values()) this.refresh(payment)
  }

  /**
   * The user approved (landing page, force approve, control). An Express payment needs the shopper's
   * shipping choice: the authorized amount is the payment amount plus the chosen option's price.
   */
  approve(payment: SimPayment, phoneNumber: string, shippingChoice?: SimShippingChoice): void {
    this.refresh(payment)
    if (payment.state !== "CREATED") {
      throw badRequest("10060", `The payment cannot be approved: it is ${payment.state}.`)
    }
    if (payment.shipping && !shippingChoice) {
      throw badRequest(undefined, "An Express payment is approved with a shipping choice, in the app only.")
    }
    if (this.underAge(payment, phoneNumber)) {
      // The app explains the age limit and the payment stays CREATED until it expires.
      throw badRequest("7010", "The customer is not eligible for this payment.")
    }
    payment.aggregate.authorized = payment.amount.value + (shippingChoice?.value ?? 0)
    payment.shippingChoice = shippingChoice
    payment.approvedBy = phoneNumber
    const at = this.options.clock.now()
    payment.authorizedAt = at
    if (payment.profileScope && payment.profileScope.length > 0) {
      payment.sub = randomUUID()
      this.grants.set(payment.sub, {
        sub: payment.sub,
        msn: payment.msn,
        reference: payment.reference,
        scopes: [...payment.profileScope],
        phoneNumber,
      })
    }
    // One instant for the event and the capture guarantee computed from it.
    this.transition(payment, "AUTHORIZED", new Date(at).toISOString())
  }

  /** True when the payment has an age limit the user with this phone number does not meet. */
  underAge(payment: SimPayment, phoneNumber: string): boolean {
    return !!payment.minimumUserAge && this.tooYoung(payment.minimumUserAge, phoneNumber)
  }

  private tooYoung(minimumAge: number, phoneNumber: string): boolean {
    const birthdate = this.options.birthdateOf?.(phoneNumber)
    const age = birthdate ? ageOn(birthdate, this.options.clock.now()) : undefined
    return age === undefined || age < minimumAge
  }

  /** The user rejected the payment in the app / on the landing page. */
  reject(payment: SimPayment): void {
    this.refresh(payment)
    if (payment.state !== "CREATED") {
      throw badRequest(undefined, `The payment cannot be rejected: it is ${payment.state}.`)
    }
    this.transition(payment, "ABORTED")
  }

  /** Expires a CREATED payment now, whatever its expiry time. */
  expire(payment: SimPayment): void {
    this.refresh(payment)
    if (payment.state !== "CREATED") {
      throw badRequest(undefined, `The payment cannot expire: it is ${payment.state}.`)
    }
    payment.expiresAt = Math.min(payment.expiresAt, this.options.clock.now())
    this.transition(payment, "EXPIRED")
  }

  capture(payment: SimPayment, amount: SimAmount, idempotencyKey: string | null): void {
    this.refresh(payment)
    if (payment.state === "CREATED")
      throw badRequest("6080", "Cannot capture before the payment is reserved.")
    if (FINAL_UNAPPROVED.has(payment.state)) {
      throw badRequest("6200", `The payment cannot be captured: it is ${payment.state}.`)
    }
    this.checkCurrency(payment, amount)
    const agg = payment.aggregate
    const capturable = agg.authorized - agg.cancelled - agg.captured
    if (agg.cancelled > 0 && capturable === 0) {
      throw badRequest("6070", "Cannot capture a cancelled payment.")
    }
    if (amount.value > capturable) {
      throw badRequest("6090", `Capture amount too high: at most ${capturable} can be captured.`)
    }
    agg.captured += amount.value
    this.record(payment, "CAPTURED", amount.value, idempotencyKey)
  }

  refund(payment: SimPayment, amount: SimAmount, idempotencyKey: string | null): void {
    this.refresh(payment)
    if (payment.state === "CREATED") throw badRequest("6020", "Cannot refund before the payment is reserved.")
    if (FINAL_UNAPPROVED.has(payment.state)) {
      throw badRequest("6210", `The payment cannot be refunded: it is ${payment.state}.`)
    }
    this.checkCurrency(payment, amount)
    const refundable = payment.aggregate.captured - payment.aggregate.refunded
    if (amount.value > refundable) {
      throw badRequest("6150", `Not enough refundable amount: at most ${refundable} can be refunded.`)
    }
    payment.aggregate.refunded += amount.value
    this.record(payment, "REFUNDED", amount.value, idempotencyKey)
  }

  cancel(payment: SimPayment, cancelTransactionOnly: boolean, idempotencyKey: string | null): void {
    this.refresh(payment)
    if (payment.state === "CREATED") {
      this.transition(payment, "TERMINATED", undefined, idempotencyKey)
      return
    }
    if (FINAL_UNAPPROVED.has(payment.state)) {
      throw badRequest("6050", `Cannot cancel a payment that is not reserved: it is ${payment.state}.`)
    }
    if (cancelTransactionOnly) {
      throw badRequest("6060", "The payment is authorized; cancelTransactionOnly keeps the reservation.")
    }
    const agg = payment.aggregate
    const remaining = agg.authorized - agg.captured - agg.cancelled
    if (remaining === 0) {
      if (agg.cancelled > 0) return // already released: nothing left to cancel
      throw badRequest("6040", "Cannot cancel a fully captured payment; refund instead.")
    }
    agg.cancelled += remaining
    this.record(payment, "CANCELLED", remaining, idempotencyKey)
  }

  private checkCurrency(payment: SimPayment, amount: SimAmount): void {
    if (amount.currency !== payment.amount.currency) {
      throw badRequest("4040", `The currency must be ${payment.amount.currency}, as the payment's.`)
    }
  }

  private transition(
    payment: SimPayment,
    state: "AUTHORIZED" | "ABORTED" | "EXPIRED" | "TERMINATED",
    timestamp?: string,
    idempotencyKey: string | null = null,
  ): void {
    payment.state = state
    // An Express approval reserves the amount plus the chosen shipping: the event says what was reserved.
    const value = state === "AUTHORIZED" ? payment.aggregate.authorized : payment.amount.value
    this.record(payment, state, value, idempotencyKey, undefined, timestamp)
  }

  private record(
    payment: SimPayment,
    name: PaymentEventName,
    value: number,
    idempotencyKey: string | null,
    pspReference?: string,
    timestamp?: string,
  ): void {
    const event: SimEvent = {
      reference: payment.reference,
      pspReference: pspReference ?? this.nextPspReference(),
      name,
      amount: { currency: payment.amount.currency, value },
      timestamp: timestamp ?? this.options.clock.iso(),
      idempotencyKey,
      success: true,
    }
    payment.events.push(event)
    this.options.onEvent(payment, event)
  }

  reset(): void {
    this.payments.clear()
    this.byToken.clear()
    this.grants.clear()
    this.pspReferences.clear()
  }
}
