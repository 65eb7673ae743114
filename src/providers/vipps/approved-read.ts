import { container as appContainer } from "@medusajs/framework"
import type { ICacheService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { GetPaymentResponse } from "../../lib/vipps/schemas"
import { isReleased } from "./payment-state"

/**
 * The last read of an approved payment, shared for a few seconds through Medusa's cache module (Redis when
 * several processes share one): the webhook's sync reads the payment, and the authorization Medusa's cart
 * completion then asks of the provider uses that read instead of a second GET — as does a storefront
 * completion racing the webhook, in whichever process. Only a read showing the approval with nothing
 * captured, refunded or released is shared (a newer read can only add movements); any capture, refund or
 * cancel the provider makes forgets it first. Without a cache module every caller reads Vipps itself.
 */
const TTL_SECONDS = 60
const key = (reference: string) => `vipps:approved-read:${reference}`

function cacheOf(container: MedusaContainer): ICacheService | undefined {
  try {
    return container.resolve<ICacheService>(Modules.CACHE, { allowUnregistered: true } as never)
  } catch {
    return undefined
  }
}

/** An approved payment that has not moved yet: what the authorization and the order need to know. */
export function isFreshApproval(payment: GetPaymentResponse): boolean {
  const { capturedAmount, refundedAmount, cancelledAmount } = payment.aggregate
  return (
    payment.state === "AUTHORIZED" &&
    !isReleased(payment) &&
    capturedAmount.value === 0 &&
    refundedAmount.value === 0 &&
    cancelledAmount.value === 0
  )
}

export async function sharedApprovedRead(
  reference: string,
  container: MedusaContainer = appContainer,
): Promise<GetPaymentResponse | undefined> {
  const payment = await cacheOf(container)
    ?.get<GetPaymentResponse>(key(reference))
    .catch(() => undefined)
  return payment && payment.reference === reference && isFreshApproval(payment) ? payment : undefined
}

export async function shareApprovedRead(
  payment: GetPaymentResponse,
  container: MedusaContainer = appContainer,
): Promise<void> {
  if (!isFreshApproval(payment)) return
  await cacheOf(container)
    ?.set(key(payment.reference), payment, TTL_SECONDS)
    .catch(() => undefined)
}

export async function forgetApprovedRead(
  reference: string,
  container: MedusaContainer = appContainer,
): Promise<void> {
  await cacheOf(container)
    ?.invalidate(key(reference))
    .catch(() => undefined)
}
