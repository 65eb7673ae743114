import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { PaymentRequestOverview } from "../../api/admin/vipps/payment-requests/order-requests"
import type { PaymentRequestView } from "../../api/admin/vipps/payment-requests/request-view"
import { sdk } from "./sdk"

export type { PaymentRequestOverview, PaymentRequestView }

export type SendRequestBody = {
  registration: string
  method: "push" | "qr" | "link"
  phone_number?: string
  expires_at?: string
}

const overviewKey = (orderId: string) => ["vipps-payment-requests", orderId]

/** What the order owes and the requests sent so far (`GET /admin/vipps/orders/:id/payment-requests`). */
export function usePaymentRequests(orderId: string) {
  return useQuery({
    queryKey: overviewKey(orderId),
    placeholderData: (previous) => previous,
    queryFn: () =>
      sdk.client.fetch<PaymentRequestOverview>(
        `/admin/vipps/orders/${encodeURIComponent(orderId)}/payment-requests`,
      ),
  })
}

/**
 * The open request's state, read from Vipps MobilePay every few seconds while the customer has it
 * (`GET /admin/vipps/payment-requests/:reference`); once it is answered, the whole page reloads so
 * Medusa's payment section shows the payment too.
 */
export function usePaymentRequestState(orderId: string, reference: string | undefined, open: boolean) {
  const queryClient = useQueryClient()
  return useQuery({
    queryKey: ["vipps-payment-request", reference],
    enabled: !!reference && open,
    refetchInterval: 3000,
    queryFn: async () => {
      const { payment_request } = await sdk.client.fetch<{ payment_request: PaymentRequestView }>(
        `/admin/vipps/payment-requests/${encodeURIComponent(reference as string)}`,
      )
      if (payment_request.state !== "sent") await queryClient.invalidateQueries()
      return payment_request
    },
  })
}

export function usePaymentRequestActions(orderId: string) {
  const queryClient = useQueryClient()
  const refresh = () => queryClient.invalidateQueries()
  const send = useMutation({
    mutationFn: (body: SendRequestBody) =>
      sdk.client.fetch<{ payment_request: PaymentRequestView }>(
        `/admin/vipps/orders/${encodeURIComponent(orderId)}/payment-requests`,
        { method: "POST", body },
      ),
    onSettled: refresh,
  })
  const cancel = useMutation({
    mutationFn: (reference: string) =>
      sdk.client.fetch<{ payment_request: PaymentRequestView }>(
        `/admin/vipps/payment-requests/${encodeURIComponent(reference)}/cancel`,
        { method: "POST" },
      ),
    onSettled: refresh,
  })
  return { send, cancel, busy: send.isPending || cancel.isPending }
}
