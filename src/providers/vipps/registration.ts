import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { VippsClient } from "../../lib/vipps/client"
import type { VippsOptions } from "./options"

/** Medusa names a provider `pp_<identifier>_<id>`; the identifier of this plugin is "vipps". */
export const PROVIDER_ID_PREFIX = "pp_vipps_"

/**
 * One Vipps MobilePay registration (a sales unit configured in medusa-config): what routes, jobs and the
 * sync need of it. Made by the provider instance Medusa created for that registration.
 */
export type VippsRegistration = {
  /** The `id` of the registration in medusa-config (e.g. "vipps"). */
  id: string
  /** Medusa's provider id, `pp_vipps_<id>`. */
  providerId: string
  client: VippsClient
  /** The options without secrets. */
  options: Readonly<Omit<VippsOptions, "clientSecret" | "subscriptionKey" | "webhookSecret">>
  /** Only the webhook route needs it. */
  webhookSecret?: string
  /** Signs and checks the return token the store route asks for (derived from the client secret). */
  returnTokenKey: Buffer
  /** The payment session a reference of this registration belongs to, or null for someone else's reference. */
  sessionIdFor(reference: string): string | null
}

type RegistrationSource = {
  getIdentifier(): string
  registration: Omit<VippsRegistration, "id" | "providerId">
}
type ProviderLookup = { retrieveProvider(id: string): unknown }

/** A payment session of this plugin's providers that Medusa can still use (not canceled, not failed). */
export function isLiveVippsSession(session: { provider_id: string; status?: string }): boolean {
  return (
    session.provider_id.startsWith(PROVIDER_ID_PREFIX) &&
    session.status !== "canceled" &&
    session.status !== "error"
  )
}

/** The registration id of a Medusa provider id, or undefined when the provider is not this plugin's. */
export function registrationIdOf(providerId: string): string | undefined {
  return providerId.startsWith(PROVIDER_ID_PREFIX) ? providerId.slice(PROVIDER_ID_PREFIX.length) : undefined
}

/**
 * The registration behind a provider id (`pp_vipps_vipps`) or a registration id (`vipps`). Medusa keeps
 * provider instances inside the payment module; its provider service is the only way to reach them.
 */
export function findRegistration(
  container: MedusaContainer,
  idOrProviderId: string,
): VippsRegistration | undefined {
  const id = registrationIdOf(idOrProviderId) ?? idOrProviderId
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return undefined
  const paymentModule = container.resolve(Modules.PAYMENT) as unknown as {
    paymentProviderService_?: ProviderLookup
  }
  const providerId = `${PROVIDER_ID_PREFIX}${id}`
  try {
    const provider = paymentModule.paymentProviderService_?.retrieveProvider(providerId) as
      RegistrationSource | undefined
    if (!provider || typeof provider.getIdentifier !== "function" || provider.getIdentifier() !== "vipps") {
      return undefined
    }
    return { id, providerId, ...provider.registration }
  } catch {
    return undefined
  }
}

/** Every enabled Vipps MobilePay registration of the store. */
export async function listRegistrations(container: MedusaContainer): Promise<VippsRegistration[]> {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const providers = await paymentModule.listPaymentProviders({ is_enabled: true })
  return providers
    .map((p) => (registrationIdOf(p.id) ? findRegistration(container, p.id) : undefined))
    .filter((r): r is VippsRegistration => !!r)
}
