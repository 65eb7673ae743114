"use client"

/**
 * "Buy now with Vipps" / "Buy now with MobilePay" (Vipps MobilePay Express): the shopper shares name,
 * email, phone and address in the app, picks the delivery there and approves the total; the order is made
 * with them. The return page is vipps-return.tsx, as for any Vipps MobilePay payment. Mount it
 *
 * - on the product page, in src/modules/products/components/product-actions/index.tsx under the
 *   "Add to cart" button (take `region` from the props — ProductActions already receives it):
 *
 *     <VippsExpressButton region={region} variantId={selectedVariant?.id}
 *       disabled={!inStock || !selectedVariant || !!disabled || isAdding || !isValidVariant} />
 *
 * - in the cart, in src/modules/cart/templates/summary.tsx under "Go to checkout":
 *
 *     <VippsExpressButton region={cart.region!} cartId={cart.id} />
 *
 * It shows only when the region offers a Vipps MobilePay provider. The shopper accepts the terms of sale
 * before paying: set the provider options `termsOfSaleUrl` and `privacyPolicyUrl`, and the app shows them
 * and asks for acceptance (the sentence below the button says so).
 */
import { getVippsProviderOfRegion, startVippsExpress } from "@lib/data/vipps"
import { vippsExpressLabel } from "@lib/vipps"
import type { HttpTypes } from "@medusajs/types"
import ErrorMessage from "@modules/checkout/components/error-message"
import { useEffect, useState } from "react"
import { Button, Text } from "./ui"

export default function VippsExpressButton({
  region,
  variantId,
  quantity = 1,
  cartId,
  disabled = false,
}: {
  region: HttpTypes.StoreRegion
  /** Product page: the selected variant (a new cart is made for it). */
  variantId?: string
  quantity?: number
  /** Cart page: the shopper's cart. */
  cartId?: string
  disabled?: boolean
}) {
  const [providerId, setProviderId] = useState<string | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let current = true
    getVippsProviderOfRegion(region.id).then(
      (id) => current && setProviderId(id),
      () => current && setProviderId(null),
    )
    return () => {
      current = false
    }
  }, [region.id])

  if (!providerId) return null

  const buy = async () => {
    setSubmitting(true)
    setError(null)
    try {
      const input = cartId ? { cartId } : { variantId: variantId!, quantity, regionId: region.id }
      const express = await startVippsExpress(input, providerId)
      if (!express.redirect_url) throw new Error("Vipps MobilePay did not return a payment page")
      // A normal top-level navigation to the URL exactly as given: no iframe, no rewriting.
      window.location.assign(express.redirect_url)
    } catch (e) {
      // The store route answers in plain words, e.g. "No shipping option of this store can deliver this cart".
      setError(e instanceof Error ? e.message : String(e))
      setSubmitting(false)
    }
  }

  return (
    <div className="flex flex-col gap-y-1" data-testid="vipps-express">
      <Button
        variant="secondary"
        className="w-full h-10"
        disabled={disabled || (!cartId && !variantId)}
        isLoading={submitting}
        onClick={buy}
        data-testid="vipps-express-button"
        // Vipps MobilePay's brand colour; a style, so neither starter's button classes override it.
        style={{ backgroundColor: "#ff5b24", color: "#fff" }}
      >
        {vippsExpressLabel(region.currency_code)}
      </Button>
      <Text className="txt-compact-small text-ui-fg-subtle">
        Choose address and delivery in the app. You accept our terms of sale there before you pay.
      </Text>
      <ErrorMessage error={error} data-testid="vipps-express-error-message" />
    </div>
  )
}
