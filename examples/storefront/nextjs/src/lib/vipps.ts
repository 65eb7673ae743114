/**
 * Add to the Next.js starter's src/lib/constants.tsx (or import from here): which providers are
 * Vipps MobilePay, and what their button says.
 *
 * paymentInfoMap additions:
 *   pp_vipps_vipps: { title: "Vipps", icon: <VippsMark /> },
 *   pp_vipps_mobilepay: { title: "MobilePay", icon: <VippsMark /> },
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

/** `GET /store/vipps/payments/:reference` (the return page's lookup). */
export type VippsPaymentStatus = {
  reference: string
  status: "pending" | "authorized" | "failed"
  cart_id: string | null
  order_id: string | null
  failure_reason: string | null
  user_flow: string
  redirect_url: string | null
}
