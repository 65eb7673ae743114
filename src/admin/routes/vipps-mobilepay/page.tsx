import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ExclamationCircle } from "@medusajs/icons"
import { Badge, Button, Container, Heading, Table, Text } from "@medusajs/ui"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { AdminVippsAttentionResponse } from "../../../api/admin/vipps/attention/route"
import type { WebhookHealth } from "../../../sync/webhook-health"
import { fromMinorUnits } from "../../../lib/money"
import { sdk } from "../../lib/sdk"

/** Merchant words for why a payment is listed. */
const REASONS: Record<string, { label: string; color: "red" | "orange" | "grey" }> = {
  released_unorderable: { label: "Released: order failed", color: "orange" },
  movement_after_cancel: { label: "Charged after cancel", color: "red" },
  released_outside_medusa: { label: "Released at Vipps MobilePay", color: "orange" },
  unresolved: { label: "Out of step", color: "red" },
}

const minor = (value: number | undefined, currency: string | undefined) =>
  value === undefined || !currency ? "–" : `${fromMinorUnits(value, currency)} ${currency}`

/** Merchant words for whether Vipps MobilePay still sends a registration's payment updates. */
const WEBHOOKS: Record<
  WebhookHealth["status"],
  { label: string; color: "green" | "orange" | "red" | "grey"; help: string }
> = {
  registered: { label: "Receiving updates", color: "green", help: "" },
  incomplete: {
    label: "Some updates missing",
    color: "orange",
    help: "Vipps MobilePay sends only some payment updates to this store. Register the webhook again.",
  },
  missing: {
    label: "Not registered",
    color: "red",
    help:
      "Vipps MobilePay sends no payment updates to this store (it deletes a webhook that did not answer for " +
      "two weeks). Orders still appear through polling, but later. Register the webhook again.",
  },
  no_secret: {
    label: "Not set up",
    color: "grey",
    help: "No webhook secret is configured: payments are picked up by polling only.",
  },
  unknown: {
    label: "Could not check",
    color: "grey",
    help: "Vipps MobilePay's webhook service did not answer; the plugin tries again in a few minutes.",
  },
}

/** `epayments.payment.captured.v1` → `captured` */
const eventWord = (event: string) => event.split(".")[2] ?? event

/** The admin page that lists the Vipps MobilePay payments staff must look at. */
const VippsAttentionPage = () => {
  const { data, isLoading, error } = useQuery({
    queryKey: ["vipps-attention"],
    queryFn: () => sdk.client.fetch<AdminVippsAttentionResponse>("/admin/vipps/attention"),
    refetchInterval: 30_000,
  })
  const queryClient = useQueryClient()
  const recheck = useMutation({
    mutationFn: () => sdk.client.fetch("/admin/vipps/webhooks/check", { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["vipps-attention"] }),
  })
  const link = (orderId: string | null, fallback: string) =>
    orderId ? <a href={`/app/orders/${orderId}`}>{orderId}</a> : <Text size="small">{fallback}</Text>

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <div className="px-6 py-4">
          <Heading>Vipps MobilePay: needs attention</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Payments the plugin could not settle on its own. Each line says what happened and what to do.
          </Text>
        </div>
        {isLoading && <Text className="px-6 py-4">Loading…</Text>}
        {error && (
          <Text className="px-6 py-4 text-ui-fg-error">
            Could not load the list: {(error as Error).message}
          </Text>
        )}
        {data && data.flagged.length === 0 && (
          <Text className="px-6 py-4">
            Nothing needs attention. Every payment agrees with Vipps MobilePay.
          </Text>
        )}
        {data && data.flagged.length > 0 && (
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>What</Table.HeaderCell>
                <Table.HeaderCell>Order</Table.HeaderCell>
                <Table.HeaderCell>Vipps MobilePay</Table.HeaderCell>
                <Table.HeaderCell>Medusa</Table.HeaderCell>
                <Table.HeaderCell>Details</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {data.flagged.map((item) => {
                const reason = REASONS[item.reason] ?? REASONS.unresolved
                return (
                  <Table.Row key={item.session_id}>
                    <Table.Cell>
                      <Badge color={reason.color} size="2xsmall">
                        {reason.label}
                      </Badge>
                      <Text size="xsmall" className="text-ui-fg-muted">
                        {new Date(item.flagged_at).toLocaleString()}
                      </Text>
                    </Table.Cell>
                    <Table.Cell>{link(item.order_id, "no order")}</Table.Cell>
                    <Table.Cell>
                      <Text size="small">captured {minor(item.vipps?.captured, item.vipps?.currency)}</Text>
                      <Text size="small">refunded {minor(item.vipps?.refunded, item.vipps?.currency)}</Text>
                      <Text size="small">released {minor(item.vipps?.cancelled, item.vipps?.currency)}</Text>
                    </Table.Cell>
                    <Table.Cell>
                      <Text size="small">captured {minor(item.medusa?.captured, item.medusa?.currency)}</Text>
                      <Text size="small">refunded {minor(item.medusa?.refunded, item.medusa?.currency)}</Text>
                    </Table.Cell>
                    <Table.Cell className="max-w-[420px] whitespace-normal">
                      <Text size="small">{item.message}</Text>
                      <Text size="xsmall" className="text-ui-fg-muted">
                        {item.reference}
                      </Text>
                    </Table.Cell>
                  </Table.Row>
                )
              })}
            </Table.Body>
          </Table>
        )}
      </Container>
      {data && data.capture_deadlines.length > 0 && (
        <Container className="divide-y p-0">
          <div className="px-6 py-4">
            <Heading level="h2">Capture soon</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              Reserved amounts Vipps MobilePay stops guaranteeing within 7 days: capture them (or release
              them).
            </Text>
          </div>
          <Table>
            <Table.Body>
              {data.capture_deadlines.map((item) => (
                <Table.Row key={item.payment_id}>
                  <Table.Cell>{link(item.order_id, item.reference)}</Table.Cell>
                  <Table.Cell>
                    {item.days_left === 0
                      ? "today"
                      : `${item.days_left} day${item.days_left === 1 ? "" : "s"}`}
                  </Table.Cell>
                  <Table.Cell>{new Date(item.capture_deadline).toLocaleDateString()}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </Container>
      )}
      {data && data.webhooks.length > 0 && (
        <Container className="divide-y p-0">
          <div className="flex items-center justify-between px-6 py-4">
            <div>
              <Heading level="h2">Payment updates (webhooks)</Heading>
              <Text size="small" className="text-ui-fg-subtle">
                Checked every hour. Register a webhook with{" "}
                <code>npx medusa exec …/vipps-webhooks.js register &lt;registration&gt; &lt;URL&gt;</code>.
              </Text>
            </div>
            <Button
              size="small"
              variant="secondary"
              isLoading={recheck.isPending}
              onClick={() => recheck.mutate()}
            >
              Check now
            </Button>
          </div>
          <Table>
            <Table.Body>
              {data.webhooks.map((item) => {
                const state = WEBHOOKS[item.status]
                return (
                  <Table.Row key={item.provider_id}>
                    <Table.Cell>{item.provider_id}</Table.Cell>
                    <Table.Cell>
                      <Badge color={state.color} size="2xsmall">
                        {state.label}
                      </Badge>
                    </Table.Cell>
                    <Table.Cell className="max-w-[480px] whitespace-normal">
                      {state.help && <Text size="small">{state.help}</Text>}
                      {item.missing_events.length > 0 && item.status === "incomplete" && (
                        <Text size="xsmall" className="text-ui-fg-muted">
                          Missing: {item.missing_events.map(eventWord).join(", ")}
                        </Text>
                      )}
                      {item.url && (
                        <Text size="xsmall" className="text-ui-fg-muted">
                          {item.url}
                        </Text>
                      )}
                    </Table.Cell>
                  </Table.Row>
                )
              })}
            </Table.Body>
          </Table>
        </Container>
      )}
    </div>
  )
}

export const config = defineRouteConfig({
  label: "Vipps MobilePay",
  icon: ExclamationCircle,
})

export default VippsAttentionPage
