import { VippsRequestValidationError } from "./errors"
import { describeIssues } from "../zod-issues"
import { VippsHttp } from "./http"
import {
  ListWebhooksResponse,
  RegisterWebhookRequest,
  RegisterWebhookResponse,
  WebhookRegistration,
} from "./schemas"

const BASE = "/webhooks/v1/webhooks"

/** Webhooks API v1: one-off registration of the store's webhook URL (the secret is shown only once). */
export class WebhooksApi {
  constructor(private readonly http: VippsHttp) {}

  async register(body: RegisterWebhookRequest, idempotencyKey?: string): Promise<RegisterWebhookResponse> {
    const operation = "webhooks.register"
    const parsed = RegisterWebhookRequest.safeParse(body)
    if (!parsed.success) {
      throw new VippsRequestValidationError(operation, describeIssues(parsed.error.issues))
    }
    return this.http.request({
      operation,
      method: "POST",
      path: BASE,
      body: parsed.data,
      idempotencyKey,
      // Not idempotent without a key: a repeat could register twice, and only one secret would be shown.
      maxAttempts: idempotencyKey ? undefined : 1,
      schema: RegisterWebhookResponse,
    })
  }

  async list(): Promise<WebhookRegistration[]> {
    const response = await this.http.request({
      operation: "webhooks.list",
      method: "GET",
      path: BASE,
      schema: ListWebhooksResponse,
    })
    return response.webhooks
  }

  async delete(id: string): Promise<void> {
    const operation = "webhooks.delete"
    if (!/^[A-Za-z0-9-]{1,100}$/.test(id)) {
      throw new VippsRequestValidationError(operation, ["id is not a webhook registration id"])
    }
    return this.http.request({ operation, method: "DELETE", path: `${BASE}/${id}`, schema: null })
  }
}
