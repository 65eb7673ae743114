import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { confirmVariantInventoryWorkflow } from "@medusajs/medusa/core-flows"

/** The variant fields Medusa's inventory check reads (its `requiredVariantFieldsForInventoryConfirmation`). */
const VARIANT_FIELDS = [
  "id",
  "manage_inventory",
  "allow_backorder",
  "inventory_items.inventory_item_id",
  "inventory_items.required_quantity",
  "inventory_items.inventory.location_levels.stocked_quantity",
  "inventory_items.inventory.location_levels.reserved_quantity",
  "inventory_items.inventory.location_levels.raw_stocked_quantity",
  "inventory_items.inventory.location_levels.raw_reserved_quantity",
  "inventory_items.inventory.location_levels.location_id",
  "inventory_items.inventory.location_levels.stock_locations.id",
  "inventory_items.inventory.location_levels.stock_locations.name",
  "inventory_items.inventory.location_levels.stock_locations.sales_channels.id",
  "inventory_items.inventory.location_levels.stock_locations.sales_channels.name",
]

type CartForInventory = {
  sales_channel_id?: string | null
  items?: { id: string; variant_id?: string | null; quantity: number; variant?: { id: string } | null }[]
}

/**
 * Checks, with Medusa's own inventory workflow, that a cart's items can still be reserved before the sync
 * completes it. Medusa's completion creates the order first and reserves afterwards, in parallel steps; when
 * that reservation fails, the in-memory workflow engine can lose the rollback (two steps save the
 * execution at once, "Transaction storage is locked") and leave the order, with the execution waiting to
 * compensate forever. Failing here instead begins no order. Throws a definite failure (Medusa's error type,
 * INVALID_DATA or NOT_ALLOWED) that says in staff's words that something sold out.
 */
export async function confirmCartInventory(container: MedusaContainer, cartId: string): Promise<void> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: [
      "sales_channel_id",
      "items.id",
      "items.variant_id",
      "items.quantity",
      ...VARIANT_FIELDS.map((field) => `items.variant.${field}`),
    ],
    filters: { id: cartId },
  })
  const cart = data[0] as CartForInventory | undefined
  const items = (cart?.items ?? []).filter((item) => item.variant_id && item.variant)
  if (!cart || items.length === 0) return
  const variants = [...new Map(items.map((item) => [item.variant!.id, item.variant!])).values()]
  try {
    await confirmVariantInventoryWorkflow(container).run({
      input: {
        sales_channel_id: cart.sales_channel_id ?? "",
        variants: variants as never,
        items: items.map((item) => ({ id: item.id, variant_id: item.variant_id!, quantity: item.quantity })),
      },
    })
  } catch (error) {
    if (!MedusaError.isMedusaError(error)) throw error
    const medusa = error as MedusaError
    throw new MedusaError(medusa.type, `An item in the cart is out of stock: ${medusa.message}`)
  }
}
