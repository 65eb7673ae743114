import { Button, Text, toast, usePrompt } from "@medusajs/ui"
import { useRef } from "react"
import { fromMinorUnits } from "../../lib/money"
import type { PaymentView } from "../../api/admin/vipps/payments/[id]/route"
import { useVippsPaymentActions } from "../lib/vipps-payments"
import { AmountForm } from "./amount-form"

/**
 * Capture an amount (prefilled with the uncaptured rest), capture the rest, or release it; and refund
 * where Medusa's payment section cannot (a partly captured or released payment). Captures and refunds are
 * Medusa's own (its rows, order transactions and events). One action at a time: every button is disabled
 * while one runs, and a second click is ignored.
 */
export function VippsPaymentActions({ view }: { view: PaymentView }) {
  const { currency, actions } = view
  const rest = `${actions.uncaptured.decimal} ${currency}`
  const { capture, release, refund, busy } = useVippsPaymentActions(view.payment_id)
  const running = useRef(false)
  const prompt = usePrompt()
  if (!actions.can_capture && !actions.can_release && !actions.can_refund) return null

  async function once(action: () => Promise<void>) {
    if (running.current) return
    running.current = true
    try {
      await action()
    } finally {
      running.current = false
    }
  }
  const show = (minor: number) => `${fromMinorUnits(minor, currency)} ${currency}`

  const doCapture = (minor: number) =>
    once(async () => {
      try {
        await capture.mutateAsync(Number(fromMinorUnits(minor, currency)))
        toast.success(`Captured ${show(minor)}`)
      } catch (error) {
        toast.error(`The capture of ${show(minor)} failed: ${message(error)}`)
      }
    })

  const doRelease = () =>
    once(async () => {
      const confirmed = await prompt({
        title: "Release the reservation?",
        description: `${rest} is released to the customer and can no longer be captured. This cannot be undone.`,
        confirmText: "Release",
        cancelText: "Keep it",
      })
      if (!confirmed) return
      try {
        const answer = await release.mutateAsync()
        toast.success(`Released ${answer.released.decimal} ${answer.released.currency}`)
      } catch (error) {
        toast.error(`The release failed: ${message(error)}`)
      }
    })

  const doRefund = (minor: number) =>
    once(async () => {
      const confirmed = await prompt({
        title: `Refund ${show(minor)}?`,
        description: `${show(minor)} goes back to the customer through Vipps MobilePay. This cannot be undone.`,
        confirmText: "Refund",
        cancelText: "Cancel",
      })
      if (!confirmed) return
      try {
        await refund.mutateAsync(Number(fromMinorUnits(minor, currency)))
        toast.success(`Refunded ${show(minor)}`)
      } catch (error) {
        toast.error(`The refund of ${show(minor)} failed: ${message(error)}`)
      }
    })

  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="vipps-payment-actions">
      {(actions.can_capture || actions.can_release) && (
        <Text size="small" weight="plus">
          {rest} not captured yet
        </Text>
      )}
      {actions.can_capture && (
        <AmountForm
          action="capture"
          currency={currency}
          suggested={actions.uncaptured.decimal}
          limit={actions.uncaptured.value}
          busy={busy}
          pending={capture.isPending}
          submitLabel="Capture"
          testId="vipps-capture"
          onSubmit={(minor) => void doCapture(minor)}
        />
      )}
      {(actions.can_capture || actions.can_release) && (
        <div className="flex flex-wrap gap-2">
          {actions.can_capture && (
            <Button
              size="small"
              variant="secondary"
              disabled={busy}
              onClick={() => void doCapture(actions.uncaptured.value)}
              data-testid="vipps-capture-rest"
            >
              Capture the rest ({rest})
            </Button>
          )}
          {actions.can_release && (
            <Button
              size="small"
              variant="secondary"
              disabled={busy}
              isLoading={release.isPending}
              onClick={() => void doRelease()}
              data-testid="vipps-release"
            >
              Release the rest
            </Button>
          )}
        </div>
      )}
      {actions.can_refund && (
        <AmountForm
          action="refund"
          currency={currency}
          suggested={actions.refundable.decimal}
          limit={actions.refundable.value}
          busy={busy}
          pending={refund.isPending}
          submitLabel="Refund"
          testId="vipps-refund"
          onSubmit={(minor) => void doRefund(minor)}
        />
      )}
    </div>
  )
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
