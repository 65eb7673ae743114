import { MedusaError } from "@medusajs/framework/utils"
import { z } from "zod"
import { describeIssues } from "../../lib/zod-issues"
import {
  MSISDN_PATTERN,
  QR_FORMATS,
  USER_FLOWS,
  CUSTOMER_INTERACTIONS,
  PAYMENT_METHOD_TYPES,
  ShippingGroup,
} from "../../lib/vipps/schemas"

/**
 * Express: the shipping groups to offer (fixed options, priced by Medusa for the cart) or `dynamic: true`
 * (options computed for the address chosen in the app, through the shipping callback). Whatever is sent,
 * the order is only created when Vipps MobilePay's authorized amount equals the cart total with the chosen
 * Medusa shipping option.
 */
export const ExpressInput = z
  .strictObject({
    fixedOptions: z.array(ShippingGroup).min(1).optional(),
    dynamic: z.literal(true).optional(),
  })
  .refine((express) => !!express.fixedOptions !== !!express.dynamic, {
    error: "express needs exactly one of fixedOptions and dynamic",
  })
export type ExpressInput = z.infer<typeof ExpressInput>

/**
 * What the storefront may put in the payment session `data` (validated; unknown keys refused).
 * Never trusted for amounts or references: those come from Medusa and from Vipps MobilePay.
 */
export const StorefrontInput = z.strictObject({
  /** Added by Medusa itself. */
  session_id: z.string().optional(),
  /** Lets the return URL template carry the cart id. */
  cart_id: z
    .string()
    .regex(/^cart_[A-Za-z0-9]+$/)
    .optional(),
  userFlow: z.enum(USER_FLOWS).optional(),
  paymentMethod: z.enum(PAYMENT_METHOD_TYPES).optional(),
  /** Only where the provider option storefrontCustomerInteraction allows it (a till, a kiosk). */
  customerInteraction: z.enum(CUSTOMER_INTERACTIONS).optional(),
  /** Only with userFlow PUSH_MESSAGE. */
  phoneNumber: z
    .string()
    .transform((s) => s.replace(/[\s+]/g, ""))
    .pipe(
      z.string().regex(MSISDN_PATTERN, {
        error: "phoneNumber must be an MSISDN: country code and number, e.g. 4791234567",
      }),
    )
    .optional(),
  /** Checked against the provider option allowedReturnUrlOrigins (scheme and host). */
  returnUrl: z.string().min(1).max(2000).optional(),
  qrFormat: z.enum(QR_FORMATS).optional(),
  qrSize: z.number().int().min(100).max(2000).optional(),
  /** Long-living payment (QR or PUSH_MESSAGE only): when it expires, RFC 3339, 10 minutes to 60 days ahead. */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  /** Express checkout: shipping and address chosen in the app (POST /store/vipps/express sets it). */
  express: ExpressInput.optional(),
  /** Set only by the plugin's admin routes (see admin-request.ts); a storefront cannot make a valid one. */
  adminRequest: z.string().max(200).optional(),
})
export type StorefrontInput = z.infer<typeof StorefrontInput>

/** The storefront's session data, or a 400 naming every field that is wrong (never its value). */
export function parseStorefrontInput(data: unknown): StorefrontInput {
  const input = StorefrontInput.safeParse(data ?? {})
  if (input.success) return input.data
  throw new MedusaError(
    MedusaError.Types.INVALID_DATA,
    `Invalid Vipps MobilePay session data: ${describeIssues(input.error.issues).join("; ")}`,
  )
}

/** The session data this provider keeps (public: returned to the storefront, never holds secrets). */
export type VippsSessionData = {
  session_id?: string
  cart_id?: string
  reference: string
  userFlow: string
  paymentMethod: string
  /** Where to send the shopper (WEB_REDIRECT, NATIVE_REDIRECT), or the QR image / target URL (QR). */
  redirectUrl?: string
  qrFormat?: string
  amount: { currency: string; value: number }
  /** Vipps MobilePay's state when last read. */
  state: string
  aggregate?: {
    authorizedAmount: { currency: string; value: number }
    capturedAmount: { currency: string; value: number }
    refundedAmount: { currency: string; value: number }
    cancelledAmount: { currency: string; value: number }
  }
  pspReference?: string
  /** Long-living payments: when Vipps MobilePay expires the payment. */
  expiresAt?: string
  /** Until when Vipps MobilePay guarantees the reservation can be captured (ePayment 1.8). */
  captureGuaranteedUntil?: string
  /** Set when the payment ended without approval, in words a shopper understands. */
  failureReason?: string
  /** Express checkout: what the storefront asked for (kept by Medusa from the session input). */
  express?: ExpressInput
  /** Express, once approved: the chosen shipping option and the amount Vipps MobilePay reserved. */
  expressApproved?: { shippingOptionId: string; authorizedValue: number }
}

export function isVippsSessionData(data: unknown): data is VippsSessionData {
  return !!data && typeof data === "object" && typeof (data as VippsSessionData).reference === "string"
}
