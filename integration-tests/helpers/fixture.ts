import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AxiosInstance } from "axios"
import { adminHeaders, seedStore, storefront, type SeededStore } from "./store"

export type StoreRegion = Parameters<typeof seedStore>[1][number]
export type StoreProduct = Parameters<typeof seedStore>[2][number]
export type Shop = ReturnType<typeof storefront>
/** Axios options of a logged-in admin (the bearer token). */
export type AdminOptions = { headers: Record<string, string> }

const COUNTRIES = {
  no: { name: "Norway", currency: "nok" },
  dk: { name: "Denmark", currency: "dkk" },
  fi: { name: "Finland", currency: "eur" },
  us: { name: "United States", currency: "usd" },
} as const

/** A region of one country, in its currency, with the given registrations (provider ids) enabled. */
export function region(country: keyof typeof COUNTRIES, ...providers: string[]): StoreRegion {
  return { ...COUNTRIES[country], country, providers }
}

/**
 * The store an HTTP spec runs against, seeded once before its tests through Medusa's workflows
 * (`seedStore`): the given regions and products, the storefront with its publishable key, and a logged-in
 * admin unless `admin: false`. The objects are filled in `beforeAll`: use them in tests and hooks.
 */
export function useSeededStore(
  api: AxiosInstance,
  getContainer: () => MedusaContainer,
  setup: { regions: StoreRegion[]; products: StoreProduct[]; admin?: boolean },
): { store: SeededStore; shop: Shop; admin: AdminOptions } {
  const store = {} as SeededStore
  const shop = {} as Shop
  const admin: AdminOptions = { headers: {} }
  beforeAll(async () => {
    Object.assign(store, await seedStore(getContainer(), setup.regions, setup.products))
    Object.assign(shop, storefront(api, store))
    if (setup.admin !== false) Object.assign(admin, await adminHeaders(api, getContainer()))
  })
  return { store, shop, admin }
}

/** The orders Medusa made of a cart, read through Query (none, one, or more when something went wrong). */
export async function ordersOfCart(container: MedusaContainer, cartId: string) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order_cart",
    fields: ["order_id"],
    filters: { cart_id: cartId },
  })
  return data as { order_id: string }[]
}

/** The order of a cart, or undefined while it has none. */
export async function orderOfCart(container: MedusaContainer, cartId: string) {
  return (await ordersOfCart(container, cartId))[0]?.order_id
}
