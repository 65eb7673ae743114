import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { AdminVippsPaymentResponse } from "../../api/admin/vipps/payments/[id]/route"
import type { AdminVippsReleaseResponse } from "../../api/admin/vipps/payments/[id]/release/route"
import { sdk } from "./sdk"

/**
 * The plugin's view of one payment (`GET /admin/vipps/payments/:id`). `medusaVersion` changes with
 * Medusa's own record of the payment, so a refund or capture made in Medusa's payment section reloads it.
 */
export function useVippsPayment(paymentId: string, medusaVersion = "") {
  return useQuery({
    queryKey: ["vipps-payment", paymentId, medusaVersion],
    placeholderData: (previous) => previous,
    queryFn: () =>
      sdk.client.fetch<AdminVippsPaymentResponse>(`/admin/vipps/payments/${encodeURIComponent(paymentId)}`),
  })
}

/**
 * Medusa's own capture (`POST /admin/payments/:id/capture`, capturePaymentWorkflow) and refund
 * (`POST /admin/payments/:id/refund`, refundPaymentWorkflow) with an amount, and the plugin's release.
 * Afterwards every query of the page reloads: Medusa's payment section and this widget.
 */
export function useVippsPaymentActions(paymentId: string) {
  const queryClient = useQueryClient()
  const refresh = () => queryClient.invalidateQueries()
  const capture = useMutation({
    mutationFn: (amount: number) => sdk.admin.payment.capture(paymentId, { amount }),
    onSettled: refresh,
  })
  const refund = useMutation({
    mutationFn: (amount: number) => sdk.admin.payment.refund(paymentId, { amount }),
    onSettled: refresh,
  })
  const release = useMutation({
    mutationFn: () =>
      sdk.client.fetch<AdminVippsReleaseResponse>(
        `/admin/vipps/payments/${encodeURIComponent(paymentId)}/release`,
        { method: "POST" },
      ),
    onSettled: refresh,
  })
  return { capture, release, refund, busy: capture.isPending || release.isPending || refund.isPending }
}
