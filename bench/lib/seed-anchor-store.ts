/**
 * `medusa exec` script of the bench's multi-process store: the bench's one-product store with both Medusa's
 * own provider (the anchor) and pp_vipps_vipps in the Norwegian region. Prints the ids on one line.
 */
import type { ExecArgs } from "@medusajs/framework/types"
import { seedStore } from "../../integration-tests/helpers/store"

export const ANCHOR_STORE_REGIONS = [
  { name: "Norway", currency: "nok", country: "no", providers: ["pp_vipps_vipps", "pp_system_default"] },
]
export const ANCHOR_STORE_PRODUCTS = [{ label: "mug", amounts: { nok: 249.5 } }]

export default async function seedAnchorStore({ container }: ExecArgs) {
  const store = await seedStore(container, ANCHOR_STORE_REGIONS, ANCHOR_STORE_PRODUCTS)
  console.log(`SEEDED ${JSON.stringify(store)}`)
}
