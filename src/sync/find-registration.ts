import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { REFERENCE_PATTERN } from "../lib/vipps/schemas"
import { listRegistrations, type VippsRegistration } from "../providers/vipps/registration"
import { isVippsSessionData, VippsSessionData } from "../providers/vipps/session-data"

export type ReferenceOwner = {
  registration: VippsRegistration
  sessionId: string
  data: VippsSessionData
  status: string
  metadata?: Record<string, unknown> | null
}

/** The registration and payment session a Vipps reference belongs to, if any of the store's does. */
export async function findReferenceOwner(
  container: MedusaContainer,
  reference: string,
): Promise<ReferenceOwner | undefined> {
  if (!REFERENCE_PATTERN.test(reference)) return undefined
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  for (const registration of await listRegistrations(container)) {
    const sessionId = registration.sessionIdFor(reference)
    if (!sessionId) continue
    const [session] = await paymentModule.listPaymentSessions({ id: sessionId })
    if (
      session?.provider_id === registration.providerId &&
      isVippsSessionData(session.data) &&
      session.data.reference === reference
    ) {
      return {
        registration,
        sessionId,
        data: session.data,
        status: session.status,
        metadata: session.metadata,
      }
    }
  }
  return undefined
}
