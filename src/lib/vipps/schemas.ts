import { z } from "zod"
import { Amount, Currency } from "./amount-schema"
import { Shipping, ShippingDetails } from "./express-schemas"

/**
 * ePayment, Access Token, Webhooks and Userinfo shapes, following spec/ (ePayment 1.4.1,
 * Webhooks v1, Order Management 2.3.24 for `receipt`) plus the documented live-API additions.
 * Response schemas accept unknown extra properties (the live API is newer than the spec);
 * request schemas are strict so we never send what the spec does not know. Amounts and Express's shipping
 * shapes live in their own files and are exported from here too.
 */

export * from "./amount-schema"
export * from "./express-schemas"

/** Spec 1.4.1 allowed 8-50 characters; ePayment 1.7.0 (Jan 2025) allows 8-64. */
export const REFERENCE_MAX_LENGTH = 64
export const REFERENCE_PATTERN = /^[a-zA-Z0-9-]{8,64}$/
/** Kept for callers that tell request from response references apart: the same rule since 1.7.0. */
export const RESPONSE_REFERENCE_PATTERN = REFERENCE_PATTERN
export const MAX_IDEMPOTENCY_KEY_LENGTH = 50

export const USER_FLOWS = ["WEB_REDIRECT", "NATIVE_REDIRECT", "PUSH_MESSAGE", "QR"] as const
export const UserFlow = z.enum(USER_FLOWS)
export type UserFlow = z.infer<typeof UserFlow>

export const PAYMENT_METHOD_TYPES = ["WALLET", "CARD"] as const
export const PaymentMethodType = z.enum(PAYMENT_METHOD_TYPES)
export type PaymentMethodType = z.infer<typeof PaymentMethodType>

/** `paymentMethod.blockedSources` (WALLET, Danish and Finnish sales units only; Norway answers 5010). */
export const BLOCKED_SOURCES = ["COMMERCIAL_CARDS"] as const
export const BlockedSource = z.enum(BLOCKED_SOURCES)
export type BlockedSource = z.infer<typeof BlockedSource>

export const CUSTOMER_INTERACTIONS = ["CUSTOMER_PRESENT", "CUSTOMER_NOT_PRESENT"] as const
export const CustomerInteraction = z.enum(CUSTOMER_INTERACTIONS)
export type CustomerInteraction = z.infer<typeof CustomerInteraction>

export const QR_FORMATS = ["IMAGE/SVG+XML", "IMAGE/PNG", "TEXT/TARGETURL"] as const
export const QrFormatName = z.enum(QR_FORMATS)
export type QrFormatName = z.infer<typeof QrFormatName>

export const PAYMENT_STATES = ["CREATED", "AUTHORIZED", "ABORTED", "EXPIRED", "TERMINATED"] as const
export const PaymentState = z.enum(PAYMENT_STATES)
export type PaymentState = z.infer<typeof PaymentState>
export const FINAL_UNAPPROVED_STATES: readonly PaymentState[] = ["ABORTED", "EXPIRED", "TERMINATED"]

export const PAYMENT_EVENT_NAMES = [
  "CREATED",
  "AUTHORIZED",
  "ABORTED",
  "EXPIRED",
  "CANCELLED",
  "CAPTURED",
  "REFUNDED",
  "TERMINATED",
] as const
export const PaymentEventName = z.enum(PAYMENT_EVENT_NAMES)
export type PaymentEventName = z.infer<typeof PaymentEventName>

export const MSISDN_PATTERN = /^\d{10,15}$/
export const PROFILE_SCOPES = ["name", "address", "email", "phoneNumber", "birthDate", "nin"] as const

export const Customer = z.union([
  z.strictObject({ phoneNumber: z.string().regex(MSISDN_PATTERN) }),
  z.strictObject({ personalQr: z.string().min(5).max(255) }),
  z.strictObject({ customerToken: z.string().min(1) }),
])
export type Customer = z.infer<typeof Customer>

const RFC3339 =
  /^((?:(\d{4}-\d{2}-\d{2})(T|t)(\d{2}:\d{2}:\d{2}(?:\.\d+)?))(Z|z|([+-](?:2[0-3]|[01][0-9]):[0-5][0-9])))$/

/** Order Management 2.3.24 `OrderLine` (amounts in minor units). */
export const OrderLine = z.strictObject({
  name: z.string().min(1).max(2048),
  id: z.string().min(1).max(255),
  totalAmount: z.number().int().min(0),
  totalAmountExcludingTax: z.number().int().min(0),
  totalTaxAmount: z.number().int().min(0),
  taxPercentage: z.number().int().min(0).max(100),
  unitInfo: z
    .strictObject({
      unitPrice: z.number().int().min(0),
      quantity: z
        .string()
        .max(10)
        .regex(/^\d+([.]\d{1,8})?$/),
      quantityUnit: z.enum(["PCS", "KG", "KM", "MINUTE", "LITRE", "KWH"]).optional(),
    })
    .optional(),
  discount: z.number().int().min(0).optional(),
  productUrl: z.string().max(2048).optional(),
  isReturn: z.boolean().optional(),
  isShipping: z.boolean().optional(),
})
export type OrderLine = z.infer<typeof OrderLine>

export const BottomLine = z.strictObject({
  currency: Currency,
  tipAmount: z.number().int().min(0).optional(),
  posId: z.string().optional(),
  receiptNumber: z.string().optional(),
})

export const Receipt = z.strictObject({
  orderLines: z.array(OrderLine).min(1),
  bottomLine: BottomLine,
})
export type Receipt = z.infer<typeof Receipt>

/** Oct 2026: the app shows these and the customer accepts them before paying. Names x-uncertain (1.8.5). */
export const MerchantLegalLinks = z.strictObject({
  termsOfSaleUrl: z
    .url({ protocol: /^https$/ })
    .max(2048)
    .optional(),
  privacyPolicyUrl: z
    .url({ protocol: /^https$/ })
    .max(2048)
    .optional(),
})
export type MerchantLegalLinks = z.infer<typeof MerchantLegalLinks>

/** WooCommerce sends 0-100 or null; the live type is `number | null`. */
export const MINIMUM_USER_AGE_MAX = 100

export const CreatePaymentRequest = z.strictObject({
  amount: Amount,
  paymentMethod: z.strictObject({
    type: PaymentMethodType,
    blockedSources: z.array(BlockedSource).min(1).optional(),
  }),
  reference: z.string().regex(REFERENCE_PATTERN),
  userFlow: UserFlow,
  returnUrl: z.string().min(1).max(2500).optional(),
  customer: Customer.optional(),
  customerInteraction: CustomerInteraction.optional(),
  paymentDescription: z.string().min(3).max(100).optional(),
  profile: z.strictObject({ scope: z.string().min(1) }).optional(),
  expiresAt: z.string().regex(RFC3339).nullable().optional(),
  qrFormat: z
    .strictObject({
      format: QrFormatName,
      size: z.number().int().min(100).max(2000).nullable().optional(),
    })
    .nullable()
    .optional(),
  metadata: z.record(z.string().max(100), z.string().max(500)).nullable().optional(),
  receipt: Receipt.optional(),
  receiptUrl: z.string().nullable().optional(),
  minimumUserAge: z.number().int().min(0).max(MINIMUM_USER_AGE_MAX).nullable().optional(),
  merchantLegalLinks: MerchantLegalLinks.optional(),
  shipping: Shipping.optional(),
})
export type CreatePaymentRequest = z.infer<typeof CreatePaymentRequest>

export const CreatePaymentResponse = z.looseObject({
  reference: z.string(),
  redirectUrl: z.string().optional(),
})
export type CreatePaymentResponse = z.infer<typeof CreatePaymentResponse>

export const Aggregate = z.looseObject({
  authorizedAmount: Amount,
  cancelledAmount: Amount,
  capturedAmount: Amount,
  refundedAmount: Amount,
})
export type Aggregate = z.infer<typeof Aggregate>

/**
 * `userDetails` (1.8.1): the consented profile, in GET and the AUTHORIZED webhook. The item shape of
 * `addresses` is undocumented (x-uncertain): every item is kept as sent and read tolerantly.
 */
export const UserDetails = z.looseObject({
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  mobileNumber: z.string().nullable().optional(),
  dateOfBirth: z.string().nullable().optional(),
  addresses: z.array(z.looseObject({})).nullable().optional(),
})
export type UserDetails = z.infer<typeof UserDetails>

/**
 * `captureGuaranteedUntil` (Aug 2026). Only a readable instant is useful: anything else (an empty string,
 * a date without time) is dropped rather than failing the whole payment read.
 */
export const CaptureGuaranteedUntil = z
  .unknown()
  .transform((value) => (typeof value === "string" && RFC3339.test(value) ? value : undefined))
  .optional()

export const GetPaymentResponse = z.looseObject({
  aggregate: Aggregate,
  amount: Amount,
  state: PaymentState,
  paymentMethod: z.looseObject({ type: z.string(), cardBin: z.string().optional() }),
  profile: z.looseObject({ sub: z.string().optional() }),
  pspReference: z.string(),
  reference: z.string(),
  redirectUrl: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  captureGuaranteedUntil: CaptureGuaranteedUntil,
  userDetails: UserDetails.nullable().optional(),
  shippingDetails: ShippingDetails.nullable().optional(),
})
export type GetPaymentResponse = z.infer<typeof GetPaymentResponse>

export const ModificationResponse = z.looseObject({
  amount: Amount,
  state: PaymentState,
  aggregate: Aggregate,
  pspReference: z.string(),
  reference: z.string(),
})
export type ModificationResponse = z.infer<typeof ModificationResponse>

export const PaymentEvent = z.looseObject({
  reference: z.string(),
  pspReference: z.string(),
  name: PaymentEventName,
  amount: Amount,
  timestamp: z.string(),
  idempotencyKey: z.string().nullable().optional(),
  success: z.boolean(),
})
export type PaymentEvent = z.infer<typeof PaymentEvent>
export const PaymentEventLog = z.array(PaymentEvent)

/**
 * Body of an ePayment webhook delivery (`WebhookEvent` in the spec). AUTHORIZED adds
 * `captureGuaranteedUntil` and, with profile sharing, `userDetails` and the user id — documented both as
 * top-level `sub` and as `profile.sub`: both are accepted (`webhookSub` reads either).
 */
export const WebhookEvent = z.looseObject({
  msn: z.string(),
  reference: z.string(),
  pspReference: z.string(),
  name: PaymentEventName,
  amount: Amount,
  timestamp: z.string(),
  idempotencyKey: z.string().nullable().optional(),
  success: z.boolean(),
  captureGuaranteedUntil: CaptureGuaranteedUntil,
  userDetails: UserDetails.nullable().optional(),
  sub: z.string().nullable().optional(),
  profile: z.looseObject({ sub: z.string().nullable().optional() }).nullable().optional(),
  shippingDetails: ShippingDetails.nullable().optional(),
})
export type WebhookEvent = z.infer<typeof WebhookEvent>

/** The profile-sharing user id of a webhook, wherever the payload put it. */
export function webhookSub(event: WebhookEvent): string | undefined {
  return event.sub ?? event.profile?.sub ?? undefined
}

export const ModificationRequest = z.strictObject({ modificationAmount: Amount })
export type ModificationRequest = z.infer<typeof ModificationRequest>

export const CancelRequest = z.strictObject({ cancelTransactionOnly: z.boolean().optional() })
export type CancelRequest = z.infer<typeof CancelRequest>

export const ForceApproveRequest = z.strictObject({
  customer: Customer.optional(),
  token: z.string().optional(),
})
export type ForceApproveRequest = z.infer<typeof ForceApproveRequest>

export const AccessTokenResponse = z.looseObject({
  token_type: z.string(),
  // A string in the spec; accept a number too rather than fail on a harmless difference. Read with
  // Number() where used: no transform here, so the client's compiled check covers this answer too.
  expires_in: z.union([z.string(), z.number()]),
  access_token: z.string().min(1),
  ext_expires_in: z.union([z.string(), z.number()]).optional(),
  expires_on: z.union([z.string(), z.number()]).optional(),
  not_before: z.union([z.string(), z.number()]).optional(),
  resource: z.string().optional(),
})
export type AccessTokenResponse = z.infer<typeof AccessTokenResponse>

export const EPAYMENT_WEBHOOK_EVENTS = [
  "epayments.payment.created.v1",
  "epayments.payment.authorized.v1",
  "epayments.payment.aborted.v1",
  "epayments.payment.expired.v1",
  "epayments.payment.cancelled.v1",
  "epayments.payment.captured.v1",
  "epayments.payment.refunded.v1",
  "epayments.payment.terminated.v1",
] as const

export const RegisterWebhookRequest = z.strictObject({
  url: z.string().min(1).max(2048),
  events: z.array(z.string().min(1)).min(1),
})
export type RegisterWebhookRequest = z.infer<typeof RegisterWebhookRequest>

export const RegisterWebhookResponse = z.looseObject({ id: z.string(), secret: z.string() })
export type RegisterWebhookResponse = z.infer<typeof RegisterWebhookResponse>

export const WebhookRegistration = z.looseObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
})
export type WebhookRegistration = z.infer<typeof WebhookRegistration>
export const ListWebhooksResponse = z.looseObject({ webhooks: z.array(WebhookRegistration) })

/** Userinfo API (profile sharing); every claim is optional, depending on the consented scope. */
export const UserinfoAddress = z.looseObject({
  street_address: z.string().optional(),
  postal_code: z.string().optional(),
  region: z.string().optional(),
  country: z.string().optional(),
  formatted: z.string().optional(),
  address_type: z.string().optional(),
})
export const UserinfoResponse = z.looseObject({
  sub: z.string(),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  phone_number: z.string().optional(),
  birthdate: z.string().optional(),
  address: UserinfoAddress.optional(),
  other_addresses: z.array(UserinfoAddress).optional(),
})
export type UserinfoResponse = z.infer<typeof UserinfoResponse>

/** RFC 7807 Problem body as the ePayment API sends it. */
export const Problem = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  detail: z.string().nullable().optional(),
  status: z.number().int().optional(),
  instance: z.string().nullable().optional(),
  traceId: z.string().nullable().optional(),
  extraDetails: z
    .array(z.looseObject({ name: z.string(), reason: z.string() }))
    .nullable()
    .optional(),
})
export type Problem = z.infer<typeof Problem>
