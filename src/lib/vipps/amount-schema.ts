import { z } from "zod"

/** The currencies ePayment takes, and an amount in minor units (øre, cents) as every ePayment call has it. */
export const CURRENCIES = ["NOK", "DKK", "EUR"] as const
export const Currency = z.enum(CURRENCIES)
export type Currency = z.infer<typeof Currency>

export const MAX_AMOUNT_VALUE = 65_000_000

export const Amount = z.object({
  currency: Currency,
  value: z.number().int().min(0).max(MAX_AMOUNT_VALUE),
})
export type Amount = z.infer<typeof Amount>
