import { container as appContainer } from "@medusajs/framework"
import type { IEventBusModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

/**
 * "Bring this payment in line with Vipps MobilePay": emitted by the webhook route after it verified a
 * delivery, and by the provider when it refused a capture or refund because Vipps holds movements Medusa
 * has not recorded. The plugin's subscriber syncs the payment; with Medusa's Redis event bus the work is
 * durable and runs once across processes, and the reconciliation job catches whatever is lost.
 */
export const PAYMENT_CHECK_EVENT = "vipps-mobilepay.payment.check"

export type PaymentCheck = {
  /** Medusa's provider id (pp_vipps_<id>) when known; otherwise found from the reference. */
  provider_id?: string
  reference: string
  /** Why: the webhook event name, or "guard". */
  cause: string
}

export async function requestPaymentCheck(
  check: PaymentCheck,
  container: MedusaContainer = appContainer,
): Promise<void> {
  const eventBus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
  // Attempts only matter on the Redis event bus (BullMQ retries a failing subscriber).
  await eventBus.emit({ name: PAYMENT_CHECK_EVENT, data: check }, { attempts: 3 } as never)
}
