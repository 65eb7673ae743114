import { z } from "zod"
import { describeIssues } from "../zod-issues"
import { safeParser } from "./compiled-check"
import { VippsRequestValidationError } from "./errors"
import { VippsHttp } from "./http"
import {
  Amount,
  CancelRequest,
  CreatePaymentRequest,
  CreatePaymentResponse,
  ForceApproveRequest,
  GetPaymentResponse,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  ModificationResponse,
  PaymentEventLog,
  PaymentEvent,
  REFERENCE_PATTERN,
} from "./schemas"

const BASE = "/epayment/v1"

function validate<T>(operation: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = safeParser(schema)(value)
  if (!parsed.success) {
    throw new VippsRequestValidationError(operation, describeIssues(parsed.error.issues))
  }
  return parsed.data
}

function checkKey(operation: string, key: string): string {
  if (!key || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new VippsRequestValidationError(operation, ["Idempotency-Key must be 1-50 characters"])
  }
  return key
}

function referencePath(operation: string, reference: string): string {
  if (!REFERENCE_PATTERN.test(reference)) {
    throw new VippsRequestValidationError(operation, ["reference must match ^[a-zA-Z0-9-]{8,64}$"])
  }
  return `${BASE}/payments/${reference}`
}

/** ePayment API v1: the calls a merchant integration makes (see the official checklist). */
export class EPaymentApi {
  constructor(private readonly http: VippsHttp) {}

  async createPayment(body: CreatePaymentRequest, idempotencyKey: string): Promise<CreatePaymentResponse> {
    const operation = "epayment.createPayment"
    const request = validate(operation, CreatePaymentRequest, body)
    return this.http.request({
      operation,
      method: "POST",
      path: `${BASE}/payments`,
      body: request,
      idempotencyKey: checkKey(operation, idempotencyKey),
      schema: CreatePaymentResponse,
    })
  }

  async getPayment(reference: string): Promise<GetPaymentResponse> {
    const operation = "epayment.getPayment"
    return this.http.request({
      operation,
      method: "GET",
      path: referencePath(operation, reference),
      schema: GetPaymentResponse,
    })
  }

  async getPaymentEvents(reference: string): Promise<PaymentEvent[]> {
    const operation = "epayment.getPaymentEvents"
    return this.http.request({
      operation,
      method: "GET",
      path: `${referencePath(operation, reference)}/events`,
      schema: PaymentEventLog,
    })
  }

  async capturePayment(
    reference: string,
    amount: Amount,
    idempotencyKey: string,
  ): Promise<ModificationResponse> {
    return this.modify("capture", reference, amount, idempotencyKey)
  }

  async refundPayment(
    reference: string,
    amount: Amount,
    idempotencyKey: string,
  ): Promise<ModificationResponse> {
    return this.modify("refund", reference, amount, idempotencyKey)
  }

  /**
   * Releases everything not captured. With `cancelTransactionOnly`, only a payment the user has not
   * approved yet is cancelled (an approved one fails with 6060 and keeps its reservation).
   */
  async cancelPayment(
    reference: string,
    idempotencyKey: string,
    options: { cancelTransactionOnly?: boolean } = {},
  ): Promise<ModificationResponse> {
    const operation = "epayment.cancelPayment"
    return this.http.request({
      operation,
      method: "POST",
      path: `${referencePath(operation, reference)}/cancel`,
      // Always a body: some gateway versions failed on an empty one.
      body: validate(operation, CancelRequest, {
        cancelTransactionOnly: options.cancelTransactionOnly ?? false,
      }),
      idempotencyKey: checkKey(operation, idempotencyKey),
      schema: ModificationResponse,
    })
  }

  /** Test environment only: approves as if the test user had done it in the app. */
  async forceApprove(reference: string, body: ForceApproveRequest = {}): Promise<void> {
    const operation = "epayment.forceApprove"
    return this.http.request({
      operation,
      method: "POST",
      path: `${BASE}/test/payments/${referencePath(operation, reference).slice(`${BASE}/payments/`.length)}/approve`,
      body: validate(operation, ForceApproveRequest, body),
      schema: null,
    })
  }

  private async modify(
    kind: "capture" | "refund",
    reference: string,
    amount: Amount,
    idempotencyKey: string,
  ): Promise<ModificationResponse> {
    const operation = `epayment.${kind}Payment`
    return this.http.request({
      operation,
      method: "POST",
      path: `${referencePath(operation, reference)}/${kind}`,
      body: { modificationAmount: validate(operation, Amount, amount) },
      idempotencyKey: checkKey(operation, idempotencyKey),
      schema: ModificationResponse,
    })
  }
}
