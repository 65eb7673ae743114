import type { ICartModuleService, Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { UserDetails, UserinfoResponse } from "../lib/vipps/schemas"
import type { VippsRegistration } from "../providers/vipps/registration"

type CartAddress = { id: string; address_1?: string | null; country_code?: string | null }
type ProfileCart = {
  id: string
  email?: string | null
  completed_at?: string | null
  shipping_address?: CartAddress | null
  billing_address?: CartAddress | null
  region?: { countries?: { iso_2: string }[] } | null
}

/** What the shopper shared, from whichever source had it. */
export type SharedProfile = {
  email?: string
  firstName?: string
  lastName?: string
  phone?: string
  address?: { street?: string; line2?: string; postalCode?: string; city?: string; country?: string }
}

/**
 * Where the profile comes from: the payment as GET (or the AUTHORIZED webhook) returns it — `userDetails`
 * (ePayment 1.8.1) first, the user id (`profile.sub` or top-level `sub`) for the Userinfo fallback — or just
 * the user id.
 */
export type ProfileSource =
  | string
  | {
      sub?: string | null
      profile?: { sub?: string | null } | null
      userDetails?: UserDetails | null
    }

/** Medusa gives a new cart an address holding only the region's country: that is not a typed address. */
const isBlank = (address?: CartAddress | null) => !address?.address_1

const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined)

/** The first of `names` present in `item`, compared without case, "_" or "-". */
function pick(item: Record<string, unknown>, ...names: string[]): string | undefined {
  const wanted = new Set(names.map((n) => n.toLowerCase().replace(/[_-]/g, "")))
  for (const [key, value] of Object.entries(item)) {
    if (wanted.has(key.toLowerCase().replace(/[_-]/g, "")) && text(value)) return text(value)
  }
  return undefined
}

/**
 * An address item of `userDetails.addresses`. Its shape is undocumented (x-uncertain): ePayment's own
 * names (addressLine1, postCode, city), Userinfo's (street_address, postal_code, region) and common
 * variants are all read.
 */
export function addressFromItem(item: Record<string, unknown>): SharedProfile["address"] | undefined {
  const street = pick(item, "addressLine1", "streetAddress", "street", "line1")
  const country = pick(item, "country", "countryCode")
  if (!street || !country) return undefined
  const line2 = pick(item, "addressLine2", "line2")
  return {
    street,
    ...(line2 && line2 !== street ? { line2 } : {}),
    postalCode: pick(item, "postCode", "postalCode", "zipCode", "zip"),
    city: pick(item, "city", "region", "locality", "postalPlace"),
    country,
  }
}

export function profileFromUserDetails(details: UserDetails): SharedProfile {
  const items = (details.addresses ?? []) as Record<string, unknown>[]
  const address = items.map(addressFromItem).find(Boolean)
  return {
    email: text(details.email),
    firstName: text(details.firstName),
    lastName: text(details.lastName),
    phone: text(details.mobileNumber),
    address,
  }
}

export function profileFromUserinfo(info: UserinfoResponse): SharedProfile {
  return {
    email: text(info.email),
    firstName: text(info.given_name),
    lastName: text(info.family_name),
    phone: text(info.phone_number),
    address: info.address ? addressFromItem(info.address) : undefined,
  }
}

/** `first`, with gaps filled from `second`. */
function merge(first: SharedProfile, second: SharedProfile): SharedProfile {
  return {
    email: first.email ?? second.email,
    firstName: first.firstName ?? second.firstName,
    lastName: first.lastName ?? second.lastName,
    phone: first.phone ?? second.phone,
    address: first.address ?? second.address,
  }
}

function cartAddress(profile: SharedProfile, countries: string[]) {
  const country = profile.address?.country?.toLowerCase()
  if (!profile.address || !country || !countries.includes(country)) return undefined
  return {
    first_name: profile.firstName,
    last_name: profile.lastName,
    address_1: profile.address.street,
    ...(profile.address.line2 ? { address_2: profile.address.line2 } : {}),
    postal_code: profile.address.postalCode,
    city: profile.address.city,
    country_code: country,
    phone: profile.phone,
  }
}

function subOf(source: ProfileSource): string | undefined {
  if (typeof source === "string") return source
  return text(source.profile?.sub) ?? text(source.sub)
}

/**
 * Profile sharing: fills what the cart lacks (email, shipping and billing address with phone) before the
 * order is created; what the shopper typed is kept. `userDetails` from the payment is used when present;
 * the Userinfo API is called only for what it does not cover (ePayment before 1.8.1, or an address item
 * that could not be read). Written through the cart module directly, not a cart workflow, so the authorized
 * amount and payment session stay as they are. Best effort: a failure is logged (never the data) and the
 * order goes ahead. Returns the cart fields it filled.
 */
export async function fillCartFromProfile(
  container: MedusaContainer,
  { client, providerId }: VippsRegistration,
  cartId: string,
  source: ProfileSource,
): Promise<string[]> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  try {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "cart",
      fields: [
        "id",
        "email",
        "completed_at",
        "shipping_address.id",
        "shipping_address.address_1",
        "shipping_address.country_code",
        "billing_address.id",
        "billing_address.address_1",
        "billing_address.country_code",
        "region.countries.iso_2",
      ],
      filters: { id: cartId },
    })
    const cart = data[0] as ProfileCart | undefined
    if (!cart || cart.completed_at) return []
    const needsEmail = !cart.email
    const needsAddress = isBlank(cart.shipping_address) || isBlank(cart.billing_address)
    if (!needsEmail && !needsAddress) return []

    let profile: SharedProfile =
      typeof source !== "string" && source.userDetails ? profileFromUserDetails(source.userDetails) : {}
    const sub = subOf(source)
    if (((needsEmail && !profile.email) || (needsAddress && !profile.address)) && sub) {
      profile = merge(profile, profileFromUserinfo(await client.userinfo.getUserinfo(sub)))
    }

    const countries = (cart.region?.countries ?? []).map((c) => c.iso_2.toLowerCase())
    const shared = cartAddress(profile, countries)
    const cartModule = container.resolve<ICartModuleService>(Modules.CART)
    const update: Parameters<ICartModuleService["updateCarts"]>[1] = {}
    const filled: string[] = []
    if (needsEmail && profile.email) {
      update.email = profile.email
      filled.push("email")
    }
    for (const kind of ["shipping_address", "billing_address"] as const) {
      const existing = cart[kind]
      if (!shared || !isBlank(existing)) continue
      if (existing) await cartModule.updateAddresses([{ id: existing.id, ...shared }])
      else update[kind] = shared
      filled.push(kind)
    }
    if (Object.keys(update).length > 0) await cartModule.updateCarts(cartId, update)
    return filled
  } catch (error) {
    logger.warn(
      `Vipps MobilePay profile sharing for ${providerId} could not fill cart ${cartId}: ${error instanceof Error ? error.name : "error"}`,
    )
    return []
  }
}
