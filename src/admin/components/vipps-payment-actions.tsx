import { Button, Hint, Input, Label, Text, toast, usePrompt } from "@medusajs/ui"
import { useEffect, useId, useRef, useState } from "react"
import { fromMinorUnits } from "../../lib/money"
import type { PaymentView } from "../../api/admin/vipps/payments/[id]/route"
import { parseCaptureAmount } from "../lib/capture-amount"
import { useVippsPaymentActions } from "../lib/vipps-payments"

/**
 * Capture an amount (prefilled with the uncaptured rest), capture the rest, or release it. Captures are
 * Medusa's own (its capture rows, order transactions and events); refunds stay in Medusa's payment section.
 * One action at a time: every button is disabled while one runs, and a second click is ignored.
 */
export function VippsPaymentActions({ view }: { view: PaymentView }) {
  const { currency, actions } = view
  const uncaptured = actions.uncaptured.value
  const rest = `${actions.uncaptured.decimal} ${currency}`
  const { capture, release, busy } = useVippsPaymentActions(view.payment_id)
  const running = useRef(false)
  const prompt = usePrompt()
  const inputId = useId()
  const [amount, setAmount] = useState(actions.uncaptured.decimal)
  const [touched, setTouched] = useState(false)
  // A new rest (after a capture here or elsewhere) becomes the new suggestion.
  useEffect(() => {
    setAmount(actions.uncaptured.decimal)
    setTouched(false)
  }, [actions.uncaptured.decimal])

  if (!actions.can_capture && !actions.can_release) return null
  const parsed = parseCaptureAmount(amount, currency, uncaptured)
  const invalid = "error" in parsed ? parsed.error : null

  async function once(action: () => Promise<void>) {
    if (running.current) return
    running.current = true
    try {
      await action()
    } finally {
      running.current = false
    }
  }

  const doCapture = (minor: number) =>
    once(async () => {
      const label = `${fromMinorUnits(minor, currency)} ${currency}`
      try {
        await capture.mutateAsync(Number(fromMinorUnits(minor, currency)))
        toast.success(`Captured ${label}`)
      } catch (error) {
        toast.error(`The capture of ${label} failed: ${message(error)}`)
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

  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="vipps-payment-actions">
      <Text size="small" weight="plus">
        {rest} not captured yet
      </Text>
      {actions.can_capture && (
        <form
          className="flex flex-col gap-y-2"
          onSubmit={(event) => {
            event.preventDefault()
            setTouched(true)
            if (!invalid && "minor" in parsed) void doCapture(parsed.minor)
          }}
        >
          <Label htmlFor={inputId} size="xsmall" className="text-ui-fg-subtle">
            Amount to capture ({currency})
          </Label>
          <div className="flex gap-x-2">
            <Input
              id={inputId}
              size="small"
              inputMode="decimal"
              value={amount}
              aria-invalid={touched && !!invalid}
              data-testid="vipps-capture-amount"
              onChange={(event) => {
                setAmount(event.target.value)
                setTouched(true)
              }}
            />
            <Button
              size="small"
              type="submit"
              disabled={busy || !!invalid}
              isLoading={capture.isPending}
              data-testid="vipps-capture"
            >
              Capture
            </Button>
          </div>
          {touched && invalid && <Hint variant="error">{invalid}</Hint>}
        </form>
      )}
      <div className="flex flex-wrap gap-2">
        {actions.can_capture && (
          <Button
            size="small"
            variant="secondary"
            disabled={busy}
            onClick={() => void doCapture(uncaptured)}
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
    </div>
  )
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
