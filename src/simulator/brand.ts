import { paymentBrand, type PaymentBrand } from "../lib/brand"
import type { SimulatorBrandSetting } from "./state"

/** The brand the landing page plays: fixed, or "auto" by the payment's market and the simulator clock. */
export function brandOf(setting: SimulatorBrandSetting, currency: string, now: number): PaymentBrand {
  if (setting === "vipps") return "Vipps"
  if (setting === "mobilepay") return "MobilePay"
  return paymentBrand(currency, new Date(now))
}
