import type { GetPaymentResponse } from "../../../lib/vipps/schemas"
import type { VippsSessionData } from "../../../providers/vipps/session-data"
import { money, type Money } from "./payment-view"

/**
 * What the admin sees of an Express payment: the delivery the shopper chose in the app and the address and
 * contact the app shared. Pure: read from Vipps MobilePay's payment (`shippingDetails`, `userDetails`) and
 * the session the plugin stored (the amount it asked for, before shipping).
 */
export type ExpressView = {
  /** The option chosen in the app; its price is what Vipps MobilePay added to the goods. */
  shipping_option: { id: string | null; name: string | null; price: Money | null } | null
  /** The delivery address shared from the app. */
  address: {
    line_1: string | null
    line_2: string | null
    postal_code: string | null
    city: string | null
    country: string | null
  } | null
  /** The name, email and phone shared from the app. */
  contact: { name: string | null; email: string | null; phone: string | null } | null
}

const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : null)

/** Null for a payment that is not Express; otherwise whatever of the app's choice is known yet. */
export function buildExpressView(
  session: Pick<VippsSessionData, "express" | "amount">,
  vipps: GetPaymentResponse | undefined,
): ExpressView | null {
  const shipping = vipps?.shippingDetails ?? undefined
  if (!session.express && !shipping) return null

  // The shopper approved the goods (the amount we asked for) plus the option: the difference is its price.
  // `shippingCost`'s unit is undocumented, so it is not used.
  const authorized = vipps?.aggregate.authorizedAmount
  const price =
    authorized && authorized.value > 0 && authorized.currency === session.amount.currency
      ? money(authorized.value - session.amount.value, authorized.currency)
      : null
  const option =
    shipping && (shipping.shippingOptionId || shipping.shippingOptionName)
      ? { id: text(shipping.shippingOptionId), name: text(shipping.shippingOptionName), price }
      : null

  const a = shipping?.address
  const line1 = text(a?.addressLine1)
  const line2 = text(a?.addressLine2)
  const address = a
    ? {
        line_1: line1,
        // The app may send the same line twice.
        line_2: line2 && line2 !== line1 ? line2 : null,
        postal_code: text(a.postCode),
        city: text(a.city),
        country: text(a.country)?.toUpperCase() ?? null,
      }
    : null

  const user = vipps?.userDetails
  const name = [text(user?.firstName), text(user?.lastName)].filter(Boolean).join(" ")
  const contact = user
    ? { name: name || null, email: text(user.email), phone: text(user.mobileNumber) }
    : null

  return { shipping_option: option, address, contact }
}
