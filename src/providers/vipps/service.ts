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
import { deriveReturnTokenKey } from "../../lib/return-token"
import { VippsClient } from "../../lib/vipps/client"
import { VippsApiError } from "../../lib/vipps/errors"
import type { GetPaymentResponse } from "../../lib/vipps/schemas"
import { medusaDecimal } from "./amount"
import { SHOPPER_MESSAGES, toMedusaError, WAITING_FOR_APPROVAL } from "./errors"
import { parseOptions, VippsOptions, VippsOptionsError } from "./options"
import { forgetApprovedRead, shareApprovedRead, sharedApprovedRead } from "./approved-read"
import { buildCreatePaymentRequest, createdSessionData } from "./create-payment"
import { paymentOrigin, type PaymentSessionLookup } from "./payment-origin"
import { MoneyRowService, MovementGuard } from "./guard"
import {
  isFullyReleased,
  isReleased,
  isSamePayment,
  medusaStatus,
  PAYMENT_COLLECTION_METADATA,
  remainingToCapture,
  withModification,
  withPayment,
} from "./payment-state"
import type { VippsRegistration } from "./registration"
import { isVippsSessionData, parseStorefrontInput, VippsSessionData } from "./session-data"
import { systemInfo } from "./system-info"

/**
 * Vipps MobilePay (ePayment API) as a Medusa payment provider. Adapts Medusa's calls to the API client;
 * every money-moving call carries an Idempotency-Key derived from a persisted Medusa id.
 */
export class VippsProviderService extends AbstractPaymentProvider<VippsOptions> {
  static override identifier = "vipps"

  protected readonly options_: VippsOptions
  protected readonly client: VippsClient
  protected readonly logger: Logger
  private readonly guard: MovementGuard
  private readonly returnTokenKey: Buffer

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
    this.returnTokenKey = deriveReturnTokenKey(parsed.clientSecret)
    this.guard = new MovementGuard(
      this.client,
      {
        capture: container.captureService as MoneyRowService | undefined,
        refund: container.refundService as MoneyRowService | undefined,
      },
      this.logger,
    )
  }

  /** What routes, jobs and the sync use of this registration (they never call the provider itself). */
  get registration(): Omit<VippsRegistration, "id" | "providerId"> {
    const { clientSecret: _s, subscriptionKey: _k, webhookSecret, ...options } = this.options_
    const prefix = this.options_.referencePrefix
    return {
      client: this.client,
      options,
      webhookSecret,
      returnTokenKey: this.returnTokenKey,
      sessionIdFor: (reference: string) => sessionIdFromReference(reference, prefix),
    }
  }

  async initiatePayment({
    amount,
    currency_code,
    data,
    context,
  }: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const input = parseStorefrontInput(data)
    try {
      const currency = normalizeCurrency(currency_code)
      const value = toMinorUnits(medusaDecimal(amount), currency)
      assertPayableAmount(value, currency)

      const sessionId = input.session_id ?? context?.idempotency_key
      if (!sessionId) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, "Vipps MobilePay needs the payment session id")
      }
      const reference = referenceFromSessionId(sessionId, this.options_.referencePrefix)
      const origin = await paymentOrigin(
        this.container.paymentSessionService as PaymentSessionLookup | undefined,
        this.returnTokenKey,
        sessionId,
        input.adminRequest,
        currency,
        value,
      )
      const request = buildCreatePaymentRequest(this.options_, input, {
        reference,
        sessionId,
        currency,
        value,
        cartId: origin.cartId,
        byStaff: origin.byStaff,
        receipt: origin.receipt,
        minimumUserAge: origin.minimumUserAge,
      })
      // Marks the payment as this store's: with it, a payment approved after its session was dropped can be
      // told apart from another store's payment on a shared sales unit.
      if (origin.collectionId) request.metadata = { [PAYMENT_COLLECTION_METADATA]: origin.collectionId }
      const created = await this.client.epayment.createPayment(request, idempotencyKey("create", sessionId))

      const sessionData = createdSessionData(request, created.redirectUrl, origin.cartId)
      return { id: reference, status: PaymentSessionStatus.PENDING, data: sessionData }
    } catch (error) {
      throw this.fail(error, "start the payment")
    }
  }

  async authorizePayment({ data }: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    const session = this.sessionData(data)
    let payment: GetPaymentResponse
    try {
      // The sync that is completing the cart (or a racing completion) may have read it a moment ago.
      payment = (await sharedApprovedRead(session.reference)) ?? (await this.readApproval(session.reference))
    } catch (error) {
      throw this.fail(error, "check the payment")
    }
    if (!isSamePayment(session, payment)) {
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
      // Medusa passes no amount (see the docs' pitfall 1): read it from the capture row it just created.
      const row = captureId ? await this.guard.row("capture", captureId, session.amount.currency) : undefined
      if (row) await this.guard.assertNothingUnrecorded(session, row, key)
      const value =
        row?.value ?? remainingToCapture((await this.client.epayment.getPayment(session.reference)).aggregate)
      await forgetApprovedRead(session.reference)
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
      const settled = await this.guard.tookEffect(session, error, key)
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
      const refundId = context?.idempotency_key
      // Medusa always passes the refund id; without one, what was refunded so far keeps the key stable.
      key = refundId
        ? idempotencyKey("refund", refundId)
        : referenceKey(`refund-${session.aggregate?.refundedAmount.value ?? 0}`, session.reference)
      const row = refundId ? await this.guard.row("refund", refundId, currency) : undefined
      // The sync recording a refund Vipps MobilePay already made: check it is there, send nothing.
      if (row?.recordsVipps) return { data: await this.guard.assertHeldAtVipps(session, row) }
      if (row) await this.guard.assertNothingUnrecorded(session, row, key)
      await forgetApprovedRead(session.reference)
      const response = await this.client.epayment.refundPayment(session.reference, { currency, value }, key)
      this.logger.info(
        `Vipps MobilePay refunded ${fromMinorUnits(value, currency)} ${currency} of ${session.reference}`,
      )
      return { data: withModification(session, response) }
    } catch (error) {
      const settled = key ? await this.guard.tookEffect(session, error, key) : undefined
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
      await forgetApprovedRead(session.reference)
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
    const value = remainingToCapture(payment.aggregate)
    if (value <= 0) {
      if (payment.aggregate.capturedAmount.value >= payment.amount.value) {
        return { status: PaymentSessionStatus.CAPTURED, data: session }
      }
      throw new MedusaError(MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR, SHOPPER_MESSAGES.RELEASED)
    }
    try {
      await forgetApprovedRead(session.reference)
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

  private async readApproval(reference: string): Promise<GetPaymentResponse> {
    const payment = await this.client.epayment.getPayment(reference)
    await shareApprovedRead(payment)
    return payment
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

export default VippsProviderService
