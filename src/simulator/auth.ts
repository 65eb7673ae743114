import type { SimRequest } from "./http-types"
import { forbidden, unauthorized } from "./problems"
import type { SimulatorState } from "./state"
import type { IssuedToken } from "./tokens"
import type { SimulatorMerchant } from "./types"
import { headerValue, validateApiHeaders } from "./validation"

/**
 * Authentication of ePayment and Webhooks calls: a valid Bearer token (401), the standard headers (400),
 * and the token's merchant must match the subscription key (401) and Merchant-Serial-Number (403).
 */

export type AuthorizedCall = {
  token: IssuedToken
  merchant: SimulatorMerchant
  msn: string
  idempotencyKey: string | undefined
}

export function authorizeCall(
  state: SimulatorState,
  request: SimRequest,
  options: { idempotencyKey: boolean },
): AuthorizedCall {
  const token = state.tokens.authenticate(request.headers)
  const { msn, idempotencyKey } = validateApiHeaders(request.headers, {
    idempotencyKey: options.idempotencyKey,
    merchantSerialNumber: true,
  })
  if (headerValue(request.headers, "ocp-apim-subscription-key") !== token.subscriptionKey) {
    throw unauthorized("Access denied due to invalid subscription key.")
  }
  if (msn !== token.msn) {
    throw forbidden("The access token does not give access to this Merchant-Serial-Number.")
  }
  const merchant = state.merchant(token.msn)
  if (!merchant) throw unauthorized("The merchant of this token no longer exists.")
  return { token, merchant, msn: token.msn, idempotencyKey }
}
