import { BigNumber } from "@medusajs/framework/utils"
import { assertCartInStock, type CartForInventory } from "../cart-inventory"

const CHANNEL = "sc_web"

/** One stock location's level, as Medusa's completion reads it (`completeCartFields`). */
const level = (stocked: number, reserved: number, channels: string[] = [CHANNEL]) => ({
  location_id: "sloc_1",
  stocked_quantity: stocked,
  reserved_quantity: reserved,
  raw_stocked_quantity: new BigNumber(stocked).raw,
  raw_reserved_quantity: new BigNumber(reserved).raw,
  stock_locations: [{ id: "sloc_1", sales_channels: channels.map((id) => ({ id })) }],
})

function cart(
  quantity: number,
  levels: ReturnType<typeof level>[],
  variant: { manage_inventory?: boolean; allow_backorder?: boolean; required?: number } = {},
): CartForInventory {
  return {
    sales_channel_id: CHANNEL,
    completed_at: null,
    items: [
      {
        quantity,
        variant: {
          id: "variant_1",
          manage_inventory: variant.manage_inventory ?? true,
          allow_backorder: variant.allow_backorder ?? false,
          inventory_items: [
            {
              inventory_item_id: "iitem_1",
              required_quantity: variant.required ?? 1,
              inventory: { location_levels: levels },
            },
          ],
        },
      },
    ],
  }
}

describe("assertCartInStock", () => {
  it("lets a cart through when one location of its sales channel has enough available", () => {
    expect(() => assertCartInStock(cart(2, [level(5, 3)]))).not.toThrow()
    expect(() =>
      assertCartInStock(cart(2, [level(1, 0), { ...level(2, 0), location_id: "sloc_2" }])),
    ).not.toThrow()
  })

  it("refuses, naming the variant, when available (stocked − reserved) is short", () => {
    expect(() => assertCartInStock(cart(3, [level(5, 3)]))).toThrow(
      /out of stock: variant variant_1 cannot be reserved/,
    )
    // Medusa reserves an item at one location: two locations of one each do not hold two.
    expect(() => assertCartInStock(cart(2, [level(1, 0), level(1, 0)]))).toThrow(/out of stock/)
  })

  it("counts the inventory item's required quantity per unit", () => {
    expect(() => assertCartInStock(cart(2, [level(4, 0)], { required: 2 }))).not.toThrow()
    expect(() => assertCartInStock(cart(2, [level(3, 0)], { required: 2 }))).toThrow(/out of stock/)
  })

  it("only counts stock locations of the cart's sales channel", () => {
    expect(() => assertCartInStock(cart(1, [level(9, 0, ["sc_other"])]))).toThrow(/out of stock/)
    expect(() => assertCartInStock({ ...cart(1, [level(9, 0)]), sales_channel_id: null })).toThrow(
      /out of stock/,
    )
  })

  it("refuses a managed variant with no inventory item (Medusa could not reserve it)", () => {
    const noItems = cart(1, [])
    noItems.items![0].variant!.inventory_items = []
    expect(() => assertCartInStock(noItems)).toThrow(/out of stock/)
  })

  it("leaves alone what Medusa does not reserve: unmanaged, backordered, a completed cart", () => {
    expect(() => assertCartInStock(cart(5, [], { manage_inventory: false }))).not.toThrow()
    expect(() => assertCartInStock(cart(5, [level(0, 0)], { allow_backorder: true }))).not.toThrow()
    expect(() => assertCartInStock({ ...cart(5, [level(0, 0)]), completed_at: new Date() })).not.toThrow()
  })

  it("is a definite failure of Medusa's own kind (the sync releases at once)", () => {
    try {
      assertCartInStock(cart(1, [level(0, 0)]))
      throw new Error("did not refuse")
    } catch (error) {
      expect((error as { type?: string }).type).toBe("not_allowed")
    }
  })
})
