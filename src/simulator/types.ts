import type {
  Currency,
  CustomerInteraction,
  PaymentEventName,
  PaymentMethodType,
  PaymentState,
  QrFormatName,
  Shipping,
  UserFlow,
} from "../lib/vipps/schemas"

/** A sales unit the simulator knows: its API keys, its MSN and what it is allowed to do. */
export type SimulatorMerchant = {
  clientId: string
  clientSecret: string
  subscriptionKey: string
  /** Merchant Serial Number, 4-7 digits. */
  msn: string
  /** Currencies of the sales unit's market (NOK for Norway, DKK for Denmark, EUR for Finland). */
  currencies: Currency[]
  name?: string
  /** May create `PUSH_MESSAGE` payments (else 5080). Default true. */
  allowPushMessage?: boolean
  /** May create long-living payments with `expiresAt` (else 5050). Default true. */
  allowLongLiving?: boolean
  /** May create Express payments (`shipping`; else 5020). Default true. */
  allowExpress?: boolean
  /**
   * The sales unit's country. Default: from the payment currency (NOK Norway, DKK Denmark, EUR Finland).
   * Norway refuses `paymentMethod.blockedSources` (5010).
   */
  country?: "NO" | "DK" | "FI"
}

/** The simulated app user who approves payments; Userinfo returns these claims (scope-limited). */
export type SimulatorTestUser = {
  phoneNumber: string
  name: string
  givenName: string
  familyName: string
  email: string
  emailVerified: boolean
  birthdate: string
  address: { streetAddress: string; postalCode: string; region: string; country: string }
}

export type SimAmount = { currency: Currency; value: number }

export type SimEvent = {
  reference: string
  pspReference: string
  name: PaymentEventName
  amount: SimAmount
  timestamp: string
  idempotencyKey: string | null
  success: boolean
}

export type SimAggregate = {
  authorized: number
  captured: number
  refunded: number
  cancelled: number
}

export type SimCustomer = { phoneNumber: string } | { personalQr: string } | { customerToken: string }

/** Internal state of one payment (money in minor units). */
export type SimPayment = {
  msn: string
  reference: string
  /** pspReference of the CREATED event; what GET and modification responses show. */
  pspReference: string
  amount: SimAmount
  state: PaymentState
  userFlow: UserFlow
  paymentMethodType: PaymentMethodType
  customerInteraction: CustomerInteraction
  returnUrl?: string
  customer?: SimCustomer
  paymentDescription?: string
  profileScope?: string[]
  /** Set when the user approved a payment that asked for a profile scope. */
  sub?: string
  metadata?: Record<string, string> | null
  receipt?: unknown
  qrFormat?: { format: QrFormatName; size?: number | null } | null
  /** Token that identifies the payment on the landing page, QR image and force-approve. */
  landingToken: string
  redirectUrl?: string
  createdAt: number
  expiresAt: number
  longLiving: boolean
  aggregate: SimAggregate
  events: SimEvent[]
  /** Phone number of the user who approved (the test user unless force-approved with another number). */
  approvedBy?: string
  /** Simulator clock time of the approval. */
  authorizedAt?: number
  /** Set by a test: this value (null: leave the field out) instead of the market rule. */
  captureGuaranteedUntil?: string | null
  minimumUserAge?: number | null
  merchantLegalLinks?: { termsOfSaleUrl?: string; privacyPolicyUrl?: string }
  blockedSources?: string[]
  /** Express (1.8.0): the `shipping` object of the create request. */
  shipping?: Shipping
  /** Express: what the shopper chose in the app, set at approval. */
  shippingChoice?: SimShippingChoice
}

/** Express: the delivery address the shopper used and the option they picked (price in minor units). */
export type SimShippingChoice = {
  address: SimShippingAddress
  optionId: string
  optionName: string
  value: number
}

export type SimShippingAddress = {
  addressLine1: string
  addressLine2: string | null
  city: string
  postCode: string
  country: string
}

export type OperationName =
  | "accessToken"
  | "createPayment"
  | "getPayment"
  | "getPaymentEvents"
  | "capture"
  | "refund"
  | "cancel"
  | "forceApprove"
  | "registerWebhook"
  | "listWebhooks"
  | "deleteWebhook"
  | "userinfo"
  | "landing"
  | "qr"

export const OPERATION_NAMES: readonly OperationName[] = [
  "accessToken",
  "createPayment",
  "getPayment",
  "getPaymentEvents",
  "capture",
  "refund",
  "cancel",
  "forceApprove",
  "registerWebhook",
  "listWebhooks",
  "deleteWebhook",
  "userinfo",
  "landing",
  "qr",
]
