import type { MedusaContainer } from "@medusajs/framework/types"
import { listShippingOptionsForCartWithPricingWorkflow } from "@medusajs/medusa/core-flows"
import { toMinorUnits } from "../../../lib/money"
import type { Currency, ShippingGroup } from "../../../lib/vipps/schemas"
import { medusaDecimal } from "../../../providers/vipps/amount"

/**
 * Medusa's shipping options for an Express cart, as Vipps MobilePay shipping groups: Medusa's own listing
 * (`listShippingOptionsForCartWithPricingWorkflow`, the one the store's shipping-options route runs: the
 * region's service zones for the cart's address, the cart's sales channel, the price the cart would get).
 * Each option's id is Medusa's shipping option id, so the choice made in the app maps back to Medusa
 * without anything stored.
 */

type PricedOption = {
  id: string
  name: string
  price_type?: string
  amount?: unknown
  insufficient_inventory?: boolean
  type?: { code?: string | null; label?: string | null; description?: string | null } | null
}

/** The Vipps group type a Medusa shipping option type reads as (the code or label says it). */
function vippsType(option: PricedOption): ShippingGroup["type"] {
  const words = `${option.type?.code ?? ""} ${option.type?.label ?? ""}`.toLowerCase()
  if (/pick-?up|parcel ?shop|locker/.test(words)) return "PICKUP_POINT"
  if (/mailbox|letter/.test(words)) return "MAILBOX"
  if (/store|click/.test(words)) return "IN_STORE"
  return "HOME_DELIVERY"
}

/**
 * The groups to offer: `flatOnly` for fixed options (known before the address is), every priced option for
 * the dynamic callback (calculated prices from fulfillment providers included). Cheapest first; options
 * Medusa cannot price or stock are left out. An empty list means Medusa cannot ship this cart there.
 */
export async function expressShippingGroups(
  container: MedusaContainer,
  cartId: string,
  currency: Currency,
  { flatOnly }: { flatOnly: boolean },
): Promise<ShippingGroup[]> {
  const { result } = await listShippingOptionsForCartWithPricingWorkflow(container).run({
    input: { cart_id: cartId, is_return: false },
  })
  const priced = (result as unknown as PricedOption[])
    .filter((o) => !o.insufficient_inventory && o.amount !== undefined && o.amount !== null)
    .filter((o) => !flatOnly || o.price_type === "flat")
    .map((o) => ({ option: o, value: toMinorUnits(medusaDecimal(o.amount as never), currency) }))
    .sort((a, b) => a.value - b.value)

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
