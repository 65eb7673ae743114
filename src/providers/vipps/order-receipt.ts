import { container } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { toMinorUnits } from "../../lib/money"
import type { Currency, Receipt } from "../../lib/vipps/schemas"
import { orderOfCollection } from "./links"
import { buildReceipt, RECEIPT_FIELDS, type ReceiptCart } from "./receipt"

const ORDER_FIELDS = [...RECEIPT_FIELDS, "display_id", "tax_total"]

type ReceiptOrder = ReceiptCart & { display_id?: number | null; tax_total?: string | number | null }

/**
 * The receipt of a payment request staff send for an order (long-living payments require one): the order's
 * lines when the request is for the whole order (a draft or phone order), otherwise one line for the
 * outstanding balance (an order edit that added items), with the order's share of tax.
 */
export async function orderReceipt(
  paymentCollectionId: string | undefined,
  currency: Currency,
  amountMinor: number,
): Promise<Receipt | undefined> {
  if (!paymentCollectionId) return undefined
  try {
    const orderId = await orderOfCollection(container, paymentCollectionId)
    if (!orderId) return undefined
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "order", fields: ORDER_FIELDS, filters: { id: orderId } })
    const order = data[0] as ReceiptOrder | undefined
    if (!order) return undefined
    const whole = buildReceipt(order, currency, amountMinor)
    if (whole) return whole
    const total = toMinorUnits(String(order.total ?? 0), currency)
    const tax = toMinorUnits(String(order.tax_total ?? 0), currency)
    const lineTax = total > 0 ? Math.round((amountMinor * tax) / total) : 0
    const net = amountMinor - lineTax
    return {
      orderLines: [
        {
          name: `Balance of order #${order.display_id ?? order.id}`,
          id: order.id,
          totalAmount: amountMinor,
          totalAmountExcludingTax: net,
          totalTaxAmount: lineTax,
          taxPercentage: net > 0 ? Math.min(100, Math.round((lineTax * 100) / net)) : 0,
          isShipping: false,
        },
      ],
      bottomLine: { currency, receiptNumber: order.id.slice(0, 64) },
    }
  } catch {
    return undefined
  }
}
