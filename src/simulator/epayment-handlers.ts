import { RESPONSE_REFERENCE_PATTERN } from "../lib/vipps/schemas"
import { authorizeCall, type AuthorizedCall } from "./auth"
import { getPaymentAdditions } from "./additions-2026"
import { hashBody, IdempotencyStore } from "./idempotency"
import { json, jsonBody, problemResponse, type SimRequest, type SimResponse } from "./http-types"
import { ApiError, badRequest, conflict } from "./problems"
import type { SimulatorState } from "./state"
import type { SimPayment } from "./types"
import { validateCreatePayment } from "./create-validation"
import { validateCancel, validateForceApprove, validateModification } from "./validation"
import { eventView, getPaymentView, modificationView } from "./views"

/** The ePayment API: create, get, event log, capture, refund, cancel and the test-only force approve. */

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

function checkPathReference(reference: string): void {
  if (!RESPONSE_REFERENCE_PATTERN.test(reference)) {
    throw badRequest(undefined, "The reference is invalid.", [
      { name: "reference", reason: "Must match ^[a-zA-Z0-9-]{8,64}$." },
    ])
  }
}

/**
 * Runs an operation under its Idempotency-Key: replays the stored outcome for the same body, refuses a
 * different body with 409 and the operation's code, and remembers the outcome (2xx and most 4xx).
 */
function idempotent(
  state: SimulatorState,
  call: AuthorizedCall,
  operation: string,
  reference: string,
  body: unknown,
  request: SimRequest,
  conflictCode: string,
  run: () => SimResponse,
): SimResponse {
  const scope = IdempotencyStore.scope(call.msn, operation, reference, call.idempotencyKey as string)
  const hash = hashBody(body)
  const found = state.idempotency.lookup(scope, hash)
  if (found.kind === "replay") return { ...found.response }
  if (found.kind === "conflict") {
    throw conflict(conflictCode, "The Idempotency-Key was already used with a different request body.")
  }
  let response: SimResponse
  try {
    response = run()
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    response = problemResponse(error, request.url.pathname)
  }
  state.idempotency.remember(
    scope,
    hash,
    { status: response.status, body: response.body, contentType: response.contentType },
    state.clock.now(),
  )
  return response
}

export function createPayment(state: SimulatorState, request: SimRequest): SimResponse {
  const call = authorizeCall(state, request, { idempotencyKey: true })
  const body = jsonBody(request)
  const reference = isObject(body) && typeof body.reference === "string" ? body.reference : ""
  return idempotent(state, call, "createPayment", reference, body, request, "4020", () => {
    const validated = validateCreatePayment(body, {
      merchant: call.merchant,
      now: state.clock.now(),
      allowHttpUrls: state.allowHttpUrls,
    })
    const payment = state.payments.create(call.msn, validated, call.idempotencyKey ?? null)
    return json(
      201,
      payment.redirectUrl
        ? { redirectUrl: payment.redirectUrl, reference: payment.reference }
        : { reference: payment.reference },
    )
  })
}

function paymentFor(state: SimulatorState, call: AuthorizedCall, reference: string): SimPayment {
  checkPathReference(reference)
  return state.payments.get(call.msn, reference)
}

export function getPayment(state: SimulatorState, request: SimRequest, reference: string): SimResponse {
  const call = authorizeCall(state, request, { idempotencyKey: false })
  const payment = paymentFor(state, call, reference)
  return json(200, {
    ...getPaymentView(payment),
    ...getPaymentAdditions(payment, state.grantOf(payment), state.testUser, state.additions),
  })
}

export function getPaymentEvents(state: SimulatorState, request: SimRequest, reference: string): SimResponse {
  const call = authorizeCall(state, request, { idempotencyKey: false })
  return json(200, paymentFor(state, call, reference).events.map(eventView))
}

type Modification = "capture" | "refund" | "cancel"
const CONFLICT_CODES: Record<Modification, string> = { capture: "4010", refund: "4150", cancel: "4020" }

export function modifyPayment(
  state: SimulatorState,
  request: SimRequest,
  reference: string,
  operation: Modification,
): SimResponse {
  const call = authorizeCall(state, request, { idempotencyKey: true })
  checkPathReference(reference)
  const body = jsonBody(request)
  return idempotent(state, call, operation, reference, body, request, CONFLICT_CODES[operation], () => {
    const key = call.idempotencyKey ?? null
    if (operation === "cancel") {
      const { cancelTransactionOnly } = validateCancel(body)
      const payment = state.payments.get(call.msn, reference)
      state.payments.cancel(payment, cancelTransactionOnly ?? false, key)
      return json(200, modificationView(payment))
    }
    const { modificationAmount } = validateModification(body)
    const payment = state.payments.get(call.msn, reference)
    if (operation === "capture") state.payments.capture(payment, modificationAmount, key)
    else state.payments.refund(payment, modificationAmount, key)
    return json(200, modificationView(payment))
  })
}

/** `POST /epayment/v1/test/payments/{reference}/approve` with `{customer:{phoneNumber}}` or `{token}`. */
export function forceApprove(state: SimulatorState, request: SimRequest, reference: string): SimResponse {
  const call = authorizeCall(state, request, { idempotencyKey: false })
  const payment = paymentFor(state, call, reference)
  const body = validateForceApprove(jsonBody(request))
  // As in the test environment: Express payments are approved by hand in the app, never forced.
  if (payment.shipping) {
    throw badRequest(undefined, "Force approve does not support Express payments: approve in the app.")
  }
  if (body.token !== undefined && body.token !== payment.landingToken) {
    throw badRequest("10030", "The token does not belong to this payment.")
  }
  let phoneNumber = state.approverFor(payment)
  if (body.customer && "phoneNumber" in body.customer) {
    const wanted =
      payment.customer && "phoneNumber" in payment.customer ? payment.customer.phoneNumber : undefined
    if (wanted && wanted !== body.customer.phoneNumber) {
      throw badRequest("10020", "The customer does not match the payment's customer.")
    }
    phoneNumber = body.customer.phoneNumber
  }
  state.payments.approve(payment, phoneNumber)
  return { status: 200 }
}
