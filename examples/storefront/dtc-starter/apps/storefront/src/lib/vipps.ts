/**
 * Which payment providers are Vipps MobilePay, what their button says, and the shapes the plugin's store
 * routes answer with. Copy to src/lib/vipps.ts.
 *
 * Add the providers to `paymentInfoMap` in src/lib/constants.tsx so the payment step lists them:
 *
 *   import VippsMark from "@modules/common/icons/vipps-mark"
 *   pp_vipps_vipps: { title: "Vipps", icon: <VippsMark brand="vipps" /> },
 *   pp_vipps_mobilepay: { title: "MobilePay", icon: <VippsMark brand="mobilepay" /> },
 *
 * (`pp_vipps_<id>`: the `id` of each registration in the backend's medusa-config.)
 */

export const isVippsMobilePay = (providerId?: string) => !!providerId?.startsWith("pp_vipps_")

/**
 * The brand the shopper knows: Vipps in Norway (NOK), MobilePay in Denmark (DKK) and Finland (EUR).
 * Keep the text short and unchanged ("Pay with Vipps" / "Betal med Vipps"), as the brand guidelines ask.
 */
export function vippsMobilePayLabel(currencyCode: string, locale = "en"): string {
  const brand = currencyCode.toLowerCase() === "nok" ? "Vipps" : "MobilePay"
  return ["nb", "no", "nn", "da"].includes(locale) ? `Betal med ${brand}` : `Pay with ${brand}`
}

/**
 * Express ("Buy now with Vipps" / "Kjøp nå med Vipps"): the shopper chooses address and delivery in the
 * app. Vipps MobilePay's guidelines also allow "Vipps Express" / "MobilePay Express".
 */
export function vippsExpressLabel(currencyCode: string, locale = "en"): string {
  const brand = currencyCode.toLowerCase() === "nok" ? "Vipps" : "MobilePay"
  if (["nb", "no", "nn"].includes(locale)) return `Kjøp nå med ${brand}`
  return locale === "da" ? `Køb nu med ${brand}` : `Buy now with ${brand}`
}

/** `POST /store/vipps/express`: the cart being paid (a new one from the product page) and where to go. */
export type VippsExpressStart = {
  cart_id: string
  reference: string
  redirect_url: string | null
  payment_session_id: string
}

/** Optional checkouts, switched on per build (see .env.vipps.example). */
export const VIPPS_QR_ENABLED = process.env.NEXT_PUBLIC_VIPPS_QR === "true"
/** Push messages to a number the customer tells in person: tills, kiosks, call centres only. */
export const VIPPS_PUSH_ENABLED = process.env.NEXT_PUBLIC_VIPPS_PUSH === "true"

/** What the plugin puts in the payment session's `data` (public; never holds secrets). */
export type VippsSessionData = {
  reference: string
  userFlow: "WEB_REDIRECT" | "NATIVE_REDIRECT" | "PUSH_MESSAGE" | "QR"
  /** The landing page / app switch (WEB_REDIRECT), or the QR image or target URL (QR). */
  redirectUrl?: string
  state: "CREATED" | "AUTHORIZED" | "ABORTED" | "EXPIRED" | "TERMINATED"
  amount: { currency: string; value: number }
  /** Set when the payment ended without approval, in words a shopper understands. */
  failureReason?: string
}

/**
 * `GET /store/vipps/payments/:reference` (the return page's lookup). `cart_id` and `order_id` come only
 * with a proof: the `vipps_token` of the return URL (passed as `token`) or the payment's `cart_id`.
 */
export type VippsPaymentStatus = {
  reference: string
  status: "pending" | "authorized" | "failed"
  cart_id: string | null
  order_id: string | null
  failure_reason: string | null
  user_flow: string
  redirect_url: string | null
}
