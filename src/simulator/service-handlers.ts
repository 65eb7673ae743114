import { authorizeCall } from "./auth"
import { json, jsonBody, type SimRequest, type SimResponse } from "./http-types"
import { forbidden, notFound, unauthorized } from "./problems"
import type { SimulatorState } from "./state"
import { userinfoClaims } from "./userinfo"
import { headerValue, validateRegisterWebhook } from "./validation"

/** Access Token, Webhooks and Userinfo APIs. */

export function accessToken(state: SimulatorState, request: SimRequest): SimResponse {
  return json(200, state.tokens.handleTokenRequest(request.headers))
}

export function registerWebhook(state: SimulatorState, request: SimRequest): SimResponse {
  const call = authorizeCall(state, request, { idempotencyKey: false })
  const body = validateRegisterWebhook(jsonBody(request), state.allowHttpUrls)
  const record = state.webhooks.register(call.msn, body.url, body.events, state.clock.iso())
  return json(201, { id: record.id, secret: record.secret })
}

export function listWebhooks(state: SimulatorState, request: SimRequest): SimResponse {
  const call = authorizeCall(state, request, { idempotencyKey: false })
  const webhooks = state.webhooks.list(call.msn).map((r) => ({ id: r.id, url: r.url, events: [...r.events] }))
  return json(200, { webhooks })
}

export function deleteWebhook(state: SimulatorState, request: SimRequest, id: string): SimResponse {
  const call = authorizeCall(state, request, { idempotencyKey: false })
  state.webhooks.delete(call.msn, id)
  return { status: 204 }
}

/**
 * `GET /vipps-userinfo-api/userinfo/{sub}`: Bearer token of the payment's merchant, and (like the real
 * one) 401 when an Ocp-Apim-Subscription-Key header is sent.
 */
export function userinfo(state: SimulatorState, request: SimRequest, sub: string): SimResponse {
  if (headerValue(request.headers, "ocp-apim-subscription-key") !== undefined) {
    throw unauthorized("The Userinfo API must be called without Ocp-Apim-Subscription-Key.")
  }
  const token = state.tokens.authenticate(request.headers)
  const grant = state.payments.grant(sub)
  if (!grant) throw notFound("Unknown sub.")
  if (grant.msn !== token.msn) {
    throw forbidden("This sub was not issued to the token's merchant.")
  }
  return json(200, userinfoClaims(grant, state.testUser))
}
