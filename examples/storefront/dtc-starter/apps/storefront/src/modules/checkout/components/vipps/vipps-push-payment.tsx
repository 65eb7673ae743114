"use client"

/**
 * Send the payment request straight to the customer's app (userFlow PUSH_MESSAGE): for a till, a kiosk
 * or a call centre where the customer tells their number. Vipps MobilePay's rule: only use a number the
 * shop already knows or is given in person; never ask online shoppers to type it (WEB_REDIRECT does that
 * on the landing page). The sales unit must be approved for push messages.
 */
import { startVippsMobilePayPayment } from "@lib/data/vipps"
import type { VippsSessionData } from "@lib/vipps"
import type { HttpTypes } from "@medusajs/types"
import { useState } from "react"
import { Button, Input, Label, Text } from "./ui"
import { useVippsOutcome } from "./use-vipps-outcome"

export default function VippsPushPayment({
  cart,
  providerId = "pp_vipps_vipps",
  countryPrefix = "47",
}: {
  cart: HttpTypes.StoreCart
  providerId?: string
  /** 47 Norway, 45 Denmark, 358 Finland. */
  countryPrefix?: string
}) {
  const [phone, setPhone] = useState("")
  const [session, setSession] = useState<VippsSessionData | null>(null)
  const [error, setError] = useState<string | null>(null)
  const outcome = useVippsOutcome(session?.reference, cart.id)

  const send = async () => {
    setError(null)
    // MSISDN: country code and number, digits only, e.g. 4791234567. The plugin validates it (400 if not).
    const digits = phone.replace(/\D/g, "")
    const phoneNumber =
      digits.startsWith(countryPrefix) && digits.length > 8 ? digits : `${countryPrefix}${digits}`
    try {
      setSession(
        await startVippsMobilePayPayment(cart, providerId, { userFlow: "PUSH_MESSAGE", phoneNumber }),
      )
    } catch (e) {
      // Do not tell the customer their number is wrong when Vipps MobilePay refuses it (error 7010).
      setError(e instanceof Error ? e.message : String(e))
    }
  }

  if (!session || outcome.kind === "failed" || outcome.kind === "expired") {
    return (
      <div className="flex flex-col gap-y-2">
        <Label htmlFor="vipps-phone">Mobile number</Label>
        <Input
          id="vipps-phone"
          type="tel"
          autoComplete="tel"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
        />
        <Button onClick={send} disabled={phone.replace(/\D/g, "").length < 8}>
          Send payment request
        </Button>
        {error && <Text className="text-ui-fg-error">{error}</Text>}
        {outcome.kind === "failed" && <Text className="text-ui-fg-error">{outcome.message}</Text>}
        {outcome.kind === "expired" && <Text>The request expired. Send a new one.</Text>}
      </div>
    )
  }
  return (
    <Text>
      {outcome.kind === "placing"
        ? "Approved. Placing the order…"
        : "We sent a payment request to the Vipps / MobilePay app. Approve it there; this page updates by itself."}
    </Text>
  )
}
