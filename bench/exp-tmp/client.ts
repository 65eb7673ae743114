import { resolveClientConfig, ResolvedClientConfig, VippsClientConfig } from "./config"
import { EPaymentApi } from "./epayment"
import { VippsHttp } from "./http"
import { defaultTokenCache, TokenCache } from "./token-cache"
import { UserinfoApi } from "./userinfo"
import { WebhooksApi } from "./webhooks"

/** Typed client for the Access Token, ePayment, Webhooks and Userinfo APIs of one sales unit. */
export class VippsClient {
  readonly epayment: EPaymentApi
  readonly webhooks: WebhooksApi
  readonly userinfo: UserinfoApi
  readonly config: Omit<ResolvedClientConfig, "clientSecret" | "subscriptionKey">

  constructor(config: VippsClientConfig, options: { tokenCache?: TokenCache } = {}) {
    const resolved = resolveClientConfig(config)
    const http = new VippsHttp(resolved, options.tokenCache ?? defaultTokenCache)
    this.epayment = new EPaymentApi(http)
    this.webhooks = new WebhooksApi(http)
    this.userinfo = new UserinfoApi(http)
    // Keep secrets out of anything a caller might log.
    const { clientSecret: _secret, subscriptionKey: _key, ...visible } = resolved
    this.config = visible
  }
}
