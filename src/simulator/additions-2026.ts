import { shippingDetails } from "./express"
import type { ProfileGrant } from "./payments"
import type { SimPayment, SimulatorTestUser } from "./types"

/**
 * What ePayment added to GET and the AUTHORIZED webhook after 1.4.1, as the simulator plays it:
 * `captureGuaranteedUntil` (Aug 2026) by the market rule unless a test set it, and `userDetails` (1.8.1) for
 * the scopes the user consented to. Each can be switched off to play an older API.
 */

const DAY_MS = 24 * 3600 * 1000
/** The market rule of the fact sheet (3.4): Norway 180 days, Denmark and Finland 14 days after approval. */
export const MARKET_GUARANTEE_DAYS: Record<string, number> = { NOK: 180, DKK: 14, EUR: 14 }

export type AdditionsFeatures = {
  /** Send `captureGuaranteedUntil` (default true). */
  captureGuaranteedUntil: boolean
  /** Send `userDetails` for profile-sharing payments (default true); off plays ePayment before 1.8.1. */
  userDetails: boolean
  /** Where the AUTHORIZED webhook puts the user id: top-level `sub` (default) or `profile.sub`. */
  webhookSub: "sub" | "profile"
  /** Express: put `shippingDetails` in the AUTHORIZED webhook too (default true; only GET has it for sure). */
  webhookShippingDetails: boolean
}

export const DEFAULT_ADDITIONS: AdditionsFeatures = {
  captureGuaranteedUntil: true,
  userDetails: true,
  webhookSub: "sub",
  webhookShippingDetails: true,
}

/** RFC 3339 with milliseconds and `+00:00`, as in the documented example. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "+00:00")
}

export function captureGuaranteedUntil(payment: SimPayment): string | undefined {
  if (payment.state !== "AUTHORIZED" || payment.authorizedAt === undefined) return undefined
  if (payment.captureGuaranteedUntil !== undefined) return payment.captureGuaranteedUntil ?? undefined
  const days = MARKET_GUARANTEE_DAYS[payment.amount.currency] ?? 14
  return rfc3339(payment.authorizedAt + days * DAY_MS)
}

/** `userDetails`: only the fields the consented scopes cover (never nin or verification flags). */
export function userDetails(grant: ProfileGrant, user: SimulatorTestUser): Record<string, unknown> {
  const scopes = new Set(grant.scopes)
  const details: Record<string, unknown> = {}
  if (scopes.has("name")) {
    details.firstName = user.givenName
    details.lastName = user.familyName
  }
  if (scopes.has("email")) details.email = user.email
  if (scopes.has("phoneNumber")) details.mobileNumber = grant.phoneNumber
  if (scopes.has("birthDate")) details.dateOfBirth = user.birthdate
  if (scopes.has("address")) {
    // The item shape is undocumented (x-uncertain); the simulator uses ePayment's address field names.
    const a = user.address
    details.addresses = [
      {
        addressLine1: a.streetAddress,
        addressLine2: null,
        city: a.region,
        postCode: a.postalCode,
        country: a.country,
      },
    ]
  }
  return details
}

/** The additions for GET `/payments/{reference}`. */
export function getPaymentAdditions(
  payment: SimPayment,
  grant: ProfileGrant | undefined,
  user: SimulatorTestUser,
  features: AdditionsFeatures,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const until = features.captureGuaranteedUntil ? captureGuaranteedUntil(payment) : undefined
  if (until) out.captureGuaranteedUntil = until
  if (features.userDetails && grant) out.userDetails = userDetails(grant, user)
  const shipping = shippingDetails(payment)
  if (shipping) out.shippingDetails = shipping
  return out
}

/** The additions for the `epayments.payment.authorized.v1` webhook body. */
export function authorizedWebhookAdditions(
  payment: SimPayment,
  grant: ProfileGrant | undefined,
  user: SimulatorTestUser,
  features: AdditionsFeatures,
): Record<string, unknown> {
  const out = getPaymentAdditions(payment, grant, user, features)
  if (!features.webhookShippingDetails) delete out.shippingDetails
  if (grant) {
    if (features.webhookSub === "profile") out.profile = { sub: grant.sub }
    else out.sub = grant.sub
  }
  return out
}

/** Whole years between a `YYYY-MM-DD` birth date and `now`. */
export function ageOn(birthdate: string, now: number): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthdate)
  if (!match) return undefined
  const today = new Date(now)
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  let age = today.getUTCFullYear() - year
  if (today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day))
    age -= 1
  return age
}
