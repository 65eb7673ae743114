import { MINIMUM_USER_AGE_MAX } from "../../lib/vipps/schemas"

/**
 * Age limits per product: a product or variant whose metadata holds `vipps_minimum_user_age` (whole years,
 * e.g. 18) asks Vipps MobilePay to check the customer's age; the cart's highest limit applies, together
 * with the registration's `minimumUserAge` option.
 */
export const MINIMUM_USER_AGE_METADATA_KEY = "vipps_minimum_user_age"

/** The cart fields the age limit is read from (read with the receipt's, cart-lookup.ts). */
export const AGE_FIELDS = ["items.variant.metadata", "items.variant.product.metadata"]

type Metadata = Record<string, unknown> | null | undefined
export type AgeCartItem = {
  variant?: { metadata?: Metadata; product?: { metadata?: Metadata } | null } | null
}

/** A metadata value as an age: a whole number 0-100 (number or numeric text); anything else is no limit. */
export function ageFromMetadata(metadata: Metadata): number | undefined {
  const raw = metadata?.[MINIMUM_USER_AGE_METADATA_KEY]
  const value = typeof raw === "string" && /^\s*\d{1,3}\s*$/.test(raw) ? Number(raw) : raw
  return typeof value === "number" && Number.isInteger(value) && value > 0 && value <= MINIMUM_USER_AGE_MAX
    ? value
    : undefined
}

/** The highest age limit of the items' variants and products, if any. */
export function cartMinimumUserAge(items: readonly AgeCartItem[] | null | undefined): number | undefined {
  const ages = (items ?? []).flatMap((item) => [
    ageFromMetadata(item.variant?.metadata),
    ageFromMetadata(item.variant?.product?.metadata),
  ])
  const limits = ages.filter((age): age is number => age !== undefined)
  return limits.length > 0 ? Math.max(...limits) : undefined
}
