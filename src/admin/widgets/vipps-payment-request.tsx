import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, DetailWidgetProps } from "@medusajs/framework/types"
import { Alert, Button, Container, Copy, Heading, Input, Label, StatusBadge, Text } from "@medusajs/ui"
import { useEffect, useState } from "react"
import {
  usePaymentRequestActions,
  usePaymentRequests,
  usePaymentRequestState,
  type PaymentRequestView,
  type SendRequestBody,
} from "../lib/vipps-payment-requests"

/**
 * Order and draft order details, side column: "Request payment with Vipps MobilePay" for what the order
 * still owes (an order edit that added items, a phone or draft order). Staff choose push to the customer's
 * phone, a QR code to show at the counter, or a link to send; the request's state follows live (sent,
 * approved, declined, expired) and an open request can be withdrawn. Sending again replaces the open one.
 * Data: src/api/admin/vipps/orders/[id]/payment-requests and src/api/admin/vipps/payment-requests.
 */

const METHODS: { value: SendRequestBody["method"]; label: string; hint: string }[] = [
  { value: "push", label: "Phone", hint: "The customer gets the request in the app on this number." },
  {
    value: "qr",
    label: "QR code",
    hint: "Show the code at the counter; the customer scans it with the app.",
  },
  { value: "link", label: "Link", hint: "Copy the link into an e-mail or a text message to the customer." },
]

const STATE: Record<
  PaymentRequestView["state"],
  { label: string; tone: "green" | "orange" | "red" | "grey" | "blue" }
> = {
  sent: { label: "Waiting for the customer", tone: "orange" },
  approved: { label: "Approved", tone: "green" },
  paid: { label: "Paid", tone: "green" },
  rejected: { label: "Declined", tone: "red" },
  expired: { label: "Expired", tone: "grey" },
  cancelled: { label: "Cancelled", tone: "grey" },
  failed: { label: "Failed", tone: "red" },
}

const METHOD_LABEL: Record<string, string> = { push: "Phone", qr: "QR code", link: "Link" }

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error))

const VippsPaymentRequestWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const { data, error } = usePaymentRequests(order.id)
  const actions = usePaymentRequestActions(order.id)
  const latest = data?.requests[0]
  const live = usePaymentRequestState(order.id, latest?.reference, latest?.state === "sent")
  const current = live.data?.reference === latest?.reference ? (live.data ?? latest) : latest

  const [method, setMethod] = useState<SendRequestBody["method"]>("push")
  const [phone, setPhone] = useState("")
  const [registration, setRegistration] = useState("")
  useEffect(() => {
    if (data?.phone && !phone) setPhone(data.phone)
    if (data?.registrations[0] && !registration) setRegistration(data.registrations[0].id)
  }, [data, phone, registration])

  // Nothing to show on orders that owe nothing and never had a request.
  if (!data || (!data.can_request && data.requests.length === 0)) {
    return error ? (
      <Container className="px-6 py-4">
        <Alert variant="error">{errorText(error)}</Alert>
      </Container>
    ) : null
  }

  const send = () =>
    actions.send.mutate({
      registration,
      method,
      ...(method === "push" ? { phone_number: phone } : {}),
    })
  const failure = actions.send.error ?? actions.cancel.error

  return (
    <Container className="divide-y p-0" data-testid="vipps-payment-request-widget">
      <div className="flex flex-col gap-y-1 px-6 py-4">
        <Heading level="h2">Request payment with Vipps MobilePay</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {/* Medusa's "Outstanding amount" counts approved payments only once captured; this does not. */}
          Left to request:{" "}
          <span data-testid="vipps-request-outstanding">
            {data.outstanding.decimal} {data.outstanding.currency}
          </span>
        </Text>
      </div>

      {current && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="vipps-request-current">
          <div className="flex items-center justify-between gap-x-2">
            <StatusBadge color={STATE[current.state].tone} data-testid="vipps-request-state">
              {STATE[current.state].label}
            </StatusBadge>
            <Text size="small" className="text-ui-fg-subtle">
              {current.amount.decimal} {current.amount.currency} · {METHOD_LABEL[current.method]}
              {current.phone_hint ? ` ${current.phone_hint}` : ""}
            </Text>
          </div>
          <Text size="small">{current.message}</Text>
          {current.qr && (
            <img
              src={current.qr}
              alt="QR code for the customer to scan with the Vipps MobilePay app"
              className="mx-auto h-48 w-48"
              data-testid="vipps-request-qr"
            />
          )}
          {current.link && (
            <div className="flex items-center gap-x-2">
              <Input readOnly value={current.link} size="small" data-testid="vipps-request-link" />
              <Copy content={current.link} />
            </div>
          )}
          {current.expires_at && current.state === "sent" && (
            <Text size="small" className="text-ui-fg-subtle">
              Open until {new Date(current.expires_at).toLocaleString()}
            </Text>
          )}
          {current.state === "sent" && (
            <Button
              size="small"
              variant="secondary"
              onClick={() => actions.cancel.mutate(current.reference)}
              isLoading={actions.cancel.isPending}
              disabled={actions.busy}
              data-testid="vipps-request-cancel"
            >
              Cancel request
            </Button>
          )}
        </div>
      )}

      {data.can_request && (
        <div className="flex flex-col gap-y-3 px-6 py-4">
          <div className="flex gap-x-2" role="radiogroup" aria-label="How to reach the customer">
            {METHODS.map((m) => (
              <Button
                key={m.value}
                size="small"
                variant={method === m.value ? "primary" : "secondary"}
                role="radio"
                aria-checked={method === m.value}
                onClick={() => setMethod(m.value)}
                data-testid={`vipps-request-method-${m.value}`}
              >
                {m.label}
              </Button>
            ))}
          </div>
          <Text size="small" className="text-ui-fg-subtle">
            {METHODS.find((m) => m.value === method)?.hint}
          </Text>
          {method === "push" && (
            <div className="flex flex-col gap-y-1">
              <Label size="small" htmlFor="vipps-request-phone">
                Customer's phone (country code and number)
              </Label>
              <Input
                id="vipps-request-phone"
                size="small"
                inputMode="tel"
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
                placeholder="47 912 34 567"
                data-testid="vipps-request-phone"
              />
            </div>
          )}
          {data.registrations.length > 1 && (
            <div className="flex flex-col gap-y-1">
              <Label size="small" htmlFor="vipps-request-registration">
                Sales unit
              </Label>
              <select
                id="vipps-request-registration"
                className="bg-ui-bg-field shadow-borders-base txt-compact-small h-8 rounded-md px-2"
                value={registration}
                onChange={(e) => setRegistration(e.target.value)}
                data-testid="vipps-request-registration"
              >
                {data.registrations.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <Button
            size="small"
            onClick={send}
            isLoading={actions.send.isPending}
            disabled={actions.busy || !registration}
            data-testid="vipps-request-send"
          >
            {current?.state === "sent" ? "Send a new request instead" : "Request payment"} (
            {data.outstanding.decimal} {data.outstanding.currency})
          </Button>
        </div>
      )}

      {failure && (
        <div className="px-6 py-4">
          <Alert variant="error" data-testid="vipps-request-error">
            {errorText(failure)}
          </Alert>
        </div>
      )}

      {data.requests.length > 1 && (
        <div className="flex flex-col gap-y-1 px-6 py-4">
          <Text size="small" weight="plus">
            Earlier requests
          </Text>
          {data.requests.slice(1).map((r) => (
            <Text key={r.reference} size="small" className="text-ui-fg-subtle">
              {new Date(r.requested_at).toLocaleString()} · {METHOD_LABEL[r.method]} · {r.amount.decimal}{" "}
              {r.amount.currency} · {STATE[r.state].label}
            </Text>
          ))}
        </div>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: ["order.details.side.after", "draft_order.details.side.after"],
})

export default VippsPaymentRequestWidget
