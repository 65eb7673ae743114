import { MathBN, MedusaError } from "@medusajs/framework/utils"

type Quantity = Parameters<typeof MathBN.sub>[0]

type LocationLevel = {
  location_id?: string | null
  stocked_quantity?: Quantity | null
  reserved_quantity?: Quantity | null
  raw_stocked_quantity?: Quantity | null
  raw_reserved_quantity?: Quantity | null
  stock_locations?: OneOrMany<{ id?: string; sales_channels?: OneOrMany<{ id?: string }> }>
}

type OneOrMany<T> = T | T[] | null | undefined

/** The part of the cart Medusa's completion reads (its `completeCartFields`) that stock depends on. */
export type CartForInventory = {
  completed_at?: unknown
  sales_channel_id?: string | null
  items?:
    | {
        quantity: Quantity
        variant?: {
          id: string
          manage_inventory?: boolean | null
          allow_backorder?: boolean | null
          inventory_items?:
            | {
                inventory_item_id: string
                required_quantity?: Quantity | null
                inventory?: { location_levels?: LocationLevel[] | null } | null
              }[]
            | null
        } | null
      }[]
    | null
}

const many = <T>(value: OneOrMany<T>): T[] => (value == null ? [] : Array.isArray(value) ? value : [value])

/**
 * Refuses to complete a cart whose stock Medusa could not reserve, before any order is begun. Medusa's
 * completion creates the order first and reserves the stock afterwards, in parallel steps; when that
 * reservation fails, the in-memory workflow engine can lose the rollback (two steps save the execution at
 * once, "Transaction storage is locked") and leave the order, with the execution waiting to compensate
 * forever. Medusa reserves each item at one stock location of the cart's sales channel that has enough
 * available (stocked − reserved); this asks the same of the cart the completion has just read (no query
 * of its own). Throws a definite failure (NOT_ALLOWED) that says in staff's words what sold out.
 */
export function assertCartInStock(cart: CartForInventory): void {
  if (cart.completed_at) return
  for (const item of cart.items ?? []) {
    const variant = item.variant
    if (!variant?.manage_inventory || variant.allow_backorder) continue
    const inventoryItems = variant.inventory_items ?? []
    const inStock =
      inventoryItems.length > 0 &&
      inventoryItems.every(({ required_quantity, inventory }) => {
        const needed = MathBN.mult(required_quantity ?? 1, item.quantity)
        return (inventory?.location_levels ?? []).some(
          (level) => sellsFrom(level, cart.sales_channel_id) && MathBN.gte(available(level), needed),
        )
      })
    if (!inStock) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `An item in the cart is out of stock: variant ${variant.id} cannot be reserved`,
      )
    }
  }
}

function sellsFrom(level: LocationLevel, salesChannelId: string | null | undefined): boolean {
  return (
    !!salesChannelId &&
    many(level.stock_locations).some((location) =>
      many(location.sales_channels).some((channel) => channel.id === salesChannelId),
    )
  )
}

function available(level: LocationLevel) {
  return MathBN.sub(
    level.raw_stocked_quantity ?? level.stocked_quantity ?? 0,
    level.raw_reserved_quantity ?? level.reserved_quantity ?? 0,
  )
}
