import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { releaseRemainderOfOrder } from "../sync/release-remainder"

/** A canceled order keeps no Vipps MobilePay reservation. Safe to redeliver: the release is idempotent. */
export default async function vippsOrderCanceled({ event, container }: SubscriberArgs<{ id: string }>) {
  await releaseRemainderOfOrder(container, event.data.id)
}

export const config: SubscriberConfig = {
  event: "order.canceled",
  context: { subscriberId: "vipps-mobilepay-release-remainder" },
}
