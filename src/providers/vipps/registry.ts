import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { VippsProviderService } from "./service"

export type VippsRegistration = {
  /** The `id` of the registration in medusa-config (e.g. "vipps"). */
  id: string
  /** Medusa's provider id, `pp_vipps_<id>`. */
  providerId: string
  provider: VippsProviderService
}

type ProviderLookup = { retrieveProvider(id: string): unknown }

/**
 * The provider instance of a registration. Medusa keeps provider instances inside the payment module;
 * its provider service (internal, pinned by our exact Medusa peer version) is the only way to reach them.
 */
export function resolveVippsProvider(container: MedusaContainer, id: string): VippsRegistration | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return undefined
  const paymentModule = container.resolve(Modules.PAYMENT) as unknown as {
    paymentProviderService_?: ProviderLookup
  }
  const providerId = `pp_vipps_${id}`
  try {
    const provider = paymentModule.paymentProviderService_?.retrieveProvider(providerId) as
      VippsProviderService | undefined
    if (!provider || typeof provider.getIdentifier !== "function" || provider.getIdentifier() !== "vipps") {
      return undefined
    }
    return { id, providerId, provider }
  } catch {
    return undefined
  }
}

/** Every enabled Vipps MobilePay registration of the store. */
export async function listVippsRegistrations(container: MedusaContainer): Promise<VippsRegistration[]> {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const providers = await paymentModule.listPaymentProviders({ is_enabled: true })
  return providers
    .filter((p) => p.id.startsWith("pp_vipps_"))
    .map((p) => resolveVippsProvider(container, p.id.slice("pp_vipps_".length)))
    .filter((r): r is VippsRegistration => !!r)
}
