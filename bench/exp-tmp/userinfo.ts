import { VippsRequestValidationError } from "./errors"
import { VippsHttp } from "./http"
import { UserinfoResponse } from "./schemas"

/** Userinfo API: the profile a user consented to share (`profile.scope`), by the payment's `sub`. */
export class UserinfoApi {
  constructor(private readonly http: VippsHttp) {}

  async getUserinfo(sub: string): Promise<UserinfoResponse> {
    const operation = "userinfo.get"
    if (!/^[A-Za-z0-9._~-]{1,200}$/.test(sub)) {
      throw new VippsRequestValidationError(operation, ["sub is not a valid subject identifier"])
    }
    return this.http.request({
      operation,
      method: "GET",
      path: `/vipps-userinfo-api/userinfo/${sub}`,
      // The Userinfo API refuses requests that carry Ocp-Apim-Subscription-Key (401).
      auth: "userinfo",
      schema: UserinfoResponse,
    })
  }
}
