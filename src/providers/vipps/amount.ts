import { BigNumber } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"

/**
 * Medusa's amount (number, string, BigNumber or a raw `{ value, precision }` object) as an exact
 * decimal string, ready for lib/money. Refund amounts arrive as raw objects (Number() of them is NaN).
 */
export function medusaDecimal(amount: BigNumberInput | { value: string | number }): string {
  const bn = new BigNumber(amount as BigNumberInput)
  if (bn.bigNumber) return bn.bigNumber.toFixed()
  const raw = bn.raw?.value
  if (raw !== undefined) return String(raw)
  return String(bn.numeric)
}
