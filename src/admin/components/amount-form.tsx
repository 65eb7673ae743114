import { Button, Hint, Input, Label } from "@medusajs/ui"
import { useEffect, useId, useState } from "react"
import { parseAmount } from "../lib/capture-amount"

/**
 * An amount field with its submit button, prefilled with `suggested` (major units) and validated against
 * `limit` (minor units) as the merchant types: nothing is submitted that Vipps MobilePay would refuse.
 */
export function AmountForm({
  action,
  currency,
  suggested,
  limit,
  busy,
  pending,
  submitLabel,
  testId,
  onSubmit,
}: {
  action: "capture" | "refund"
  currency: string
  suggested: string
  limit: number
  busy: boolean
  pending: boolean
  submitLabel: string
  testId: string
  onSubmit: (minor: number) => void
}) {
  const inputId = useId()
  const [amount, setAmount] = useState(suggested)
  const [touched, setTouched] = useState(false)
  // A new limit (after an action here or elsewhere) brings a new suggestion.
  useEffect(() => {
    setAmount(suggested)
    setTouched(false)
  }, [suggested])

  const parsed = parseAmount(amount, currency, limit, action)
  const invalid = "error" in parsed ? parsed.error : null
  return (
    <form
      className="flex flex-col gap-y-2"
      onSubmit={(event) => {
        event.preventDefault()
        setTouched(true)
        if ("minor" in parsed) onSubmit(parsed.minor)
      }}
    >
      <Label htmlFor={inputId} size="xsmall" className="text-ui-fg-subtle">
        Amount to {action} ({currency})
      </Label>
      <div className="flex gap-x-2">
        <Input
          id={inputId}
          size="small"
          inputMode="decimal"
          value={amount}
          aria-invalid={touched && !!invalid}
          data-testid={`${testId}-amount`}
          onChange={(event) => {
            setAmount(event.target.value)
            setTouched(true)
          }}
        />
        <Button
          size="small"
          type="submit"
          variant={action === "refund" ? "secondary" : "primary"}
          disabled={busy || !!invalid}
          isLoading={pending}
          data-testid={testId}
        >
          {submitLabel}
        </Button>
      </div>
      {touched && invalid && <Hint variant="error">{invalid}</Hint>}
    </form>
  )
}
