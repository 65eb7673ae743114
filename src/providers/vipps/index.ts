import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { VippsProviderService } from "./service"

export default ModuleProvider(Modules.PAYMENT, {
  services: [VippsProviderService],
})
