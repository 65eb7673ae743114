/**
 * `medusa exec ./seed.js` in the compatibility store, with the store's own Medusa: a sales channel with a
 * publishable key, a Norwegian region offering pp_vipps_vipps and pp_vipps_direct, one product in NOK (no shipping profile, so
 * the cart needs no shipping method) and an admin user. Prints the ids on one line.
 */
const {
  createApiKeysWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createUserAccountWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
} = require("@medusajs/medusa/core-flows")
const { Modules } = require("@medusajs/framework/utils")

exports.default = async function seedCompatStore({ container }) {
  const { result: channels } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: "Web shop" }] },
  })
  const { result: keys } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: "Storefront", type: "publishable", created_by: "compat" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({
    input: { id: keys[0].id, add: [channels[0].id] },
  })
  const { result: regions } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        {
          name: "Norway",
          currency_code: "nok",
          countries: ["no"],
          payment_providers: ["pp_vipps_vipps", "pp_vipps_direct"],
        },
      ],
    },
  })
  const { result: products } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title: "Mug",
          status: "published",
          options: [{ title: "Size", values: ["One"] }],
          sales_channels: [{ id: channels[0].id }],
          variants: [
            {
              title: "Mug",
              options: { Size: "One" },
              manage_inventory: false,
              prices: [{ currency_code: "nok", amount: 249.5 }],
            },
          ],
        },
      ],
    },
  })

  const email = "admin@compat.example"
  const password = "compat-admin-password"
  const { success, authIdentity, error } = await container
    .resolve(Modules.AUTH)
    .register("emailpass", { body: { email, password } })
  if (!success) throw new Error(`admin user: ${error}`)
  await createUserAccountWorkflow(container).run({
    input: { authIdentityId: authIdentity.id, userData: { email } },
  })

  const seeded = {
    publishableKey: keys[0].token,
    salesChannelId: channels[0].id,
    regionId: regions[0].id,
    variantId: products[0].variants[0].id,
    admin: { email, password },
  }
  console.log(`SEEDED ${JSON.stringify(seeded)}`)
}
