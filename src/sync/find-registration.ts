import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { listVippsRegistrations, VippsRegistration } from "../providers/vipps/registry"
import { isVippsSessionData, VippsSessionData } from "../providers/vipps/session-data"

export type ReferenceOwner = {
  registration: VippsRegistration
  sessionId: string
  data: VippsSessionData
  status: string
}

/** The registration and payment session a Vipps reference belongs to, if any of the store's does. */
export async function findReferenceOwner(
  container: MedusaContainer,
  reference: string,
): Promise<ReferenceOwner | undefined> {
  if (!/^[a-zA-Z0-9-]{8,64}$/.test(reference)) return undefined
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  for (const registration of await listVippsRegistrations(container)) {
    const sessionId = registration.provider.sessionIdFor(reference)
    if (!sessionId) continue
    const [session] = await paymentModule.listPaymentSessions({ id: sessionId })
    if (
      session?.provider_id === registration.providerId &&
      isVippsSessionData(session.data) &&
      session.data.reference === reference
    ) {
      return { registration, sessionId, data: session.data, status: session.status }
    }
  }
  return undefined
}
