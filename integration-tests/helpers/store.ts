import type { MedusaContainer } from "@medusajs/framework/types"
import {
  createApiKeysWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createUserAccountWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
} from "@medusajs/medusa/core-flows"
import type { AxiosInstance } from "axios"

export type SeededStore = {
  publishableKey: string
  salesChannelId: string
  regions: Record<string, { id: string; currency: string }>
  /** variant id per currency and price label */
  variants: Record<string, string>
}

/**
 * A minimal store as a merchant would set it up: one sales channel with a publishable key, a region per
 * currency with the given Vipps MobilePay providers enabled, and products priced in each currency.
 * Products have no shipping profile, so carts need no shipping method.
 */
export async function seedStore(
  container: MedusaContainer,
  regions: { name: string; currency: string; country: string; providers: string[] }[],
  prices: { label: string; amounts: Record<string, number> }[],
): Promise<SeededStore> {
  const { result: channels } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: "Web shop" }] },
  })
  const salesChannelId = channels[0].id
  const { result: keys } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: "Storefront", type: "publishable", created_by: "test" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: keys[0].id, add: [salesChannelId] } })

  const { result: created } = await createRegionsWorkflow(container).run({
    input: {
      regions: regions.map((r) => ({
        name: r.name,
        currency_code: r.currency,
        countries: [r.country],
        payment_providers: r.providers,
      })),
    },
  })

  const variants: Record<string, string> = {}
  const { result: products } = await createProductsWorkflow(container).run({
    input: {
      products: prices.map((p) => ({
        title: `Product ${p.label}`,
        status: "published" as const,
        options: [{ title: "Size", values: ["One"] }],
        sales_channels: [{ id: salesChannelId }],
        variants: [
          {
            title: `Variant ${p.label}`,
            options: { Size: "One" },
            manage_inventory: false,
            prices: Object.entries(p.amounts).map(([currency_code, amount]) => ({ currency_code, amount })),
          },
        ],
      })),
    },
  })
  products.forEach((product, i) => {
    variants[prices[i].label] = product.variants[0].id
  })

  return {
    publishableKey: keys[0].token,
    salesChannelId,
    regions: Object.fromEntries(
      created.map((r) => [r.currency_code, { id: r.id, currency: r.currency_code }]),
    ),
    variants,
  }
}

/**
 * An admin user logged in through Medusa's own auth routes (emailpass), as the dashboard does it.
 * Returns axios options carrying the bearer token.
 */
export async function adminHeaders(api: AxiosInstance, container: MedusaContainer) {
  const email = `admin-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`
  const password = "correct-horse-battery-staple"
  const { data: registered } = await api.post("/auth/user/emailpass/register", { email, password })
  const { auth_identity_id } = decodeJwtPayload(registered.token)
  await createUserAccountWorkflow(container).run({
    input: { authIdentityId: auth_identity_id, userData: { email } },
  })
  const { data: login } = await api.post("/auth/user/emailpass", { email, password })
  return { headers: { authorization: `Bearer ${login.token}` } }
}

function decodeJwtPayload(token: string): { auth_identity_id: string } {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"))
}

/** The storefront side: what a shop's frontend does over HTTP with its publishable key. */
export function storefront(api: AxiosInstance, store: SeededStore) {
  const headers = { "x-publishable-api-key": store.publishableKey }
  return {
    headers,
    async createCart(
      currency: string,
      items: { label: string; quantity?: number }[],
      extra: Record<string, unknown> = { email: "shopper@example.com" },
    ) {
      const { data } = await api.post(
        "/store/carts",
        {
          region_id: store.regions[currency].id,
          sales_channel_id: store.salesChannelId,
          ...extra,
          items: items.map((i) => ({ variant_id: store.variants[i.label], quantity: i.quantity ?? 1 })),
        },
        { headers },
      )
      return data.cart as { id: string; total: number; currency_code: string }
    },
    async startPayment(cartId: string, providerId: string, data: Record<string, unknown> = {}) {
      const { data: pc } = await api.post("/store/payment-collections", { cart_id: cartId }, { headers })
      const { data: withSession } = await api.post(
        `/store/payment-collections/${pc.payment_collection.id}/payment-sessions`,
        { provider_id: providerId, data },
        { headers },
      )
      const session = withSession.payment_collection.payment_sessions.find(
        (s: { provider_id: string }) => s.provider_id === providerId,
      )
      return { paymentCollectionId: pc.payment_collection.id as string, session }
    },
    /** A cart and its Vipps MobilePay session: what the checkout page does before the shopper pays. */
    async startCheckout(
      currency: string,
      items: { label: string; quantity?: number }[],
      providerId: string,
      extra?: Record<string, unknown>,
      data: Record<string, unknown> = {},
    ) {
      const cart = await this.createCart(currency, items, extra)
      const { session } = await this.startPayment(cart.id, providerId, { cart_id: cart.id, ...data })
      return { cart, session, reference: session.data.reference as string }
    },
    async complete(cartId: string) {
      return api.post(`/store/carts/${cartId}/complete`, {}, { headers, validateStatus: () => true })
    },
  }
}
