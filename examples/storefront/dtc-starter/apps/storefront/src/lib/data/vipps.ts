"use server"

/**
 * Server actions for Vipps MobilePay (copy to src/lib/data/vipps.ts). They use the starter's `sdk`
 * (src/lib/config.ts: backend URL and publishable key from the env, see .env.vipps.example) and its auth
 * headers.
 */
import { sdk } from "@lib/config"
import { getAuthHeaders, getCacheTag } from "@lib/data/cookies"
import type { HttpTypes } from "@medusajs/types"
import { revalidateTag } from "next/cache"
import type { VippsPaymentStatus, VippsSessionData } from "@lib/vipps"

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
