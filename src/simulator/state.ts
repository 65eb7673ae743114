import { authorizedWebhookAdditions, DEFAULT_ADDITIONS, type AdditionsFeatures } from "./additions-2026"
import { SimulatorClock } from "./clock"
import { FaultInjector } from "./faults"
import { IdempotencyStore } from "./idempotency"
import { PaymentEngine } from "./payments"
import { RequestLog } from "./request-log"
import { TokenStore } from "./tokens"
import type { SimPayment, SimulatorMerchant, SimulatorTestUser } from "./types"
import { DEFAULT_TEST_USER } from "./userinfo"
import { WebhookFaultInjector } from "./webhook-faults"
import { WebhookSender, type WebhookRetryOptions } from "./webhook-sender"
import { WebhookRegistry } from "./webhooks"

/** Everything the simulator keeps, wired together; the HTTP server and the control object share it. */

export type SimulatorOptions = {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number
  /** Interface to listen on (default 127.0.0.1). */
  host?: string
  /** Test merchants (sales units). Default: one, DEFAULT_SIMULATOR_MERCHANT. */
  merchants?: SimulatorMerchant[]
  /** Access token lifetime on the simulator clock (default 3600 s, as in the test environment). */
  tokenLifetimeSeconds?: number
  /** Lifetime of a payment without `expiresAt` (default 600 s). */
  paymentLifetimeSeconds?: number
  webhookRetry?: WebhookRetryOptions
  /** Base URL used in redirectUrls (default: the URL the server listens on). */
  publicUrl?: string
  /** The app user who approves payments; Userinfo returns their (scope-limited) data. */
  testUser?: Partial<SimulatorTestUser>
  /** Accept plain http:// returnUrls and webhook URLs on any host (default: only on loopback hosts). */
  allowHttpUrls?: boolean
  /** Maximum number of request log entries kept (default 10 000). */
  requestLogLimit?: number
  /** How often CREATED payments are checked for expiry in the background (default 1000 ms). */
  expirySweepMs?: number
  /** Serve the HTTP control API under /_simulator (default true). */
  controlApi?: boolean
  /** Which post-1.4.1 response fields to play (default: all, as the API of 2026). */
  additions?: Partial<AdditionsFeatures>
  /**
   * Brand the landing page shows: "vipps", "mobilepay", or "auto" (default): MobilePay for DKK/EUR payments
   * before the rebrand of 12 January 2027 on the simulator clock, Vipps otherwise.
   */
  brand?: SimulatorBrandSetting
}

export type SimulatorBrandSetting = "vipps" | "mobilepay" | "auto"

export const DEFAULT_SIMULATOR_MERCHANT: Readonly<SimulatorMerchant> = Object.freeze<SimulatorMerchant>({
  clientId: "sim-client-id",
  clientSecret: "sim-client-secret",
  subscriptionKey: "sim-subscription-key",
  msn: "123456",
  currencies: ["NOK", "DKK", "EUR"],
  name: "Simulated Shop",
  allowPushMessage: true,
  allowLongLiving: true,
})

export class SimulatorState {
  readonly clock = new SimulatorClock()
  readonly merchants: SimulatorMerchant[]
  readonly testUser: SimulatorTestUser
  readonly tokens: TokenStore
  readonly payments: PaymentEngine
  readonly idempotency = new IdempotencyStore()
  readonly webhooks = new WebhookRegistry()
  readonly webhookFaults = new WebhookFaultInjector()
  readonly sender: WebhookSender
  readonly faults = new FaultInjector()
  readonly requestLog: RequestLog
  readonly allowHttpUrls: boolean
  readonly controlApi: boolean
  additions: AdditionsFeatures
  brand: SimulatorBrandSetting
  private readonly initial: { additions: AdditionsFeatures; brand: SimulatorBrandSetting }
  paymentLifetimeMs: number
  publicUrl = "http://127.0.0.1"

  constructor(options: SimulatorOptions = {}) {
    this.merchants = (options.merchants ?? [DEFAULT_SIMULATOR_MERCHANT]).map((m) => ({
      ...m,
      currencies: [...m.currencies],
    }))
    const msns = new Set(this.merchants.map((m) => m.msn))
    if (msns.size !== this.merchants.length) throw new Error("Merchant serial numbers must be unique")
    this.testUser = {
      ...DEFAULT_TEST_USER,
      ...options.testUser,
      address: { ...DEFAULT_TEST_USER.address, ...options.testUser?.address },
    }
    this.allowHttpUrls = options.allowHttpUrls ?? false
    this.controlApi = options.controlApi ?? true
    this.initial = {
      additions: { ...DEFAULT_ADDITIONS, ...options.additions },
      brand: options.brand ?? "auto",
    }
    this.additions = { ...this.initial.additions }
    this.brand = this.initial.brand
    this.paymentLifetimeMs = (options.paymentLifetimeSeconds ?? 600) * 1000
    this.tokens = new TokenStore(this.clock, () => this.merchants, options.tokenLifetimeSeconds ?? 3600)
    this.sender = new WebhookSender(this.webhooks, this.webhookFaults, options.webhookRetry, (id, ok) => {
      this.webhooks.recordDelivery(id, ok, this.clock.now())
      this.webhooks.dropUnresponsive(this.clock.now())
    })
    this.requestLog = new RequestLog(options.requestLogLimit ?? 10_000)
    this.payments = new PaymentEngine({
      clock: this.clock,
      paymentLifetimeMs: () => this.paymentLifetimeMs,
      publicUrl: () => this.publicUrl,
      birthdateOf: () => this.testUser.birthdate,
      onEvent: (payment, event) =>
        this.sender.enqueue(
          payment.msn,
          event,
          event.name === "AUTHORIZED"
            ? authorizedWebhookAdditions(payment, this.grantOf(payment), this.testUser, this.additions)
            : undefined,
        ),
    })
    this.clock.onChange(() => {
      this.payments.sweep()
      this.webhooks.dropUnresponsive(this.clock.now())
    })
  }

  merchant(msn: string): SimulatorMerchant | undefined {
    return this.merchants.find((m) => m.msn === msn)
  }

  /** Who approves when nobody says: the payment's customer (PUSH_MESSAGE), else the test user. */
  approverFor(payment: SimPayment): string {
    return payment.customer && "phoneNumber" in payment.customer
      ? payment.customer.phoneNumber
      : this.testUser.phoneNumber
  }

  /** The profile grant of an approved profile-sharing payment. */
  grantOf(payment: SimPayment) {
    return payment.sub ? this.payments.grant(payment.sub) : undefined
  }

  merchantName(msn: string): string {
    return this.merchant(msn)?.name ?? `Merchant ${msn}`
  }

  /** Forget payments, idempotency records, registrations, deliveries, logs and faults; real time again. */
  reset(options: { tokens?: boolean } = {}): void {
    this.sender.clear()
    this.payments.reset()
    this.idempotency.clear()
    this.webhooks.clear()
    this.webhookFaults.clear()
    this.faults.clear()
    this.requestLog.clear()
    if (options.tokens) this.tokens.clear()
    this.clock.reset()
    this.additions = { ...this.initial.additions }
    this.brand = this.initial.brand
  }
}
