"use client"

/**
 * Pay by scanning a QR code (userFlow QR): for a customer-facing screen, a kiosk, or a desktop checkout
 * that prefers a code to the phone-number landing page. The QR is one-time and valid for 10 minutes.
 */
import { startVippsMobilePayPayment } from "@lib/data/vipps"
import type { VippsSessionData } from "@lib/vipps"
import type { HttpTypes } from "@medusajs/types"
import { useState } from "react"
import { Button, Text } from "./ui"
import { useVippsOutcome } from "./use-vipps-outcome"

export default function VippsQrPayment({
  cart,
  providerId = "pp_vipps_vipps",
  inStore = false,
}: {
  cart: HttpTypes.StoreCart
  providerId?: string
  /** At a physical till or kiosk: Vipps MobilePay requires CUSTOMER_PRESENT there. */
  inStore?: boolean
}) {
  const [session, setSession] = useState<VippsSessionData | null>(null)
  const [error, setError] = useState<string | null>(null)
  const outcome = useVippsOutcome(session?.reference, cart.id)

  const show = async () => {
    setError(null)
    try {
      setSession(
        await startVippsMobilePayPayment(cart, providerId, {
          userFlow: "QR",
          qrFormat: "IMAGE/SVG+XML",
          ...(inStore ? { customerInteraction: "CUSTOMER_PRESENT" } : {}),
        }),
      )
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }

  if (!session) {
    return (
      <>
        <Button onClick={show}>Show QR code</Button>
        {error && <Text className="text-ui-fg-error">{error}</Text>}
      </>
    )
  }
  return (
    <div className="flex flex-col items-center gap-y-3">
      {/* For QR payments redirectUrl is the QR image itself, served by Vipps MobilePay. To serve it from the
          store's own origin instead, fetch /store/vipps/payments/:reference/qr with the publishable key
          header and show the blob (an <img src> cannot send that header). */}
      <img src={session.redirectUrl} alt="Scan with the Vipps or MobilePay app" width={256} height={256} />
      {outcome.kind === "waiting" && <Text>Scan the code with the Vipps or MobilePay app and approve.</Text>}
      {outcome.kind === "placing" && <Text>Approved. Placing your order…</Text>}
      {outcome.kind === "failed" && <Text className="text-ui-fg-error">{outcome.message}</Text>}
      {outcome.kind === "expired" && <Text>The code has expired.</Text>}
      {(outcome.kind === "failed" || outcome.kind === "expired") && (
        <Button onClick={show}>New QR code</Button>
      )}
    </div>
  )
}
