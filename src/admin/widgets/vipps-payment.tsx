import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { AdminOrder, AdminPayment, DetailWidgetProps } from "@medusajs/framework/types"
import { Alert, Button, Container, Copy, Heading, StatusBadge, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import type { AdminVippsPaymentResponse, Money } from "../../api/admin/vipps/payments/[id]/route"
import { ExpressDetails } from "../components/express-details"
import { VippsPaymentActions } from "../components/vipps-payment-actions"
import { useVippsPayment } from "../lib/vipps-payments"

/**
 * Order details, side column: the Vipps MobilePay payment in the merchant's words (Reserved, Partly
 * captured, …), references, authorized / captured / refunded / cancelled
 * amounts on both sides, the event log, the capture deadline, a warning when Medusa and Vipps MobilePay
 * disagree — and the actions: capture an amount, capture the rest, release the rest, and refund where
 * Medusa's payment section offers no refund (partly captured or released payments); for Express, the
 * delivery chosen in the app and the address and contact the app shared. Data:
 * GET /admin/vipps/payments/:id (src/api/admin/vipps/payments/[id]/route.ts)
 * through Medusa's JS SDK (src/admin/lib/sdk.ts).
 */

const EVENT_LABEL: Record<string, string> = {
  CREATED: "Payment created",
  AUTHORIZED: "Approved by the customer",
  ABORTED: "Cancelled by the customer",
  EXPIRED: "Expired without approval",
  TERMINATED: "Stopped by the merchant",
  CAPTURED: "Captured",
  REFUNDED: "Refunded",
  CANCELLED: "Reservation released",
}

type PaymentView = AdminVippsPaymentResponse["vipps_payment"]

const BASIS_LABEL: Record<string, string> = {
  captureGuaranteedUntil: "Date guaranteed by Vipps MobilePay",
  "norway-180-days": "Norway: 180 days after authorization",
  "denmark-finland-14-days": "Denmark / Finland: 14 days after authorization",
}

const money = (m?: Money | null) => (m ? `${m.decimal} ${m.currency}` : "–")
const when = (iso: string) => new Date(iso).toLocaleString()
const day = (iso: string) => new Date(iso).toLocaleDateString()

function isVippsPayment(payment: AdminPayment): boolean {
  return typeof payment.provider_id === "string" && payment.provider_id.startsWith("pp_vipps_")
}

const VippsPaymentWidget = ({ data: order }: DetailWidgetProps<AdminOrder>) => {
  const payments = (order.payment_collections ?? [])
    .flatMap((collection) => collection.payments ?? [])
    .filter(isVippsPayment)
  if (payments.length === 0) return null
  return (
    <>
      {payments.map((payment) => (
        <VippsPaymentCard key={payment.id} payment={payment} />
      ))}
    </>
  )
}

function VippsPaymentCard({ payment }: { payment: AdminPayment }) {
  // Medusa's record of the payment: when a capture, refund or cancel changes it, the panel reloads.
  const medusaVersion = JSON.stringify([
    payment.captured_at,
    payment.canceled_at,
    payment.captures?.length,
    payment.refunds?.length,
  ])
  const { data, error, isFetching, refetch } = useVippsPayment(payment.id, medusaVersion)
  const view = data?.vipps_payment
  return (
    <Container className="divide-y p-0" data-testid="vipps-payment-widget">
      <div className="flex flex-col gap-y-2 px-6 py-4">
        <div className="flex items-center justify-between gap-x-2">
          <Heading level="h2">Vipps MobilePay</Heading>
          <Button size="small" variant="secondary" onClick={() => void refetch()} isLoading={isFetching}>
            Refresh
          </Button>
        </div>
        {view?.status && (
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <StatusBadge color={view.status.tone} data-testid="vipps-payment-status">
              {view.status.label}
            </StatusBadge>
          </div>
        )}
        {view?.status?.detail && (
          <Text size="small" className="text-ui-fg-subtle">
            {view.status.detail}
          </Text>
        )}
      </div>

      {error && (
        <div className="px-6 py-4">
          <Alert variant="error">Could not load the Vipps MobilePay payment: {error.message}</Alert>
        </div>
      )}
      {!view && !error && (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-subtle">
            Loading…
          </Text>
        </div>
      )}
      {view && <PaymentDetails view={view} />}
    </Container>
  )
}

function PaymentDetails({ view }: { view: PaymentView }) {
  const { vipps, medusa } = view
  return (
    <>
      {view.discrepancies.length > 0 && (
        <div className="px-6 py-4">
          <Alert variant="warning">
            <Text size="small" weight="plus">
              Medusa and Vipps MobilePay disagree about this payment
            </Text>
            <ul className="mt-1 list-disc pl-4">
              {view.discrepancies.map((d, i) => (
                <li key={i}>
                  <Text size="small">{d.message}</Text>
                </li>
              ))}
            </ul>
            <Text size="small" className="mt-1">
              Check the order's payments before capturing or refunding.
            </Text>
          </Alert>
        </div>
      )}
      {view.error && (
        <div className="px-6 py-4">
          <Alert variant="error">{view.error}</Alert>
        </div>
      )}

      <VippsPaymentActions view={view} />

      {view.express && <ExpressDetails express={view.express} />}

      <div className="flex flex-col gap-y-2 px-6 py-4">
        <Row label="Reference">
          <span className="flex items-center gap-x-1">
            <Text size="small" family="mono" className="break-all">
              {view.reference}
            </Text>
            <Copy content={view.reference} variant="mini" />
          </span>
        </Row>
        {vipps && (
          <Row label="PSP reference">
            <Text size="small" family="mono">
              {vipps.psp_reference}
            </Text>
          </Row>
        )}
      </div>

      <div className="px-6 py-4">
        <div className="grid grid-cols-3 gap-y-1">
          <Text size="small" className="text-ui-fg-subtle" />
          <Text size="small" weight="plus" className="text-right">
            Vipps MobilePay
          </Text>
          <Text size="small" weight="plus" className="text-right">
            Medusa
          </Text>
          <AmountRow label="Authorized" vipps={vipps?.authorized} medusa={medusa.amount} />
          <AmountRow label="Captured" vipps={vipps?.captured} medusa={medusa.captured} />
          <AmountRow label="Refunded" vipps={vipps?.refunded} medusa={medusa.refunded} />
          <AmountRow label="Cancelled" vipps={vipps?.cancelled} />
          <AmountRow label="Still reserved" vipps={vipps?.capturable} />
        </div>
      </div>

      {view.capture_deadline && <Deadline deadline={view.capture_deadline} />}

      <div className="px-6 py-4">
        <Text size="small" weight="plus" className="mb-2">
          Event log
        </Text>
        {view.events.length === 0 ? (
          <Text size="small" className="text-ui-fg-subtle">
            No events.
          </Text>
        ) : (
          <ol className="flex flex-col">
            {view.events.map((event, i) => (
              <li key={`${event.psp_reference}-${i}`} className="flex gap-x-3">
                <div className="flex flex-col items-center">
                  <span
                    className={`mt-1.5 size-2 rounded-full ${event.success ? "bg-ui-tag-green-icon" : "bg-ui-tag-red-icon"}`}
                  />
                  {i < view.events.length - 1 && <span className="w-px flex-1 bg-ui-border-base" />}
                </div>
                <div className="flex flex-1 flex-col pb-3">
                  <div className="flex justify-between gap-x-2">
                    <Text size="small" weight="plus">
                      {EVENT_LABEL[event.name] ?? event.name}
                      {!event.success && " (failed)"}
                    </Text>
                    <Text size="small">{money(event.amount)}</Text>
                  </div>
                  <Text size="xsmall" className="text-ui-fg-subtle">
                    {when(event.timestamp)}
                    {!event.by_api && !["CREATED", "AUTHORIZED", "ABORTED", "EXPIRED"].includes(event.name)
                      ? " · not through Medusa"
                      : ""}
                  </Text>
                </div>
              </li>
            ))}
          </ol>
        )}
        <Text size="xsmall" className="mt-2 text-ui-fg-muted">
          Captures, releases and refunds here are recorded by Medusa. A fully captured payment is refunded
          from the order's payment section.
        </Text>
      </div>
    </>
  )
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex items-start justify-between gap-x-4">
      <Text size="small" className="text-ui-fg-subtle">
        {label}
      </Text>
      {children}
    </div>
  )
}

function AmountRow({ label, vipps, medusa }: { label: string; vipps?: Money; medusa?: Money }) {
  const differs = !!vipps && !!medusa && vipps.value !== medusa.value
  return (
    <>
      <Text size="small" className="text-ui-fg-subtle">
        {label}
      </Text>
      <Text size="small" className={`text-right ${differs ? "text-ui-fg-error" : ""}`}>
        {money(vipps)}
      </Text>
      <Text size="small" className={`text-right ${differs ? "text-ui-fg-error" : "text-ui-fg-subtle"}`}>
        {medusa ? money(medusa) : ""}
      </Text>
    </>
  )
}

function Deadline({ deadline }: { deadline: NonNullable<PaymentView["capture_deadline"]> }) {
  const text = deadline.passed
    ? `The capture deadline passed on ${day(deadline.at)}: the reservation is no longer guaranteed.`
    : `Capture by ${day(deadline.at)} (${deadline.days_left} day${deadline.days_left === 1 ? "" : "s"} left).`
  const variant = deadline.passed ? "error" : deadline.days_left <= 3 ? "warning" : "info"
  return (
    <div className="px-6 py-4">
      <Alert variant={variant}>
        <Text size="small" weight="plus">
          {text}
        </Text>
        <Text size="xsmall">{BASIS_LABEL[deadline.basis] ?? deadline.basis}</Text>
      </Alert>
    </div>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
})

export default VippsPaymentWidget
