import {
  AbstractPaymentProvider,
  MedusaError,
  PaymentActions,
  PaymentSessionStatus,
} from "@medusajs/framework/utils"
import type {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CapturePaymentInput,
  CapturePaymentOutput,
  DeletePaymentInput,
  DeletePaymentOutput,
  GetPaymentStatusInput,
  GetPaymentStatusOutput,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  Logger,
  ProviderWebhookPayload,
  RefundPaymentInput,
  RefundPaymentOutput,
  RetrievePaymentInput,
  RetrievePaymentOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
  WebhookActionResult,
} from "@medusajs/framework/types"
import { assertPayableAmount, fromMinorUnits, normalizeCurrency, toMinorUnits } from "../../lib/money"
import {
  idempotencyKey,
  referenceFromSessionId,
  referenceKey,
  sessionIdFromReference,
} from "../../lib/reference"
import { VippsClient } from "../../lib/vipps/client"
import { VippsApiError } from "../../lib/vipps/errors"
import { isRetryable } from "../../lib/vipps/retry-policy"
import type { GetPaymentResponse, ModificationResponse } from "../../lib/vipps/schemas"
import { medusaDecimal } from "./amount"
import { SHOPPER_MESSAGES, toMedusaError, WAITING_FOR_APPROVAL } from "./errors"
import { parseOptions, VippsOptions, VippsOptionsError } from "./options"
import { cartOfSession } from "./cart-lookup"
import { buildCreatePaymentRequest } from "./create-payment"
import { buildReceipt } from "./receipt"
import { isVippsSessionData, StorefrontInput, VippsSessionData } from "./session-data"
import { systemInfo } from "./system-info"

/** Medusa's capture and refund rows (the payment module's own services; Medusa passes providers no amounts). */
type MoneyRow = { id: string; payment_id?: string; raw_amount?: { value: string | number }; amount?: unknown }
type MoneyRowService = {
  retrieve(id: string, config: { select: string[] }): Promise<MoneyRow>
  list(filters: { payment_id: string }, config: { select: string[] }): Promise<MoneyRow[]>
}

/**
 * Vipps MobilePay (ePayment API) as a Medusa payment provider. Adapts Medusa's calls to the API client;
 * every money-moving call carries an Idempotency-Key derived from a persisted Medusa id.
 */
export class VippsProviderService extends AbstractPaymentProvider<VippsOptions> {
  static override identifier = "vipps"

  protected readonly options_: VippsOptions
  protected readonly client: VippsClient
  protected readonly logger: Logger

  static override validateOptions(options: Record<string, unknown>): void {
    try {
      parseOptions(options)
    } catch (error) {
      if (error instanceof VippsOptionsError)
        throw new MedusaError(MedusaError.Types.INVALID_DATA, error.message)
      throw error
    }
  }

  constructor(container: Record<string, unknown>, options: Record<string, unknown>) {
    const parsed = parseOptions(options)
    super(container, parsed)
    this.options_ = parsed
    this.logger = container.logger as Logger
    this.client = new VippsClient({
      clientId: parsed.clientId,
      clientSecret: parsed.clientSecret,
      subscriptionKey: parsed.subscriptionKey,
      merchantSerialNumber: parsed.merchantSerialNumber,
      baseUrl: parsed.apiBaseUrl,
      testMode: parsed.testMode,
      systemInfo: systemInfo(),
      timeoutMs: parsed.timeoutMs,
      retry: { maxAttempts: parsed.maxAttempts },
      logger: this.logger,
    })
  }

  /** The API client of this registration (for the plugin's routes, jobs and workflows). */
  get vipps(): VippsClient {
    return this.client
  }

  get options(): Readonly<Omit<VippsOptions, "clientSecret" | "subscriptionKey" | "webhookSecret">> {
    const { clientSecret: _s, subscriptionKey: _k, webhookSecret: _w, ...visible } = this.options_
    return visible
  }

  /** Only the webhook route needs it. */
  get webhookSecret(): string | undefined {
    return this.options_.webhookSecret
  }

  private async paymentCollectionOf(sessionId: string): Promise<string | undefined> {
    const sessions = this.container.paymentSessionService as
      | { retrieve(id: string, config: { select: string[] }): Promise<{ payment_collection_id?: string }> }
      | undefined
    try {
      return (await sessions?.retrieve(sessionId, { select: ["id", "payment_collection_id"] }))
        ?.payment_collection_id
    } catch {
      return undefined
    }
  }

  /** The session a reference of this registration belongs to, or null for someone else's reference. */
  sessionIdFor(reference: string): string | null {
    return sessionIdFromReference(reference, this.options_.referencePrefix)
  }

  async initiatePayment({
    amount,
    currency_code,
    data,
    context,
  }: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const input = StorefrontInput.safeParse(data ?? {})
    if (!input.success) {
      const issues = input.error.issues.map((i) =>
        i.code === "unrecognized_keys"
          ? `unknown field(s) ${i.keys.join(", ")}`
          : `${i.path.join(".")}: ${i.message}`,
      )
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Invalid Vipps MobilePay session data: ${issues.join("; ")}`,
      )
    }
    try {
      const currency = normalizeCurrency(currency_code)
      const value = toMinorUnits(medusaDecimal(amount), currency)
      assertPayableAmount(value, currency)

      const sessionId = input.data.session_id ?? context?.idempotency_key
      if (!sessionId) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, "Vipps MobilePay needs the payment session id")
      }
      const reference = referenceFromSessionId(sessionId, this.options_.referencePrefix)
      const cart = await cartOfSession(sessionId)
      const collectionId = await this.paymentCollectionOf(sessionId)
      const receipt = cart ? buildReceipt(cart, currency, value) : undefined
      const request = buildCreatePaymentRequest(this.options_, input.data, {
        reference,
        sessionId,
        currency,
        value,
        cartId: cart?.id,
        receipt,
      })
      // Marks the payment as this store's: with it, a payment approved after its session was dropped can be
      // told apart from another store's payment on a shared sales unit.
      if (collectionId) request.metadata = { [PAYMENT_COLLECTION_METADATA]: collectionId }
      const created = await this.client.epayment.createPayment(request, idempotencyKey("create", sessionId))

      const sessionData: VippsSessionData = {
        reference,
        userFlow: request.userFlow,
        paymentMethod: request.paymentMethod.type,
        ...(created.redirectUrl ? { redirectUrl: created.redirectUrl } : {}),
        ...(request.qrFormat ? { qrFormat: request.qrFormat.format } : {}),
        amount: { currency, value },
        state: "CREATED",
        ...(cart ? { cart_id: cart.id } : {}),
        ...(request.expiresAt ? { expiresAt: request.expiresAt } : {}),
      }
      return { id: reference, status: PaymentSessionStatus.PENDING, data: sessionData }
    } catch (error) {
      throw this.fail(error, "start the payment")
    }
  }

  async authorizePayment({ data }: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    const session = this.sessionData(data)
    let payment: GetPaymentResponse
    try {
      payment = await this.client.epayment.getPayment(session.reference)
    } catch (error) {
      throw this.fail(error, "check the payment")
    }
    if (
      payment.amount.value !== session.amount.value ||
      payment.amount.currency !== session.amount.currency
    ) {
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `Vipps MobilePay payment ${session.reference} is for ${payment.amount.value} ${payment.amount.currency} minor units, the session for ${session.amount.value} ${session.amount.currency}`,
      )
    }
    const synced = withPayment(session, payment)

    switch (payment.state) {
      case "AUTHORIZED":
        // After a cancel the state stays AUTHORIZED: nothing reserved and nothing captured is no payment.
        if (isReleased(payment)) {
          throw new MedusaError(MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR, SHOPPER_MESSAGES.RELEASED)
        }
        if (this.options_.autoCapture) return this.captureAtAuthorization(synced, payment)
        return { status: PaymentSessionStatus.AUTHORIZED, data: synced }
      case "CREATED":
        throw new MedusaError(MedusaError.Types.PAYMENT_REQUIRES_MORE_ERROR, WAITING_FOR_APPROVAL)
      default:
        throw new MedusaError(MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR, SHOPPER_MESSAGES[payment.state])
    }
  }

  async capturePayment({ data, context }: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const session = this.sessionData(data)
    const captureId = context?.idempotency_key
    const key = captureId
      ? idempotencyKey("capture", captureId)
      : referenceKey("capture-full", session.reference)
    try {
      let value: number
      if (captureId) {
        // Medusa passes no amount (see the docs' pitfall 1): read it from the capture row it just created.
        const capture = await (this.container.captureService as MoneyRowService).retrieve(captureId, {
          select: ["id", "amount", "raw_amount"],
        })
        value = toMinorUnits(
          medusaDecimal((capture.raw_amount ?? capture.amount) as never),
          session.amount.currency,
        )
      } else {
        const payment = await this.client.epayment.getPayment(session.reference)
        value = remainingToCapture(payment)
      }
      await this.refuseUnrecorded(session, "capture", key, captureId)
      const response = await this.client.epayment.capturePayment(
        session.reference,
        { currency: session.amount.currency as "NOK", value },
        key,
      )
      this.logger.info(
        `Vipps MobilePay captured ${fromMinorUnits(value, session.amount.currency)} ${session.amount.currency} of ${session.reference}`,
      )
      return { data: withModification(session, response) }
    } catch (error) {
      const settled = await this.tookEffect(session, error, key)
      if (settled) return { data: settled }
      throw this.fail(error, `capture ${session.reference}`)
    }
  }

  async refundPayment({ amount, data, context }: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const session = this.sessionData(data)
    let key: string | undefined
    try {
      const currency = normalizeCurrency(session.amount.currency)
      const value = toMinorUnits(medusaDecimal(amount), currency)
      if (value <= 0)
        throw new MedusaError(MedusaError.Types.INVALID_DATA, "A refund must be larger than zero")
      // Medusa always passes the refund id; without one, what was refunded so far keeps the key stable.
      key = context?.idempotency_key
        ? idempotencyKey("refund", context.idempotency_key)
        : referenceKey(`refund-${session.aggregate?.refundedAmount.value ?? 0}`, session.reference)
      await this.refuseUnrecorded(session, "refund", key, context?.idempotency_key)
      const response = await this.client.epayment.refundPayment(session.reference, { currency, value }, key)
      this.logger.info(
        `Vipps MobilePay refunded ${fromMinorUnits(value, currency)} ${currency} of ${session.reference}`,
      )
      return { data: withModification(session, response) }
    } catch (error) {
      const settled = key ? await this.tookEffect(session, error, key) : undefined
      if (settled) return { data: settled }
      throw this.fail(error, `refund ${session.reference}`)
    }
  }

  /**
   * With an idempotency key (order cancel, payment-collection cancel, or the compensation of a failed cart
   * completion): release the whole reservation. Without one, Medusa's payment module is undoing an
   * authorization whose payment row it could not create: cancel only if the customer has not approved, so
   * that rollback never releases a paid reservation; reconciliation picks it up. Processes that race on
   * one cart without a shared lock can still compensate the winner's payment: several processes need a
   * shared locking provider (README, "Several processes").
   */
  async cancelPayment({ data, context }: CancelPaymentInput): Promise<CancelPaymentOutput> {
    const session = this.sessionData(data)
    const key = context?.idempotency_key
    try {
      const response = await this.client.epayment.cancelPayment(
        session.reference,
        key ? idempotencyKey("cancel", key) : referenceKey("cancel-open", session.reference),
        { cancelTransactionOnly: !key },
      )
      return { data: withModification(session, response) }
    } catch (error) {
      if (error instanceof VippsApiError && error.code === 6060) {
        this.logger.warn(
          `Vipps MobilePay kept the approved reservation of ${session.reference} (rollback without cancel)`,
        )
        return { data: session }
      }
      if (error instanceof VippsApiError && (error.code === 6190 || error.code === 6050)) {
        const payment = await this.client.epayment.getPayment(session.reference).catch(() => undefined)
        if (payment && (payment.state === "TERMINATED" || isFullyReleased(payment))) {
          return { data: withPayment(session, payment) }
        }
      }
      throw this.fail(error, `cancel ${session.reference}`)
    }
  }

  /** Called whenever Medusa drops a session (cart changed, method switched): best effort, never throws. */
  async deletePayment({ data }: DeletePaymentInput): Promise<DeletePaymentOutput> {
    if (!isVippsSessionData(data)) return { data }
    try {
      const payment = await this.client.epayment.getPayment(data.reference)
      if (payment.state === "CREATED") {
        await this.client.epayment.cancelPayment(data.reference, referenceKey("delete", data.reference), {
          cancelTransactionOnly: true,
        })
      }
    } catch (error) {
      this.logger.warn(
        `Vipps MobilePay could not cancel the dropped payment ${data.reference}: ${toMedusaError(error, "cancel it").message}`,
      )
    }
    return { data }
  }

  async getPaymentStatus({ data }: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    const session = this.sessionData(data)
    try {
      const payment = await this.client.epayment.getPayment(session.reference)
      return { status: medusaStatus(payment), data: withPayment(session, payment) }
    } catch (error) {
      throw this.fail(error, `check ${session.reference}`)
    }
  }

  async retrievePayment({ data }: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const session = this.sessionData(data)
    try {
      return { data: withPayment(session, await this.client.epayment.getPayment(session.reference)) }
    } catch (error) {
      throw this.fail(error, `read ${session.reference}`)
    }
  }

  /** A Vipps payment's amount cannot change: Medusa replaces the session when the cart total changes. */
  async updatePayment({ amount, currency_code, data }: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const session = this.sessionData(data)
    const currency = normalizeCurrency(currency_code)
    const value = toMinorUnits(medusaDecimal(amount), currency)
    if (value !== session.amount.value || currency !== session.amount.currency) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "A Vipps MobilePay payment's amount cannot change; create a new payment session",
      )
    }
    return { status: PaymentSessionStatus.PENDING, data: session }
  }

  /**
   * Medusa's generic `/hooks/payment/...` route answers before any check and does not know the request
   * path Vipps MobilePay signs: it is not supported. The plugin's `/hooks/vipps/:id` route verifies and
   * processes webhooks.
   */
  async getWebhookActionAndData(_payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    this.logger.warn(
      "Vipps MobilePay webhooks must be registered to /hooks/vipps/<provider id>; a delivery to /hooks/payment/... was ignored",
    )
    return { action: PaymentActions.NOT_SUPPORTED }
  }

  private async captureAtAuthorization(
    session: VippsSessionData,
    payment: GetPaymentResponse,
  ): Promise<AuthorizePaymentOutput> {
    const value = remainingToCapture(payment)
    if (value <= 0) {
      if (payment.aggregate.capturedAmount.value >= payment.amount.value) {
        return { status: PaymentSessionStatus.CAPTURED, data: session }
      }
      throw new MedusaError(MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR, SHOPPER_MESSAGES.RELEASED)
    }
    try {
      const response = await this.client.epayment.capturePayment(
        session.reference,
        { currency: payment.amount.currency, value },
        referenceKey("autocapture", session.reference),
      )
      return { status: PaymentSessionStatus.CAPTURED, data: withModification(session, response) }
    } catch (error) {
      throw this.fail(error, `capture ${session.reference}`)
    }
  }

  /**
   * A capture or refund must not go out while Vipps MobilePay holds more captured (refunded) than Medusa
   * has recorded — its own capture (refund) rows, other than the one being made, plus what the sync recorded
   * as done outside Medusa. An earlier attempt that Medusa saw fail may have gone through; the new attempt
   * carries a new Medusa id, so its Idempotency-Key could not stop a second charge. A repeat of our own
   * attempt (same key in the event log) is a safe replay. Otherwise refuse until the sync has recorded it.
   */
  private async refuseUnrecorded(
    session: VippsSessionData,
    kind: "capture" | "refund",
    key: string,
    rowId: string | undefined,
  ) {
    const known = await this.recordedMinor(session, kind, rowId)
    if (known === undefined) return
    const field = kind === "capture" ? "capturedAmount" : "refundedAmount"
    const payment = await this.client.epayment.getPayment(session.reference)
    const held = payment.aggregate[field].value
    if (held <= known) return
    const events = await this.client.epayment.getPaymentEvents(session.reference)
    if (events.some((event) => event.idempotencyKey === key && event.success)) return
    const currency = payment.amount.currency
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Vipps MobilePay holds ${fromMinorUnits(held, currency)} ${currency} ${kind}d for ${session.reference}, Medusa recorded ${fromMinorUnits(known, currency)} ${currency}: an earlier ${kind} may have gone through. Nothing was sent. The payment is synced from Vipps MobilePay by its webhook or the reconciliation job; check it before trying again.`,
    )
  }

  /**
   * After a capture or refund failed without a clear answer (the connection dropped or Vipps MobilePay kept
   * failing on every retry), it may still have happened: a timeout is not a failure. If the event log shows
   * our Idempotency-Key as a successful event, it did — report success, so Medusa keeps its row.
   */
  private async tookEffect(session: VippsSessionData, error: unknown, key: string) {
    // Any failure worth a retry (no answer, 5xx, 423, 429, "try later" codes) may follow an attempt that
    // went through: only a definite refusal (other 4xx) proves nothing happened.
    if (!isRetryable(error)) return undefined
    try {
      const events = await this.client.epayment.getPaymentEvents(session.reference)
      if (!events.some((event) => event.idempotencyKey === key && event.success)) return undefined
      this.logger.warn(`Vipps MobilePay ${key} went through although no answer came back; recorded it`)
      return withPayment(session, await this.client.epayment.getPayment(session.reference))
    } catch {
      return undefined
    }
  }

  /** What Medusa has recorded as captured (refunded) for this payment, in minor units, without `rowId`. */
  private async recordedMinor(
    session: VippsSessionData,
    kind: "capture" | "refund",
    rowId: string | undefined,
  ) {
    const service = (kind === "capture" ? this.container.captureService : this.container.refundService) as
      MoneyRowService | undefined
    if (!rowId || !service) return undefined
    const current = await service.retrieve(rowId, { select: ["id", "payment_id"] })
    if (!current.payment_id) return undefined
    const rows = await service.list(
      { payment_id: current.payment_id },
      { select: ["id", "amount", "raw_amount"] },
    )
    const currency = session.amount.currency
    const recorded = rows
      .filter((row) => row.id !== rowId)
      .reduce(
        (total, row) =>
          total + toMinorUnits(medusaDecimal((row.raw_amount ?? row.amount) as never), currency),
        0,
      )
    const outside = kind === "refund" ? (session.outsideMedusa?.refundedAmount ?? 0) : 0
    return recorded + outside
  }

  private sessionData(data: unknown): VippsSessionData {
    if (!isVippsSessionData(data)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "The payment has no Vipps MobilePay reference")
    }
    return data
  }

  private fail(error: unknown, action: string): MedusaError {
    const medusaError = toMedusaError(error, action)
    if (!(error instanceof MedusaError)) this.logger.error(medusaError.message)
    return medusaError
  }
}

function remainingToCapture(payment: GetPaymentResponse): number {
  const { authorizedAmount, capturedAmount, cancelledAmount } = payment.aggregate
  return authorizedAmount.value - capturedAmount.value - cancelledAmount.value
}

function isFullyReleased(payment: GetPaymentResponse): boolean {
  return remainingToCapture(payment) <= 0
}

/** Approved, then cancelled before anything was captured (in the portal, by a deadline, by a rollback). */
export function isReleased(payment: GetPaymentResponse): boolean {
  return (
    payment.state === "AUTHORIZED" &&
    payment.aggregate.cancelledAmount.value > 0 &&
    payment.aggregate.capturedAmount.value === 0
  )
}

function medusaStatus(payment: GetPaymentResponse): PaymentSessionStatus {
  switch (payment.state) {
    case "CREATED":
      return PaymentSessionStatus.PENDING
    case "AUTHORIZED": {
      const { authorizedAmount, capturedAmount } = payment.aggregate
      return capturedAmount.value > 0 && capturedAmount.value >= authorizedAmount.value
        ? PaymentSessionStatus.CAPTURED
        : PaymentSessionStatus.AUTHORIZED
    }
    case "TERMINATED":
      return PaymentSessionStatus.CANCELED
    default:
      return PaymentSessionStatus.ERROR
  }
}

/** Metadata key holding the Medusa payment collection a Vipps payment was created for. */
export const PAYMENT_COLLECTION_METADATA = "medusaPaymentCollectionId"

export function withPayment(session: VippsSessionData, payment: GetPaymentResponse): VippsSessionData {
  const failureReason = SHOPPER_MESSAGES[payment.state]
  return {
    ...session,
    state: payment.state,
    aggregate: payment.aggregate,
    pspReference: payment.pspReference,
    ...(failureReason ? { failureReason } : {}),
  }
}

function withModification(session: VippsSessionData, response: ModificationResponse): VippsSessionData {
  return { ...session, state: response.state, aggregate: response.aggregate }
}

export default VippsProviderService
