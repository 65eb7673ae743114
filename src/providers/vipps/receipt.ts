import { toMinorUnits } from "../../lib/money"
import type { Currency, OrderLine, Receipt } from "../../lib/vipps/schemas"

type Decimal = string | number
type TaxLine = { rate?: Decimal | null }

/** The parts of a Medusa cart a receipt is made of (major units, as Query returns them). */
export type ReceiptCart = {
  id: string
  total: Decimal
  items?: {
    id: string
    title?: string | null
    product_title?: string | null
    variant_title?: string | null
    quantity: Decimal
    unit_price: Decimal
    total: Decimal
    tax_total?: Decimal | null
    discount_total?: Decimal | null
    tax_lines?: TaxLine[] | null
  }[]
  shipping_methods?: {
    id: string
    name?: string | null
    total: Decimal
    tax_total?: Decimal | null
    tax_lines?: TaxLine[] | null
  }[]
}

function taxPercentage(lines?: TaxLine[] | null): number {
  const rate = (lines ?? []).reduce((sum, line) => sum + Number(line.rate ?? 0), 0)
  return Math.min(100, Math.max(0, Math.round(rate)))
}

/**
 * Order lines for the app's payment history (the checklist recommends it; long-living payments require it).
 * Returns undefined when the lines do not add up to the payment amount exactly: a receipt that disagrees
 * with the amount would be refused.
 */
export function buildReceipt(
  cart: ReceiptCart,
  currency: Currency,
  amountMinor: number,
): Receipt | undefined {
  const minor = (value: Decimal | null | undefined) => toMinorUnits(String(value ?? 0), currency)
  const lines: OrderLine[] = []
  for (const item of cart.items ?? []) {
    const total = minor(item.total)
    const tax = Math.min(total, minor(item.tax_total))
    const name = [item.product_title ?? item.title, item.variant_title].filter(Boolean).join(" – ") || "Item"
    lines.push({
      name: name.slice(0, 2048),
      id: item.id,
      totalAmount: total,
      totalAmountExcludingTax: total - tax,
      totalTaxAmount: tax,
      taxPercentage: taxPercentage(item.tax_lines),
      unitInfo: { unitPrice: minor(item.unit_price), quantity: String(item.quantity), quantityUnit: "PCS" },
      ...(minor(item.discount_total) > 0 ? { discount: minor(item.discount_total) } : {}),
      isShipping: false,
    })
  }
  for (const method of cart.shipping_methods ?? []) {
    const total = minor(method.total)
    const tax = Math.min(total, minor(method.tax_total))
    lines.push({
      name: (method.name || "Shipping").slice(0, 2048),
      id: method.id,
      totalAmount: total,
      totalAmountExcludingTax: total - tax,
      totalTaxAmount: tax,
      taxPercentage: taxPercentage(method.tax_lines),
      isShipping: true,
    })
  }
  const sum = lines.reduce((total, line) => total + line.totalAmount, 0)
  if (lines.length === 0 || sum !== amountMinor) return undefined
  return { orderLines: lines, bottomLine: { currency, receiptNumber: cart.id.slice(0, 64) } }
}

/** What `buildReceipt` reads of a cart or an order, as Query fields. */
export const RECEIPT_FIELDS = [
  "id",
  "total",
  "items.id",
  "items.title",
  "items.product_title",
  "items.variant_title",
  "items.quantity",
  "items.unit_price",
  "items.total",
  "items.tax_total",
  "items.discount_total",
  "items.tax_lines.rate",
  "shipping_methods.id",
  "shipping_methods.name",
  "shipping_methods.total",
  "shipping_methods.tax_total",
  "shipping_methods.tax_lines.rate",
]
