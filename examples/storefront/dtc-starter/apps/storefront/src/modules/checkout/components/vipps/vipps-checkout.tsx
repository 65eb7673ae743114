"use client"

/**
 * The review step's mount point for Vipps MobilePay. In
 * src/modules/checkout/components/payment-button/index.tsx add a case before the default:
 *
 *   case isVippsMobilePay(paymentSession?.provider_id):
 *     return <VippsCheckout cart={cart} notReady={notReady} data-testid={dataTestId} />
 *
 * It shows the "Pay with Vipps" button (the shopper is sent to Vipps MobilePay and comes back to
 * /vipps/return). With NEXT_PUBLIC_VIPPS_QR=true a desktop shopper may show a QR code to scan instead;
 * with NEXT_PUBLIC_VIPPS_PUSH=true (a till or kiosk build only) staff can send the request to the number
 * the customer tells them. Both then wait on this page and place the order when the payment is approved.
 */
import { isVippsMobilePay, VIPPS_PUSH_ENABLED, VIPPS_QR_ENABLED } from "@lib/vipps"
import type { HttpTypes } from "@medusajs/types"
import { useState } from "react"
import { Button } from "./ui"
import VippsPaymentButton from "./vipps-payment-button"
import VippsPushPayment from "./vipps-push-payment"
import VippsQrPayment from "./vipps-qr-payment"

type Flow = "redirect" | "qr" | "push"

export default function VippsCheckout({
  cart,
  notReady,
  "data-testid": dataTestId,
}: {
  cart: HttpTypes.StoreCart
  notReady: boolean
  "data-testid"?: string
}) {
  const [flow, setFlow] = useState<Flow>("redirect")
  const providerId =
    cart.payment_collection?.payment_sessions?.find((s) => isVippsMobilePay(s.provider_id))?.provider_id ??
    "pp_vipps_vipps"
  const others: { flow: Flow; label: string }[] = [
    ...(flow !== "redirect" ? [{ flow: "redirect" as const, label: "Pay on this device instead" }] : []),
    ...(VIPPS_QR_ENABLED && flow !== "qr" ? [{ flow: "qr" as const, label: "Show a QR code instead" }] : []),
    ...(VIPPS_PUSH_ENABLED && flow !== "push"
      ? [{ flow: "push" as const, label: "Send to the customer's phone" }]
      : []),
  ]

  return (
    <div className="flex flex-col gap-y-3" data-testid="vipps-checkout">
      {flow === "redirect" && <VippsPaymentButton cart={cart} notReady={notReady} data-testid={dataTestId} />}
      {flow === "qr" && <VippsQrPayment cart={cart} providerId={providerId} />}
      {flow === "push" && <VippsPushPayment cart={cart} providerId={providerId} />}
      {!notReady &&
        others.map((other) => (
          <Button key={other.flow} variant="transparent" size="small" onClick={() => setFlow(other.flow)}>
            {other.label}
          </Button>
        ))}
    </div>
  )
}
