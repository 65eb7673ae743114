"use client"

import { placeOrder } from "@lib/data/cart"
import { getVippsMobilePayStatus } from "@lib/data/vipps"
import { useEffect, useState } from "react"

export type VippsOutcome =
  { kind: "waiting" } | { kind: "failed"; message: string } | { kind: "expired" } | { kind: "placing" }

/**
 * Polls `GET /store/vipps/payments/:reference` every 2 seconds (the ePayment polling guideline) until the
 * payment is approved (then places the order; placeOrder redirects to the confirmation page), fails
 * (with the plugin's shopper-facing `failure_reason`) or the 10-minute payment window has passed.
 */
export function useVippsOutcome(reference: string | undefined, cartId: string): VippsOutcome {
  const [outcome, setOutcome] = useState<VippsOutcome>({ kind: "waiting" })
  useEffect(() => {
    if (!reference) return
    let stopped = false
    const started = Date.now()
    const check = async () => {
      if (stopped) return
      try {
        const payment = await getVippsMobilePayStatus(reference)
        if (payment.status === "authorized") {
          setOutcome({ kind: "placing" })
          await placeOrder(cartId)
          return
        }
        if (payment.status === "failed") {
          setOutcome({ kind: "failed", message: payment.failure_reason ?? "The payment did not go through." })
          return
        }
        if (Date.now() - started > 10 * 60_000) {
          setOutcome({ kind: "expired" })
          return
        }
      } catch (e) {
        if (e && typeof e === "object" && "digest" in e) throw e // Next.js redirect
        // A network hiccup: keep polling; the payment's state lives at Vipps MobilePay, not here.
      }
      setTimeout(check, 2_000)
    }
    const first = setTimeout(check, 2_000)
    return () => {
      stopped = true
      clearTimeout(first)
    }
  }, [reference, cartId])
  return outcome
}
