import VippsReturn from "@modules/checkout/components/vipps/vipps-return"
import type { Metadata } from "next"

export const metadata: Metadata = { title: "Checking your payment" }

/**
 * /[countryCode]/vipps/return?reference=…&cart_id=…&vipps_token=… — where Vipps MobilePay sends the
 * shopper back. Set the provider's `returnUrl` to `https://<shop>/vipps/return?reference={reference}&cart_id={cart_id}`:
 * the starter's middleware adds the country code and keeps the query; the plugin appends `vipps_token`.
 */
export default async function VippsReturnPage(props: {
  searchParams: Promise<{ reference?: string; cart_id?: string; vipps_token?: string }>
}) {
  const { reference, cart_id, vipps_token } = await props.searchParams
  return <VippsReturn reference={reference} cartId={cart_id} token={vipps_token} />
}
