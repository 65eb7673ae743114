/**
 * The brand a shopper knows, by market and date. MobilePay (Denmark, Finland) becomes Vipps on 12 January
 * 2027 (Vipps MobilePay technical update, October 2026); Norway is Vipps throughout. Which button assets change
 * on that day is announced separately by Vipps MobilePay, so the switch date can be moved. Nothing here
 * depends on landing-page domains: the plugin never checks or rewrites the `redirectUrl`.
 */

export const REBRAND_DATE = "2027-01-12T00:00:00+01:00"

export type PaymentBrand = "Vipps" | "MobilePay"

/** The brand for a currency (NOK Norway, DKK Denmark, EUR Finland) at a moment. */
export function paymentBrand(
  currencyCode: string,
  at: Date = new Date(),
  rebrandAt: string | Date = REBRAND_DATE,
): PaymentBrand {
  const currency = currencyCode.toUpperCase()
  if (currency !== "DKK" && currency !== "EUR") return "Vipps"
  return at.getTime() < new Date(rebrandAt).getTime() ? "MobilePay" : "Vipps"
}

const PAY_WITH: Record<string, string> = { en: "Pay with", nb: "Betal med", no: "Betal med", da: "Betal med" }

/** "Pay with Vipps" / "Betal med MobilePay": the button text of the design guidelines (English fallback). */
export function payButtonText(
  currencyCode: string,
  locale = "en",
  at: Date = new Date(),
  rebrandAt: string | Date = REBRAND_DATE,
): string {
  const language = locale.toLowerCase().split(/[-_]/)[0]
  return `${PAY_WITH[language] ?? PAY_WITH.en} ${paymentBrand(currencyCode, at, rebrandAt)}`
}
