/**
 * Exact conversion between Medusa amounts (major units, decimal) and ePayment amounts
 * (integer minor units). Decimal strings are parsed digit by digit into BigInt: no floats.
 */

/** Currencies the ePayment API accepts, with their number of minor-unit digits. */
export const SUPPORTED_CURRENCIES = { NOK: 2, DKK: 2, EUR: 2 } as const
export type SupportedCurrency = keyof typeof SUPPORTED_CURRENCIES

/** Smallest amount the ePayment API accepts per currency, in minor units (error 6010 below it). */
export const MINIMUM_MINOR_AMOUNT: Record<SupportedCurrency, number> = { NOK: 100, DKK: 1, EUR: 1 }
/** Largest `amount.value` the ePayment API accepts. */
export const MAXIMUM_MINOR_AMOUNT = 65_000_000

export class MoneyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "MoneyError"
  }
}

export function isSupportedCurrency(currency: string): currency is SupportedCurrency {
  return Object.prototype.hasOwnProperty.call(SUPPORTED_CURRENCIES, currency.toUpperCase())
}

export function normalizeCurrency(currency: string): SupportedCurrency {
  const upper = currency.toUpperCase()
  if (!isSupportedCurrency(upper)) {
    throw new MoneyError(`Vipps MobilePay does not support the currency "${currency}": use NOK, DKK or EUR.`)
  }
  return upper
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

/**
 * A decimal amount in major units, as Medusa gives it: a number, a decimal string, or an object whose
 * `toString()` is the decimal (Medusa's BigNumber) or with a raw `{ value }` (Medusa's raw amounts).
 */
export type DecimalInput = number | string | bigint | { value: string | number } | { toString(): string }

export function decimalString(amount: DecimalInput): string {
  if (typeof amount === "string") return amount.trim()
  if (typeof amount === "bigint") return amount.toString()
  if (typeof amount === "number") {
    if (!Number.isFinite(amount)) throw new MoneyError(`Invalid amount: ${amount}`)
    // Shortest round-trip representation: 19.99 -> "19.99", never 19.989999...
    return String(amount)
  }
  if (amount && typeof amount === "object" && "value" in amount) {
    return decimalString(amount.value as string | number)
  }
  return String(amount).trim()
}

/**
 * Major units -> integer minor units, rounding half away from zero at the currency's precision
 * (Medusa totals can carry more decimals, e.g. after tax-inclusive pricing).
 */
export function toMinorUnits(amount: DecimalInput, currency: string): number {
  const digits = SUPPORTED_CURRENCIES[normalizeCurrency(currency)]
  const text = decimalString(amount)
  const match = DECIMAL.exec(text)
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) {
    throw new MoneyError(`Invalid amount: "${text}"`)
  }
  const [, sign, intPart, fracPart = "", exponent = "0"] = match
  const mantissa = BigInt((intPart || "0") + fracPart)
  // value = mantissa * 10^(exp - fracLen); in minor units multiply by 10^digits.
  const scale = Number(exponent) - fracPart.length + digits
  let minor: bigint
  if (scale >= 0) {
    minor = mantissa * 10n ** BigInt(scale)
  } else {
    const divisor = 10n ** BigInt(-scale)
    const quotient = mantissa / divisor
    const remainder = mantissa % divisor
    minor = remainder * 2n >= divisor ? quotient + 1n : quotient
  }
  if (sign === "-") minor = -minor
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new MoneyError(`Amount out of range: "${text}"`)
  }
  return Number(minor)
}

/** Integer minor units -> exact decimal string in major units ("19.99", "0.01", "100.00"). */
export function fromMinorUnits(value: number, currency: string): string {
  const digits = SUPPORTED_CURRENCIES[normalizeCurrency(currency)]
  if (!Number.isSafeInteger(value)) {
    throw new MoneyError(`Minor-unit amount must be an integer: ${value}`)
  }
  const negative = value < 0
  const text = Math.abs(value)
    .toString()
    .padStart(digits + 1, "0")
  const major = text.slice(0, text.length - digits)
  const minor = text.slice(text.length - digits)
  return `${negative ? "-" : ""}${major}${digits > 0 ? `.${minor}` : ""}`
}

/** Refuses amounts Vipps MobilePay would reject (too small, too large), with a clear message. */
export function assertPayableAmount(minor: number, currency: SupportedCurrency): void {
  const minimum = MINIMUM_MINOR_AMOUNT[currency]
  if (minor < minimum) {
    throw new MoneyError(
      `Vipps MobilePay needs at least ${fromMinorUnits(minimum, currency)} ${currency}; the amount is ${fromMinorUnits(minor, currency)} ${currency}.`,
    )
  }
  if (minor > MAXIMUM_MINOR_AMOUNT) {
    throw new MoneyError(
      `Vipps MobilePay accepts at most ${fromMinorUnits(MAXIMUM_MINOR_AMOUNT, currency)} ${currency} per payment; the amount is ${fromMinorUnits(minor, currency)} ${currency}.`,
    )
  }
}
