/**
 * Vipps MobilePay checkout with @medusajs/js-sdk and no framework: the whole flow as plain functions, for
 * any storefront (React, Vue, Svelte, server-rendered). docs/storefront.md explains each step.
 */
import Medusa from "@medusajs/js-sdk"
import type { HttpTypes } from "@medusajs/types"

export const sdk = new Medusa({
  baseUrl: "https://api.shop.example.com", // Medusa; its STORE_CORS must allow the storefront's origin
  publishableKey: "pk_…",
})

const PROVIDER_ID = "pp_vipps_vipps" // pp_vipps_<id> of the registration that serves the cart's region

/**
 * `GET /store/vipps/payments/:reference`. `cart_id` and `order_id` are only given with `?token=` (the
 * `vipps_token` of the return URL) or `?cart_id=` (the payment's cart); otherwise they are null.
 */
export type VippsPaymentStatus = {
  reference: string
  status: "pending" | "authorized" | "failed"
  cart_id: string | null
  order_id: string | null
  failure_reason: string | null
}

/** The payment's status; pass the return token (or the cart id) to learn its cart and order too. */
export async function vippsPaymentStatus(
  reference: string,
  proof: { token?: string | null; cartId?: string | null } = {},
): Promise<VippsPaymentStatus> {
  const query = proof.token ? { token: proof.token } : proof.cartId ? { cart_id: proof.cartId } : {}
  const { payment } = await sdk.client.fetch<{ payment: VippsPaymentStatus }>(
    `/store/vipps/payments/${encodeURIComponent(reference)}`,
    { query },
  )
  return payment
}

/** 1. The button: show it when the region offers the provider. Vipps in Norway, MobilePay in DK/FI. */
export async function vippsButton(cart: HttpTypes.StoreCart): Promise<string | null> {
  const { payment_providers } = await sdk.store.payment.listPaymentProviders({ region_id: cart.region_id! })
  if (!payment_providers.some((p) => p.id === PROVIDER_ID)) return null
  return cart.currency_code === "nok" ? "Pay with Vipps" : "Pay with MobilePay"
}

/**
 * 2. The shopper pressed the button (after accepting the terms): create the payment and go to Vipps
 * MobilePay. `cart_id` fills `{cart_id}` in the provider's returnUrl.
 */
export async function payWithVipps(cart: HttpTypes.StoreCart): Promise<void> {
  const { payment_collection } = await sdk.store.payment.initiatePaymentSession(cart, {
    provider_id: PROVIDER_ID,
    data: { cart_id: cart.id },
  })
  const session = payment_collection.payment_sessions?.find((s) => s.provider_id === PROVIDER_ID)
  const redirectUrl = session?.data?.redirectUrl as string | undefined
  if (!redirectUrl) throw new Error("Vipps MobilePay could not be started")
  // A normal top-level navigation, URL unchanged: never an iframe or a web view.
  window.location.assign(redirectUrl)
}

/**
 * 3. The return page (returnUrl, e.g. /checkout/vipps/return?reference=…&cart_id=…; the plugin appends
 * `&vipps_token=…`). It may open in another browser or tab without the shop's session: everything it needs
 * is in the URL, and the token proves this browser started the payment. The outcome comes from the store
 * API, never from the redirect itself.
 */
export async function handleVippsReturn(
  url: URL,
  show: {
    order(order: HttpTypes.StoreOrder): void
    waiting(): void
    failed(reason: string): void
  },
): Promise<void> {
  const reference = url.searchParams.get("reference")
  if (!reference) return show.failed("The link has no payment reference.")
  const proof = { token: url.searchParams.get("vipps_token"), cartId: url.searchParams.get("cart_id") }
  const deadline = Date.now() + 10 * 60_000 // a payment request lives at most 10 minutes
  for (;;) {
    const payment = await vippsPaymentStatus(reference, proof)
    if (payment.status === "authorized") {
      const cartId = payment.cart_id ?? proof.cartId
      if (!cartId) return show.failed("The payment went through; your confirmation is on its way by email.")
      // Idempotent: when the webhook already created the order, completing returns that same order.
      const result = await sdk.store.cart.complete(cartId)
      if (result.type === "order") return show.order(result.order)
      return show.failed(result.error.message)
    }
    if (payment.status === "failed") {
      // failure_reason is written for shoppers ("The payment was cancelled in Vipps MobilePay…"); offer to
      // pay again: payWithVipps(cart) makes a new payment (the old one is cancelled).
      return show.failed(payment.failure_reason ?? "The payment did not go through.")
    }
    if (Date.now() > deadline) return show.failed("We have not seen the approval. Please try again.")
    show.waiting() // "Waiting for approval in the Vipps MobilePay app…"
    await new Promise((resolve) => setTimeout(resolve, 2_000))
  }
}

/**
 * Without the status route, completing the cart directly works too: `type: "order"` when approved;
 * `type: "cart"` with `error.message` "Waiting for the customer to approve…" while pending, or with the
 * failure reason once the payment was rejected or expired (also in the session's `data.failureReason`).
 */
export async function completeOrExplain(cartId: string) {
  const result = await sdk.store.cart.complete(cartId)
  if (result.type === "order") return { order: result.order }
  const { cart } = await sdk.store.cart.retrieve(cartId, {
    fields: "id,*payment_collection.payment_sessions",
  })
  const session = cart.payment_collection?.payment_sessions?.find((s) => s.provider_id === PROVIDER_ID)
  const failureReason = session?.data?.failureReason as string | undefined
  return failureReason ? { failed: failureReason } : { waiting: result.error.message }
}

/**
 * QR on a customer-facing screen: `redirectUrl` is the QR image (one-time, 10 minutes). Then poll with
 * `vippsPaymentStatus(reference, { cartId: cart.id })`. `customerInteraction` is accepted only where the
 * registration has `storefrontCustomerInteraction: true` (a till or kiosk); leave it out in a web shop.
 */
export async function showVippsQr(cart: HttpTypes.StoreCart, img: HTMLImageElement): Promise<string> {
  const { payment_collection } = await sdk.store.payment.initiatePaymentSession(cart, {
    provider_id: PROVIDER_ID,
    data: {
      cart_id: cart.id,
      userFlow: "QR",
      qrFormat: "IMAGE/SVG+XML",
      customerInteraction: "CUSTOMER_PRESENT",
    },
  })
  const session = payment_collection.payment_sessions!.find((s) => s.provider_id === PROVIDER_ID)!
  img.src = session.data.redirectUrl as string
  img.alt = "Scan with the Vipps or MobilePay app"
  return session.data.reference as string
}

/**
 * Push message to a known phone number (till, call centre; never ask web shoppers for it): no redirect,
 * the app rings. MSISDN format: country code and number, digits only (4791234567). `phoneNumber` is
 * accepted with PUSH_MESSAGE only. Then poll with `vippsPaymentStatus(reference, { cartId: cart.id })`.
 */
export async function sendVippsPushMessage(cart: HttpTypes.StoreCart, phoneNumber: string): Promise<string> {
  const { payment_collection } = await sdk.store.payment.initiatePaymentSession(cart, {
    provider_id: PROVIDER_ID,
    data: { cart_id: cart.id, userFlow: "PUSH_MESSAGE", phoneNumber },
  })
  const session = payment_collection.payment_sessions!.find((s) => s.provider_id === PROVIDER_ID)!
  return session.data.reference as string
}
