/**
 * The Express dynamic shipping callback body, read tolerantly as the documentation asks (its casing and
 * nesting are x-uncertain): flat camelCase keys as the official plugins parse them, capitalised names, or the
 * address nested under `address`; keys compared without case; a duplicated second line dropped; a country
 * given by name mapped to its ISO code for the markets ePayment serves.
 */

export type CallbackAddress = {
  addressLine1: string
  addressLine2?: string
  city?: string
  postCode?: string
  /** ISO 3166-1 alpha-2, upper case. */
  country: string
}

export type ShippingCallbackRequest = { reference: string; address: CallbackAddress }

const COUNTRY_NAMES: Record<string, string> = {
  norway: "NO",
  norge: "NO",
  denmark: "DK",
  danmark: "DK",
  finland: "FI",
  suomi: "FI",
  sweden: "SE",
  sverige: "SE",
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

function field(source: Record<string, unknown>, name: string): string | undefined {
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(source)) {
    if (key.toLowerCase() === wanted && typeof value === "string" && value.trim() !== "") {
      return value.trim().slice(0, 200)
    }
  }
  return undefined
}

function country(value: string | undefined): string | undefined {
  if (!value) return undefined
  if (/^[A-Za-z]{2}$/.test(value)) return value.toUpperCase()
  return COUNTRY_NAMES[value.toLowerCase()]
}

/** The reference and address of a callback body, or undefined when it carries neither in any known form. */
export function parseShippingCallback(body: unknown): ShippingCallbackRequest | undefined {
  if (!isObject(body)) return undefined
  const reference = field(body, "reference")
  const nested = Object.entries(body).find(
    ([key, value]) => key.toLowerCase() === "address" && isObject(value),
  )
  const source = nested ? (nested[1] as Record<string, unknown>) : body
  const addressLine1 = field(source, "addressLine1")
  const code = country(field(source, "country"))
  if (!reference || !addressLine1 || !code) return undefined
  const line2 = field(source, "addressLine2")
  return {
    reference,
    address: {
      addressLine1,
      ...(line2 && line2 !== addressLine1 ? { addressLine2: line2 } : {}),
      city: field(source, "city"),
      postCode: field(source, "postCode"),
      country: code,
    },
  }
}
