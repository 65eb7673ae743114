import { fromMinorUnits, toMinorUnits } from "../../lib/money"

const AMOUNT = /^\d+(?:[.,]\d{1,2})?$/

const LIMIT = {
  capture: "is left to capture",
  refund: "can be refunded",
} as const

/**
 * An amount the merchant typed in the panel, in minor units, or why it cannot be used: a positive amount
 * with at most two decimals (comma or point), no more than `limit` (what is left to capture or refund).
 */
export function parseAmount(
  text: string,
  currency: string,
  limit: number,
  action: keyof typeof LIMIT,
): { minor: number } | { error: string } {
  const trimmed = text.trim()
  if (!AMOUNT.test(trimmed)) return { error: `Enter an amount like 100 or 100.50 (${currency}).` }
  const minor = toMinorUnits(trimmed.replace(",", "."), currency)
  if (minor <= 0) return { error: "The amount must be larger than zero." }
  if (minor > limit)
    return { error: `At most ${fromMinorUnits(limit, currency)} ${currency} ${LIMIT[action]}.` }
  return { minor }
}

export const parseCaptureAmount = (text: string, currency: string, uncaptured: number) =>
  parseAmount(text, currency, uncaptured, "capture")
