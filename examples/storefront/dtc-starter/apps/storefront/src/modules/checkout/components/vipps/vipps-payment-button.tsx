"use client"

/**
 * "Pay with Vipps" / "Pay with MobilePay": starts a fresh payment for the cart's total and sends the
 * shopper to Vipps MobilePay (WEB_REDIRECT). Rendered by vipps-checkout.tsx, the review step's mount point.
 * The review step's text above it (vipps-terms.tsx) is where the shopper accepts the terms of sale, which
 * must happen before the payment is started.
 */
import { startVippsMobilePayPayment } from "@lib/data/vipps"
import { isVippsMobilePay, vippsMobilePayLabel } from "@lib/vipps"
import type { HttpTypes } from "@medusajs/types"
import ErrorMessage from "@modules/checkout/components/error-message"
import { useState } from "react"
import { Button } from "./ui"

export default function VippsPaymentButton({
  cart,
  notReady,
  "data-testid": dataTestId,
}: {
  cart: HttpTypes.StoreCart
  notReady: boolean
  "data-testid"?: string
}) {
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const providerId =
    cart.payment_collection?.payment_sessions?.find((s) => isVippsMobilePay(s.provider_id))?.provider_id ??
    "pp_vipps_vipps"

  const pay = async () => {
    setSubmitting(true)
    setError(null)
    try {
      // A fresh payment for the current total (the one made at the payment step may have expired).
      const session = await startVippsMobilePayPayment(cart, providerId)
      if (!session.redirectUrl) throw new Error("Vipps MobilePay did not return a payment page")
      // A normal top-level navigation to the URL exactly as given: no iframe, no rewriting.
      window.location.assign(session.redirectUrl)
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
      setSubmitting(false)
    }
  }

  return (
    <>
      <Button
        size="large"
        disabled={notReady}
        isLoading={submitting}
        onClick={pay}
        data-testid={dataTestId}
        // Vipps MobilePay's brand colour; a style, so neither starter's button classes override it.
        style={{ backgroundColor: "#ff5b24", color: "#fff" }}
      >
        {vippsMobilePayLabel(cart.currency_code)}
      </Button>
      <ErrorMessage error={error} data-testid="vipps-payment-error-message" />
    </>
  )
}
