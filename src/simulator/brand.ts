import type { SimulatorBrandSetting } from "./state"

/**
 * MobilePay (Denmark, Finland) becomes Vipps on 12 January 2027 (fact sheet 3.12). The simulator plays
 * either brand: fixed, or "auto" by the payment's market and the simulator clock.
 */
export const REBRAND_AT = Date.parse("2027-01-12T00:00:00+01:00")

export type BrandName = "Vipps" | "MobilePay"

export function brandOf(setting: SimulatorBrandSetting, currency: string, now: number): BrandName {
  if (setting === "vipps") return "Vipps"
  if (setting === "mobilepay") return "MobilePay"
  return (currency === "DKK" || currency === "EUR") && now < REBRAND_AT ? "MobilePay" : "Vipps"
}
