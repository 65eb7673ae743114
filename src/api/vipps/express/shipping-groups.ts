import type { ICartModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  addShippingMethodToCartWorkflow,
  createCartWorkflow,
  listShippingOptionsForCartWithPricingWorkflow,
} from "@medusajs/medusa/core-flows"
import { toMinorUnits } from "../../../lib/money"
import type { Currency, ShippingGroup } from "../../../lib/vipps/schemas"
import { medusaDecimal } from "../../../providers/vipps/amount"

/**
 * Medusa's shipping options for an Express cart, as Vipps MobilePay shipping groups, each at the exact
 * amount the cart's total grows by when the shopper picks it (promotions such as free shipping and taxes
 * included). Medusa's own workflows decide: `listShippingOptionsForCartWithPricingWorkflow` (the store's
 * shipping-options listing: the region's service zones for the address, the sales channel's locations) and
 * `addShippingMethodToCartWorkflow` (pricing, promotions, taxes), run on a scratch copy of the cart (same
 * items, region, sales channel, customer and promotion codes; the address asked about) that is deleted
 * afterwards, so the shopper's cart and its payment session are never touched. Each option's id is Medusa's
 * shipping option id: the choice made in the app maps back to Medusa without anything stored.
 */

/** At most this many options are offered (each is priced by a trial on the scratch cart). */
const MAX_OPTIONS = 8

export type ShippingAddress = {
  address_1?: string
  address_2?: string
  city?: string
  postal_code?: string
  country_code: string
}

type PricedOption = {
  id: string
  name: string
  price_type?: string
  amount?: unknown
  insufficient_inventory?: boolean
  type?: { code?: string | null; label?: string | null; description?: string | null } | null
}

type SourceCart = {
  id: string
  region_id: string
  sales_channel_id?: string | null
  customer_id?: string | null
  email?: string | null
  currency_code: string
  shipping_address?: ShippingAddress | null
  items?: { variant_id?: string | null; quantity: number }[] | null
  promotions?: { code?: string | null }[] | null
}

/** The Vipps group type a Medusa shipping option type reads as (the code or label says it). */
function vippsType(option: PricedOption): ShippingGroup["type"] {
  const words = `${option.type?.code ?? ""} ${option.type?.label ?? ""}`.toLowerCase()
  if (/pick-?up|parcel ?shop|locker/.test(words)) return "PICKUP_POINT"
  if (/mailbox|letter/.test(words)) return "MAILBOX"
  if (/store|click/.test(words)) return "IN_STORE"
  return "HOME_DELIVERY"
}

async function cartTotal(container: MedusaContainer, cartId: string, currency: Currency): Promise<number> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "cart", fields: ["id", "total"], filters: { id: cartId } })
  return toMinorUnits(medusaDecimal((data[0] as { total: never }).total), currency)
}

async function scratchCopy(
  container: MedusaContainer,
  cartId: string,
  address: ShippingAddress | undefined,
): Promise<string> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: [
      "id",
      "region_id",
      "sales_channel_id",
      "customer_id",
      "email",
      "currency_code",
      "shipping_address.address_1",
      "shipping_address.address_2",
      "shipping_address.city",
      "shipping_address.postal_code",
      "shipping_address.country_code",
      "items.variant_id",
      "items.quantity",
      "promotions.code",
    ],
    filters: { id: cartId },
  })
  const cart = data[0] as SourceCart
  const shipping = address ?? cart.shipping_address ?? undefined
  const { result } = await createCartWorkflow(container).run({
    input: {
      region_id: cart.region_id,
      ...(cart.sales_channel_id ? { sales_channel_id: cart.sales_channel_id } : {}),
      ...(cart.customer_id ? { customer_id: cart.customer_id } : {}),
      ...(cart.email ? { email: cart.email } : {}),
      ...(shipping?.country_code
        ? {
            shipping_address: {
              address_1: shipping.address_1 ?? undefined,
              address_2: shipping.address_2 ?? undefined,
              city: shipping.city ?? undefined,
              postal_code: shipping.postal_code ?? undefined,
              country_code: shipping.country_code,
            },
          }
        : {}),
      items: (cart.items ?? [])
        .filter((i) => i.variant_id)
        .map((i) => ({ variant_id: i.variant_id as string, quantity: i.quantity })),
      promo_codes: (cart.promotions ?? []).map((p) => p.code).filter((c): c is string => !!c),
      metadata: { vipps_express_pricing_of: cart.id },
    },
  })
  return result.id
}

/**
 * The groups to offer for the cart (or for `address`, the one chosen in the app): `flatOnly` for fixed
 * options (known before the address is), every priced option for the dynamic callback (calculated prices of
 * fulfillment providers included). Cheapest first. An empty list means Medusa cannot ship this cart there.
 */
export async function expressShippingGroups(
  container: MedusaContainer,
  cartId: string,
  currency: Currency,
  { flatOnly, address }: { flatOnly: boolean; address?: ShippingAddress },
): Promise<ShippingGroup[]> {
  const scratchId = await scratchCopy(container, cartId, address)
  try {
    const { result } = await listShippingOptionsForCartWithPricingWorkflow(container).run({
      input: { cart_id: scratchId, is_return: false },
    })
    const candidates = (result as unknown as PricedOption[])
      .filter((o) => !o.insufficient_inventory && o.amount !== undefined && o.amount !== null)
      .filter((o) => !flatOnly || o.price_type === "flat")
      .slice(0, MAX_OPTIONS)
    const goods = await cartTotal(container, scratchId, currency)
    const priced: { option: PricedOption; value: number }[] = []
    for (const option of candidates) {
      // The same profile's method is replaced each time: the total is goods + this option, as priced by Medusa.
      const added = await addShippingMethodToCartWorkflow(container)
        .run({ input: { cart_id: scratchId, options: [{ id: option.id }] } })
        .then(
          () => true,
          () => false, // an option Medusa will not add to this cart is not offered
        )
      if (added) priced.push({ option, value: (await cartTotal(container, scratchId, currency)) - goods })
    }
    priced.sort((a, b) => a.value - b.value)
    return toGroups(priced, currency)
  } finally {
    await container.resolve<ICartModuleService>(Modules.CART).softDeleteCarts([scratchId])
  }
}

function toGroups(priced: { option: PricedOption; value: number }[], currency: Currency): ShippingGroup[] {
  const groups = new Map<ShippingGroup["type"], ShippingGroup>()
  for (const { option, value } of priced) {
    const type = vippsType(option)
    const group = groups.get(type) ?? { brand: "OTHER" as const, type, options: [] }
    group.options.push({
      id: option.id,
      amount: { currency, value },
      name: option.name.slice(0, 100),
      ...(option.type?.description ? { estimatedDelivery: option.type.description.slice(0, 100) } : {}),
      priority: group.options.length,
      isDefault: group.options.length === 0,
    })
    groups.set(type, group)
  }
  return [...groups.values()].map((group, index) => ({ ...group, priority: index, isDefault: index === 0 }))
}
