/**
 * `medusa exec` script of the multi-instance store: a sales channel with a publishable key, a Norwegian
 * region with pp_vipps_vipps enabled and one product priced in NOK. Prints the ids on one line.
 */
import type { ExecArgs } from "@medusajs/framework/types"
import { seedStore } from "../helpers/store"

export default async function seedMultiInstanceStore({ container }: ExecArgs) {
  const store = await seedStore(
    container,
    [{ name: "Norway", currency: "nok", country: "no", providers: ["pp_vipps_vipps"] }],
    [{ label: "mug", amounts: { nok: 249.5 } }],
  )
  console.log(`SEEDED ${JSON.stringify(store)}`)
}
