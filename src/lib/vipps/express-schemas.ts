import { z } from "zod"
import { Amount } from "./amount-schema"

/**
 * Express (ePayment 1.8.0): shipping groups offered in the app. One group per brand + type; options are
 * the choices inside it (pickup points, time slots). An option's `amount` is added to the payment amount.
 */
export const SHIPPING_BRANDS = [
  "BRING",
  "DHL",
  "FEDEX",
  "GLS",
  "HELTHJEM",
  "INSTABOX",
  "MATKAHUOLTO",
  "PORTERBUDDY",
  "POSTEN",
  "POSTI",
  "POSTNORD",
  "OTHER",
] as const
export const SHIPPING_TYPES = ["HOME_DELIVERY", "PICKUP_POINT", "MAILBOX", "IN_STORE", "OTHER"] as const

export const ShippingOption = z.strictObject({
  id: z.string().min(1).max(255),
  amount: Amount,
  name: z.string().min(1).max(255),
  meta: z.string().max(255).optional(),
  estimatedDelivery: z.string().max(255).optional(),
  isDefault: z.boolean().optional(),
  priority: z.number().int().min(0).optional(),
})
export type ShippingOption = z.infer<typeof ShippingOption>

export const ShippingGroup = z.strictObject({
  brand: z.enum(SHIPPING_BRANDS),
  type: z.enum(SHIPPING_TYPES),
  isDefault: z.boolean().optional(),
  priority: z.number().int().min(0).optional(),
  options: z.array(ShippingOption).min(1),
})
export type ShippingGroup = z.infer<typeof ShippingGroup>

/** Send exactly one of `fixedOptions` and `dynamicOptions`; `allowedCountries` (May 2026) is x-uncertain. */
export const Shipping = z.strictObject({
  fixedOptions: z.array(ShippingGroup).min(1).optional(),
  dynamicOptions: z
    .strictObject({
      callbackUrl: z.string().min(1).max(2048),
      callbackAuthorizationToken: z.string().min(1).max(512),
    })
    .optional(),
  allowedCountries: z
    .array(z.string().regex(/^[A-Z]{2}$/))
    .min(1)
    .optional(),
})
export type Shipping = z.infer<typeof Shipping>

/** The answer to the dynamic shipping callback: the groups available for the address. */
export const ShippingCallbackResponse = z.looseObject({ groups: z.array(ShippingGroup) })
export type ShippingCallbackResponse = z.infer<typeof ShippingCallbackResponse>

/**
 * `shippingDetails` of an authorized Express payment. The address field names and the unit of
 * `shippingCost` are x-uncertain: everything is optional and read tolerantly.
 */
export const ShippingDetails = z.looseObject({
  address: z
    .looseObject({
      addressLine1: z.string().nullable().optional(),
      addressLine2: z.string().nullable().optional(),
      city: z.string().nullable().optional(),
      postCode: z.string().nullable().optional(),
      country: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  shippingCost: z.union([z.number(), z.string()]).nullable().optional(),
  shippingOptionId: z.string().nullable().optional(),
  shippingOptionName: z.string().nullable().optional(),
})
export type ShippingDetails = z.infer<typeof ShippingDetails>
