import VippsReturn from "@modules/checkout/components/vipps/vipps-return"
import type { Metadata } from "next"

export const metadata: Metadata = { title: "Checking your payment" }

/** /[countryCode]/vipps/return?reference=…&cart_id=… — where Vipps MobilePay sends the shopper back. */
export default async function VippsReturnPage(props: {
  searchParams: Promise<{ reference?: string; cart_id?: string }>
}) {
  const { reference, cart_id } = await props.searchParams
  return <VippsReturn reference={reference} cartId={cart_id} />
}
