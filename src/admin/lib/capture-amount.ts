import { fromMinorUnits, toMinorUnits } from "../../lib/money"

const AMOUNT = /^\d+(?:[.,]\d{1,2})?$/

/**
 * The amount the merchant typed in the panel, in minor units, or why it cannot be captured: a positive
 * amount with at most two decimals (comma or point), no more than what is left to capture.
 */
export function parseCaptureAmount(
  text: string,
  currency: string,
  uncaptured: number,
): { minor: number } | { error: string } {
  const trimmed = text.trim()
  if (!AMOUNT.test(trimmed)) return { error: `Enter an amount like 100 or 100.50 (${currency}).` }
  const minor = toMinorUnits(trimmed.replace(",", "."), currency)
  if (minor <= 0) return { error: "The amount must be larger than zero." }
  if (minor > uncaptured) {
    return { error: `At most ${fromMinorUnits(uncaptured, currency)} ${currency} is left to capture.` }
  }
  return { minor }
}
