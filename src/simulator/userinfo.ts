import type { ProfileGrant } from "./payments"
import type { SimulatorTestUser } from "./types"

/** Userinfo claims for a `sub`, limited to the scopes the user consented to for that payment. */

export const DEFAULT_TEST_USER: SimulatorTestUser = {
  phoneNumber: "4712345678",
  name: "Ola Nordmann",
  givenName: "Ola",
  familyName: "Nordmann",
  email: "ola.nordmann@example.com",
  emailVerified: true,
  birthdate: "1990-01-31",
  address: { streetAddress: "Robert Levins gate 5", postalCode: "0154", region: "Oslo", country: "NO" },
}

export function userinfoClaims(grant: ProfileGrant, user: SimulatorTestUser): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: grant.sub }
  const scopes = new Set(grant.scopes)
  if (scopes.has("name")) {
    claims.name = user.name
    claims.given_name = user.givenName
    claims.family_name = user.familyName
  }
  if (scopes.has("email")) {
    claims.email = user.email
    claims.email_verified = user.emailVerified
  }
  if (scopes.has("phoneNumber")) claims.phone_number = grant.phoneNumber
  if (scopes.has("address")) {
    const a = user.address
    claims.address = {
      street_address: a.streetAddress,
      postal_code: a.postalCode,
      region: a.region,
      country: a.country,
      formatted: `${a.streetAddress}\n${a.postalCode} ${a.region}\n${a.country}`,
      address_type: "home",
    }
  }
  if (scopes.has("birthDate")) claims.birthdate = user.birthdate
  return claims
}
