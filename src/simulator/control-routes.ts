import type { SimulatorControl } from "./control"
import type { FaultSpec } from "./faults"
import { json, jsonBody, problemResponse, type SimRequest, type SimResponse } from "./http-types"
import { ApiError, badRequest, notFound } from "./problems"
import { OPERATION_NAMES, type OperationName } from "./types"
import type { WebhookFaultKind, WebhookFaultSpec } from "./webhook-faults"

/**
 * The HTTP control API under `/_simulator` (for the demo, browser tests and other processes). It maps
 * onto SimulatorControl; see README-style docs in index.ts.
 */

export const CONTROL_PREFIX = "/_simulator"

type Body = Record<string, unknown>

const asBody = (value: unknown): Body =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Body) : {}

const optionalString = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)

function optionalNumber(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== "number" || !Number.isFinite(value))
    throw badRequest(undefined, `${name} must be a number`)
  return value
}

/** `times` over JSON: a positive number, or "all" / "infinite" for every call until cleared. */
function times(value: unknown): number | undefined {
  if (value === "all" || value === "infinite") return Infinity
  return optionalNumber(value, "times")
}

function operation(value: unknown): OperationName | "*" {
  if (value === "*" || (OPERATION_NAMES as readonly unknown[]).includes(value))
    return value as OperationName | "*"
  throw badRequest(undefined, `operation must be "*" or one of ${OPERATION_NAMES.join(", ")}`)
}

function timeValue(value: unknown): string | number {
  if (typeof value === "string" || typeof value === "number") return value
  throw badRequest(undefined, "time must be an ISO string or epoch milliseconds")
}

/** Express: `{shippingOptionId, address: {addressLine1, addressLine2, city, postCode, country}}`. */
function expressChoice(body: Body) {
  const address = asBody(body.address)
  const fields = ["addressLine1", "addressLine2", "city", "postCode", "country"] as const
  const given = Object.fromEntries(
    fields.filter((f) => typeof address[f] === "string").map((f) => [f, address[f] as string]),
  )
  return {
    shippingOptionId: optionalString(body.shippingOptionId),
    ...(Object.keys(given).length > 0 ? { address: given } : {}),
  }
}

async function paymentAction(
  control: SimulatorControl,
  reference: string,
  action: string,
  body: Body,
): Promise<SimResponse> {
  const selector = { msn: optionalString(body.msn) }
  const amount = optionalNumber(body.amount, "amount")
  switch (action) {
    case "approve": {
      const options = { ...selector, phoneNumber: optionalString(body.phoneNumber), ...expressChoice(body) }
      const isExpress = !!control.getPayment(reference, selector)?.shipping
      return json(
        200,
        isExpress ? await control.approveExpress(reference, options) : control.approve(reference, options),
      )
    }
    case "reject":
      return json(200, control.reject(reference, selector))
    case "expire":
      return json(200, control.expire(reference, selector))
    case "capture":
      return json(200, control.capture(reference, amount, selector))
    case "refund":
      return json(200, control.refund(reference, amount, selector))
    case "cancel":
      return json(200, control.cancel(reference, selector))
    case "capture-guarantee": {
      // {"until": "<RFC 3339>"} sets it, {"until": null} leaves the field out, {} restores the market rule.
      const until = body.until === null ? null : optionalString(body.until)
      return json(200, control.setCaptureGuaranteedUntil(reference, until, selector))
    }
    default:
      throw notFound(`Unknown payment action ${action}`)
  }
}

function clockAction(control: SimulatorControl, body: Body): SimResponse {
  if (body.reset === true) control.resetTime()
  // set + freeze stops the clock at exactly the time set (not a millisecond later on a busy machine).
  if (
    body.set !== undefined &&
    body.freeze === true &&
    body.advanceMs === undefined &&
    body.advanceSeconds === undefined
  )
    control.freezeTime(timeValue(body.set))
  else if (body.set !== undefined) control.setTime(timeValue(body.set))
  const advanceMs = optionalNumber(body.advanceMs, "advanceMs")
  const advanceSeconds = optionalNumber(body.advanceSeconds, "advanceSeconds")
  if (advanceMs !== undefined) control.advanceTime(advanceMs)
  if (advanceSeconds !== undefined) control.advanceTime(advanceSeconds * 1000)
  if (body.freeze === true) control.freezeTime()
  else if (body.freeze !== undefined && body.freeze !== false) control.freezeTime(timeValue(body.freeze))
  if (body.unfreeze === true) control.unfreezeTime()
  return json(200, { now: control.now().toISOString() })
}

function faultSpec(body: Body): FaultSpec {
  const cut = body.cutConnection
  if (cut !== undefined && cut !== "before" && cut !== "after" && typeof cut !== "boolean") {
    throw badRequest(undefined, 'cutConnection must be "before", "after" or a boolean')
  }
  return {
    operation: operation(body.operation),
    times: times(body.times),
    status: optionalNumber(body.status, "status"),
    code: optionalString(body.code),
    detail: optionalString(body.detail),
    retryAfter:
      typeof body.retryAfter === "number" || typeof body.retryAfter === "string"
        ? body.retryAfter
        : undefined,
    latencyMs: optionalNumber(body.latencyMs, "latencyMs"),
    cutConnection: cut as FaultSpec["cutConnection"],
  }
}

function webhookFault(control: SimulatorControl, body: Body): SimResponse {
  if (body.chaos !== undefined) {
    const chaos = body.chaos === null ? null : asBody(body.chaos)
    control.setWebhookChaos(chaos)
    return json(200, { chaos })
  }
  const kind = body.kind
  if (kind !== "drop" && kind !== "duplicate" && kind !== "delay" && kind !== "reorder") {
    throw badRequest(undefined, 'kind must be "drop", "duplicate", "delay" or "reorder" (or send {chaos})')
  }
  const spec: WebhookFaultSpec = {
    kind: kind as WebhookFaultKind,
    times: times(body.times),
    delayMs: optionalNumber(body.delayMs, "delayMs"),
    event: optionalString(body.event),
    reference: optionalString(body.reference),
  }
  control.injectWebhookFault(spec)
  return json(201, spec)
}

async function route(control: SimulatorControl, request: SimRequest, path: string): Promise<SimResponse> {
  const method = request.method
  const query = request.url.searchParams
  const body = method === "POST" ? asBody(jsonBody(request)) : {}
  const segments = path.split("/").filter(Boolean).map(decodeURIComponent)
  const [resource, id, action] = segments

  if (resource === "health" && method === "GET")
    return json(200, { ok: true, now: control.now().toISOString() })
  if (resource === "reset" && method === "POST") {
    control.reset({ tokens: body.tokens === true })
    return json(200, { ok: true })
  }
  if (resource === "payments") {
    if (!id && method === "GET") return json(200, control.payments())
    if (id && !action && method === "GET") {
      const payment = control.getPayment(id, { msn: query.get("msn") ?? undefined })
      if (!payment) throw notFound(`No payment with reference ${id}`)
      return json(200, payment)
    }
    if (id && action && method === "POST") return paymentAction(control, id, action, body)
  }
  if (resource === "clock") {
    if (method === "GET") return json(200, { now: control.now().toISOString() })
    if (method === "POST") return clockAction(control, body)
  }
  if (resource === "tokens" && method === "POST") {
    return json(201, { access_token: control.issueToken(optionalString(body.msn)) })
  }
  if (resource === "faults") {
    if (method === "GET") return json(200, control.faults())
    if (method === "POST") return json(201, { id: control.injectFault(faultSpec(body)) })
    if (method === "DELETE" && id) return json(200, { removed: control.removeFault(Number(id)) })
    if (method === "DELETE") {
      control.clearFaults()
      return json(200, { ok: true })
    }
  }
  if (resource === "webhook-faults") {
    if (method === "POST") return webhookFault(control, body)
    if (method === "DELETE") {
      control.clearWebhookFaults()
      return json(200, { ok: true })
    }
  }
  if (resource === "requests") {
    if (method === "GET") {
      return json(
        200,
        control.requests({
          operation: query.get("operation") ?? undefined,
          path: query.get("path") ?? undefined,
          method: query.get("method") ?? undefined,
          redact: query.get("redact") !== "false",
        }),
      )
    }
    if (method === "DELETE") {
      control.clearRequests()
      return json(200, { ok: true })
    }
  }
  if (resource === "webhooks" && method === "GET") {
    const withSecrets = query.get("secrets") === "true"
    return json(
      200,
      control.webhookRegistrations().map(({ secret, ...rest }) => (withSecrets ? { ...rest, secret } : rest)),
    )
  }
  if (resource === "webhook-deliveries" && method === "GET") {
    return json(
      200,
      control.webhookDeliveries({
        reference: query.get("reference") ?? undefined,
        eventName: query.get("eventName") ?? undefined,
        state: (query.get("state") as "pending" | "delivered" | "failed" | "dropped" | null) ?? undefined,
      }),
    )
  }
  throw notFound(`No control endpoint ${method} ${CONTROL_PREFIX}${path}`)
}

export async function handleControlRequest(
  control: SimulatorControl,
  request: SimRequest,
): Promise<SimResponse> {
  const path = request.url.pathname.slice(CONTROL_PREFIX.length) || "/"
  try {
    return await route(control, request, path)
  } catch (error) {
    if (error instanceof ApiError) return problemResponse(error, request.url.pathname)
    const message = error instanceof Error ? error.message : String(error)
    return problemResponse(badRequest(undefined, message), request.url.pathname)
  }
}
