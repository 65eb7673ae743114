"use client"

/**
 * The return page's client part: the shopper arrives from Vipps MobilePay at the provider's returnUrl,
 * e.g. https://shop.example.com/vipps/return?reference={reference}&cart_id={cart_id} (the starter's
 * middleware adds the country code and keeps the query; the plugin appends `vipps_token`). It may open in
 * another browser or tab without the cart cookie, so everything comes from the URL — the token proves
 * the page may learn the payment's cart — and the outcome is read from the store API, never from the
 * redirect itself.
 */
import { getVippsMobilePayStatus, placeVippsOrder } from "@lib/data/vipps"
import LocalizedClientLink from "@modules/common/components/localized-client-link"
import { useEffect, useState } from "react"
import { Button, Heading, Text } from "./ui"

type View =
  { kind: "checking" } | { kind: "waiting" } | { kind: "failed"; message: string } | { kind: "slow" }

const POLL_MS = 2_000
const GIVE_UP_MS = 10 * 60_000 // a payment request expires after 10 minutes

export default function VippsReturn({
  reference,
  cartId,
  token,
}: {
  reference?: string
  cartId?: string
  /** `vipps_token` from the return URL. */
  token?: string
}) {
  const [view, setView] = useState<View>({ kind: "checking" })

  useEffect(() => {
    if (!reference) {
      setView({ kind: "failed", message: "The link has no payment reference." })
      return
    }
    let stopped = false
    const started = Date.now()
    const check = async () => {
      try {
        const payment = await getVippsMobilePayStatus(reference, token)
        if (stopped) return
        if (payment.status === "authorized") {
          // Completing is idempotent: if the webhook already created the order, this returns it.
          // placeVippsOrder redirects to /[countryCode]/order/[id]/confirmed.
          const id = cartId ?? payment.cart_id
          const cart = id ? await placeVippsOrder(id) : undefined
          if (cart || !id)
            setView({ kind: "failed", message: "The order could not be placed. Please contact us." })
          return
        }
        if (payment.status === "failed") {
          setView({ kind: "failed", message: payment.failure_reason ?? "The payment did not go through." })
          return
        }
        if (Date.now() - started > GIVE_UP_MS) {
          setView({ kind: "slow" })
          return
        }
        setView({ kind: "waiting" })
        setTimeout(check, POLL_MS)
      } catch (e) {
        // The order page's redirect is thrown as a special error that Next.js handles; rethrow it.
        if (e && typeof e === "object" && "digest" in e) throw e
        if (!stopped) setView({ kind: "failed", message: e instanceof Error ? e.message : String(e) })
      }
    }
    void check()
    return () => {
      stopped = true
    }
  }, [reference, cartId, token])

  return (
    <div className="content-container flex flex-col items-center gap-y-4 py-24 text-center">
      {view.kind === "checking" && <Heading level="h1">Checking your payment…</Heading>}
      {view.kind === "waiting" && (
        <>
          <Heading level="h1">Waiting for approval</Heading>
          <Text>Approve the payment in the Vipps or MobilePay app. This page updates by itself.</Text>
        </>
      )}
      {view.kind === "slow" && (
        <>
          <Heading level="h1">We have not seen the approval yet</Heading>
          <Text>
            Your cart is kept. If you approved the payment, your order confirmation will arrive by email.
          </Text>
        </>
      )}
      {view.kind === "failed" && (
        <>
          <Heading level="h1">The payment did not go through</Heading>
          <Text data-testid="vipps-failure-reason">{view.message}</Text>
          <LocalizedClientLink href="/checkout?step=review">
            <Button variant="secondary">Try again</Button>
          </LocalizedClientLink>
        </>
      )}
    </div>
  )
}
