import type { ICartModuleService, Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { UserinfoResponse } from "../lib/vipps/schemas"
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

/** Medusa gives a new cart an address holding only the region's country: that is not a typed address. */
const isBlank = (address?: CartAddress | null) => !address?.address_1

function address(info: UserinfoResponse, countries: string[]) {
  const country = info.address?.country?.toLowerCase()
  if (!info.address || !country || !countries.includes(country)) return undefined
  return {
    first_name: info.given_name,
    last_name: info.family_name,
    address_1: info.address.street_address,
    postal_code: info.address.postal_code,
    city: info.address.region,
    country_code: country,
    phone: info.phone_number,
  }
}

/**
 * Profile sharing: fills what the cart lacks (email, shipping and billing address with phone) from the
 * Userinfo API before the order is created; what the shopper typed is kept. Written through the cart
 * module directly, not a cart workflow, so the authorized amount and payment session stay as they are.
 * Best effort: a failure is logged (never the data) and the order goes ahead.
 */
export async function fillCartFromProfile(
  container: MedusaContainer,
  { client, providerId }: VippsRegistration,
  cartId: string,
  sub: string,
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
    if (cart.email && !isBlank(cart.shipping_address) && !isBlank(cart.billing_address)) return []

    const info = await client.userinfo.getUserinfo(sub)
    const countries = (cart.region?.countries ?? []).map((c) => c.iso_2.toLowerCase())
    const shared = address(info, countries)
    const cartModule = container.resolve<ICartModuleService>(Modules.CART)
    const update: Parameters<ICartModuleService["updateCarts"]>[1] = {}
    const filled: string[] = []
    if (!cart.email && info.email) {
      update.email = info.email
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
