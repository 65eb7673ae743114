"use server"

/**
 * Server actions for Vipps MobilePay (copy to src/lib/data/vipps.ts). They use the starter's `sdk`
 * (src/lib/config.ts: backend URL and publishable key from the env, see .env.vipps.example) and its auth
 * headers.
 */
import { sdk } from "@lib/config"
import { getAuthHeaders, getCacheTag, getCartId, removeCartId } from "@lib/data/cookies"
import medusaError from "@lib/util/medusa-error"
import type { HttpTypes } from "@medusajs/types"
import { revalidateTag } from "next/cache"
import { redirect } from "next/navigation"
import {
  isVippsMobilePay,
  type VippsExpressStart,
  type VippsPaymentStatus,
  type VippsSessionData,
} from "@lib/vipps"

type StartOptions = {
  /** CUSTOMER_PRESENT at a physical till or kiosk. */
  customerInteraction?: "CUSTOMER_PRESENT" | "CUSTOMER_NOT_PRESENT"
} & (
  | { userFlow?: "WEB_REDIRECT" }
  | { userFlow: "QR"; qrFormat?: "IMAGE/SVG+XML" | "IMAGE/PNG" | "TEXT/TARGETURL" }
  /** Only with a number the shop already knows (till, call centre); never ask web shoppers for it. */
  | { userFlow: "PUSH_MESSAGE"; phoneNumber: string }
)

/**
 * Creates (or re-creates) the Vipps MobilePay payment for the cart's current total. Call it when the
 * shopper presses the button, after they accepted the terms: a payment request lives 10 minutes.
 */
export async function startVippsMobilePayPayment(
  cart: HttpTypes.StoreCart,
  providerId: string,
  options: StartOptions = {},
): Promise<VippsSessionData> {
  const { payment_collection } = await sdk.store.payment.initiatePaymentSession(
    cart,
    // cart_id goes into the returnUrl ({cart_id}); the plugin validates every field and refuses others.
    { provider_id: providerId, data: { cart_id: cart.id, ...options } },
    {},
    await getAuthHeaders(),
  )
  revalidateTag(await getCacheTag("carts"))
  const session = payment_collection.payment_sessions?.find((s) => s.provider_id === providerId)
  if (!session) throw new Error("Vipps MobilePay could not be started")
  return session.data as VippsSessionData
}

/**
 * What became of the payment: the return page and the QR / push screens poll this. `token` is the
 * `vipps_token` the plugin added to the return URL: with it the answer also names the cart and order,
 * even in a browser that does not hold the cart cookie.
 */
export async function getVippsMobilePayStatus(
  reference: string,
  token?: string,
): Promise<VippsPaymentStatus> {
  const { payment } = await sdk.client.fetch<{ payment: VippsPaymentStatus }>(
    `/store/vipps/payments/${encodeURIComponent(reference)}`,
    {
      method: "GET",
      ...(token ? { query: { token } } : {}),
      headers: await getAuthHeaders(),
      cache: "no-store",
    },
  )
  return payment
}

/** The region's Vipps MobilePay provider (`pp_vipps_…`), or null: the Express button shows only with one. */
export async function getVippsProviderOfRegion(regionId: string): Promise<string | null> {
  const { payment_providers } = await sdk.store.payment.listPaymentProviders(
    { region_id: regionId },
    await getAuthHeaders(),
  )
  return payment_providers.find((p) => isVippsMobilePay(p.id))?.id ?? null
}

/**
 * Starts Express: from the product page one variant and quantity become a new cart (the shopper's own cart
 * is left alone); from the cart page the cart as it is (items are enough: email, address and delivery come
 * from the app). Answers where to send the shopper. `shipping: "dynamic"` prices the delivery options for
 * the address chosen in the app (needs the provider option `expressCallbackUrl`).
 */
export async function startVippsExpress(
  input: { variantId: string; quantity: number; regionId: string } | { cartId: string },
  providerId: string,
  shipping: "fixed" | "dynamic" = "fixed",
): Promise<VippsExpressStart> {
  const body =
    "cartId" in input
      ? { cart_id: input.cartId }
      : { variant_id: input.variantId, quantity: input.quantity, region_id: input.regionId }
  const { express } = await sdk.client
    .fetch<{ express: VippsExpressStart }>("/store/vipps/express", {
      method: "POST",
      body: { ...body, provider_id: providerId, shipping },
      headers: await getAuthHeaders(),
    })
    .catch(medusaError)
  if ("cartId" in input) revalidateTag(await getCacheTag("carts"))
  return express
}

/**
 * Completes the payment's cart (idempotent: returns the order the webhook may already have made) and goes
 * to the order page. Unlike the starter's `placeOrder`, it forgets the cart cookie only when that is the
 * cart paid: a product-page Express cart is not the shopper's cart, which stays as it was.
 */
export async function placeVippsOrder(cartId: string): Promise<HttpTypes.StoreCart> {
  const result = await sdk.store.cart.complete(cartId, {}, await getAuthHeaders()).catch(medusaError)
  revalidateTag(await getCacheTag("carts"))
  if (result.type !== "order") return result.cart
  revalidateTag(await getCacheTag("orders"))
  if ((await getCartId()) === cartId) await removeCartId()
  redirect(
    `/${result.order.shipping_address?.country_code?.toLowerCase()}/order/${result.order.id}/confirmed`,
  )
}
