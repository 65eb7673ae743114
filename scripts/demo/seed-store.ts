import type {
  IAuthModuleService,
  IFulfillmentModuleService,
  MedusaContainer,
} from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createLocationFulfillmentSetWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  createUsersWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"

/** What the demo and the browser test need to know about the store they seeded. */
export type DemoStore = {
  publishableKey: string
  salesChannelId: string
  regionId: string
  countryCode: string
  currency: string
  productTitle: string
  variantId: string
  unitPrice: number
  shippingOptionId: string
  shippingPrice: number
}

export const DEMO_PRODUCT = { title: "Fjord Coffee Mug", price: 249.5 }
export const DEMO_SHIPPING = { name: "Posten: home delivery", price: 49 }

/**
 * A small Norwegian store as a merchant would set it up in the admin: NOK as the store currency, a
 * region for Norway with Vipps MobilePay (pp_vipps_vipps) enabled, a sales channel with a publishable
 * key, a warehouse (stock location) with a shipping fulfillment set and a flat-rate shipping option,
 * and one product that needs shipping.
 */
export async function seedDemoStore(container: MedusaContainer): Promise<DemoStore> {
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const fulfillment = container.resolve<IFulfillmentModuleService>(Modules.FULFILLMENT)
  const storeModule = container.resolve(Modules.STORE)

  const {
    result: [channel],
  } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: "Web shop", description: "The Vipps MobilePay demo storefront" }] },
  })
  const {
    result: [key],
  } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: "Demo storefront", type: "publishable", created_by: "demo" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: key.id, add: [channel.id] } })

  const [store] = await storeModule.listStores({}, { take: 1 })
  if (store) {
    await updateStoresWorkflow(container).run({
      input: {
        selector: { id: store.id },
        update: {
          name: "Vipps MobilePay Demo Store",
          supported_currencies: [{ currency_code: "nok", is_default: true }],
          default_sales_channel_id: channel.id,
        },
      },
    })
  }

  const {
    result: [region],
  } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        { name: "Norway", currency_code: "nok", countries: ["no"], payment_providers: ["pp_vipps_vipps"] },
      ],
    },
  })

  const {
    result: [location],
  } = await createStockLocationsWorkflow(container).run({
    input: {
      locations: [
        { name: "Oslo warehouse", address: { address_1: "Lager 1", city: "Oslo", country_code: "NO" } },
      ],
    },
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })
  await linkSalesChannelsToStockLocationWorkflow(container).run({
    input: { id: location.id, add: [channel.id] },
  })
  await createLocationFulfillmentSetWorkflow(container).run({
    input: {
      location_id: location.id,
      fulfillment_set_data: { name: "Oslo warehouse shipping", type: "shipping" },
    },
  })
  const [fulfillmentSet] = await fulfillment.listFulfillmentSets(
    { name: "Oslo warehouse shipping" },
    { relations: ["service_zones"] },
  )
  const zone = await fulfillment.createServiceZones({
    name: "Norway",
    fulfillment_set_id: fulfillmentSet.id,
    geo_zones: [{ type: "country", country_code: "no" }],
  })

  let [profile] = await fulfillment.listShippingProfiles({ type: "default" })
  if (!profile) {
    const { result } = await createShippingProfilesWorkflow(container).run({
      input: { data: [{ name: "Default shipping profile", type: "default" }] },
    })
    profile = result[0]
  }

  const {
    result: [option],
  } = await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: DEMO_SHIPPING.name,
        price_type: "flat",
        provider_id: "manual_manual",
        service_zone_id: zone.id,
        shipping_profile_id: profile.id,
        type: { label: "Home delivery", description: "Delivered in 2-3 days", code: "home-delivery" },
        prices: [{ region_id: region.id, amount: DEMO_SHIPPING.price }],
        rules: [
          { attribute: "enabled_in_store", value: "true", operator: "eq" },
          { attribute: "is_return", value: "false", operator: "eq" },
        ],
      },
    ],
  })

  const {
    result: [product],
  } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title: DEMO_PRODUCT.title,
          handle: "fjord-coffee-mug",
          description: "A sturdy stoneware mug for the morning coffee.",
          status: "published",
          shipping_profile_id: profile.id,
          options: [{ title: "Colour", values: ["Fjord blue"] }],
          sales_channels: [{ id: channel.id }],
          variants: [
            {
              title: "Fjord blue",
              sku: "MUG-FJORD-BLUE",
              options: { Colour: "Fjord blue" },
              manage_inventory: false,
              prices: [{ currency_code: "nok", amount: DEMO_PRODUCT.price }],
            },
          ],
        },
      ],
    },
  })

  return {
    publishableKey: key.token,
    salesChannelId: channel.id,
    regionId: region.id,
    countryCode: "no",
    currency: "nok",
    productTitle: product.title,
    variantId: product.variants[0].id,
    unitPrice: DEMO_PRODUCT.price,
    shippingOptionId: option.id,
    shippingPrice: DEMO_SHIPPING.price,
  }
}

/** An admin user with an email/password login, as `medusa user -e … -p …` creates it. */
export async function createAdminUser(
  container: MedusaContainer,
  email: string,
  password: string,
): Promise<void> {
  const auth = container.resolve<IAuthModuleService>(Modules.AUTH)
  const {
    result: [user],
  } = await createUsersWorkflow(container).run({
    input: { users: [{ email, first_name: "Demo", last_name: "Admin" }] },
  })
  const { authIdentity, error } = await auth.register("emailpass", { body: { email, password } })
  if (error || !authIdentity) throw new Error(`Could not create the admin login: ${error ?? "unknown error"}`)
  await auth.updateAuthIdentities({ id: authIdentity.id, app_metadata: { user_id: user.id } })
}
