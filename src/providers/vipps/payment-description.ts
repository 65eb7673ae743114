/**
 * The payment description shoppers see in the app (and merchants in the portal and settlement files):
 * something they recognise — the store and what they bought — never an internal id. Pure; no Medusa.
 */

export const DESCRIPTION_MIN = 3
export const DESCRIPTION_MAX = 100
/** The default: "Acme: 2 × T-shirt, 1 more". */
export const DEFAULT_PAYMENT_DESCRIPTION = "{store_name}: {items}"

export type DescribedItem = { name: string; quantity?: string }

export type DescriptionValues = {
  storeName?: string
  items: readonly DescribedItem[]
  reference: string
  cartId?: string
}

const ELLIPSIS = "…"

function cut(text: string, room: number): string {
  if (text.length <= room) return text
  return room <= 1 ? ELLIPSIS.slice(0, room) : `${text.slice(0, room - 1).trimEnd()}${ELLIPSIS}`
}

function item({ name, quantity }: DescribedItem): string {
  const clean = name.replace(/\s+/g, " ").trim()
  return quantity && quantity !== "1" ? `${quantity} × ${clean}` : clean
}

/**
 * "2 × T-shirt, Mug, 3 more" within `room` characters: as many lines as fit, then how many are left.
 * The first line is shortened rather than dropped.
 */
export function summarizeItems(items: readonly DescribedItem[], room: number): string {
  const parts = items.map(item).filter(Boolean)
  if (parts.length === 0 || room <= 0) return ""
  for (let shown = parts.length; shown >= 1; shown--) {
    const rest = parts.length - shown
    const text = `${parts.slice(0, shown).join(", ")}${rest > 0 ? `, ${rest} more` : ""}`
    if (text.length <= room) return text
  }
  const more = parts.length > 1 ? `, ${parts.length - 1} more` : ""
  return cut(`${cut(parts[0], Math.max(1, room - more.length))}${more}`, room)
}

function fill(template: string, values: Record<string, string | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in values)) return whole
    return values[name] ?? ""
  })
}

/** Tidies what empty placeholders leave behind: ": 2 × Mug" → "2 × Mug", "Acme: " → "Acme". */
function tidy(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/^[\s:;,–-]+/, "")
    .replace(/[\s:;,–-]+$/, "")
    .trim()
}

/**
 * Fills `template` (placeholders {store_name}, {items}, {reference}, {cart_id}) within 3-100 characters.
 * {items} gets whatever room the rest of the template leaves. Falls back to the store's name, then to
 * a plain "Online purchase", when the result would be too short.
 */
export function describePayment(template: string, values: DescriptionValues): string {
  const fixed = {
    store_name: values.storeName?.trim(),
    reference: values.reference,
    cart_id: values.cartId,
  }
  const withoutItems = tidy(fill(template, { ...fixed, items: "" }))
  const room = DESCRIPTION_MAX - withoutItems.length - (template.includes("{items}") ? 2 : 0)
  const items = template.includes("{items}") ? summarizeItems(values.items, Math.max(room, 0)) : ""
  const filled = cut(tidy(fill(template, { ...fixed, items })), DESCRIPTION_MAX)
  if (filled.length >= DESCRIPTION_MIN) return filled
  const store = fixed.store_name ? cut(`${fixed.store_name} purchase`, DESCRIPTION_MAX) : ""
  return store.length >= DESCRIPTION_MIN ? store : "Online purchase"
}
