/**
 * The sentence above the review step's button, naming the button the shopper actually presses. In
 * src/modules/checkout/components/review/index.tsx replace the <Text> that begins "By clicking the Place
 * Order button, …" with:
 *
 *   <CheckoutTerms cart={cart} />
 *
 * For Vipps MobilePay it reads "By clicking Pay with Vipps, …", otherwise the starter's own text. Edit
 * the policy names and the store name to your shop's.
 */
import { isVippsMobilePay, vippsMobilePayLabel } from "@lib/vipps"
import type { HttpTypes } from "@medusajs/types"
import { Text } from "./ui"

export default function CheckoutTerms({
  cart,
  storeName = "Medusa Store",
}: {
  cart: HttpTypes.StoreCart
  storeName?: string
}) {
  const session = cart.payment_collection?.payment_sessions?.find((s) => s.status === "pending")
  const button = isVippsMobilePay(session?.provider_id)
    ? vippsMobilePayLabel(cart.currency_code)
    : "Place order"
  return (
    <Text className="txt-medium-plus text-ui-fg-base mb-1" data-testid="checkout-terms">
      By clicking {button}, you confirm that you have read, understand and accept our Terms of Use, Terms of
      Sale and Returns Policy and acknowledge that you have read {storeName}&apos;s Privacy Policy.
    </Text>
  )
}
