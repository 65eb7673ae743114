import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { WebhookEvent } from "../../../../lib/vipps/schemas"
import { verifyWebhook } from "../../../../lib/webhook-signature"
import { resolveVippsProvider } from "../../../../providers/vipps/registry"
import { syncVippsPayment } from "../../../../sync/sync-payment"
import { readRawBody } from "./raw-body"

/**
 * `POST /hooks/vipps/:id` — ePayment webhooks for the registration `:id` (e.g. /hooks/vipps/vipps).
 * Verifies the HMAC signature over the raw body, path and host before anything else, then syncs the
 * payment from the ePayment API's own state and answers 200 only once Medusa agrees with it.
 * 401: not signed by Vipps MobilePay with this registration's secret; 400: not an ePayment event;
 * 404: no such registration; 5xx: try again later (Vipps MobilePay retries).
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const logger = req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const registration = resolveVippsProvider(req.scope, req.params.id)
  if (!registration) {
    res.status(404).json({ type: "not_found", message: "No Vipps MobilePay provider with this id" })
    return
  }
  const { provider } = registration
  const secret = provider.webhookSecret
  if (!secret) {
    logger.error(
      `Vipps MobilePay webhook for ${registration.providerId} refused: the provider has no webhookSecret option`,
    )
    res.status(401).json({ type: "unauthorized", message: "Webhook secret not configured" })
    return
  }

  let body: Buffer
  try {
    body = await readRawBody(req, 64 * 1024)
  } catch {
    res.status(413).json({ type: "invalid_data", message: "Body too large" })
    return
  }

  const publicUrl = provider.options.webhookUrl ? new URL(provider.options.webhookUrl) : undefined
  const verification = verifyWebhook({
    secret,
    body,
    headers: req.headers,
    pathAndQuery: publicUrl ? `${publicUrl.pathname}${publicUrl.search}` : req.originalUrl,
    host: publicUrl ? publicUrl.host : (req.headers.host ?? ""),
    toleranceMs: provider.options.webhookToleranceSeconds * 1000,
  })
  if (!verification.ok) {
    logger.warn(`Vipps MobilePay webhook for ${registration.providerId} rejected: ${verification.reason}`)
    res.status(401).json({ type: "unauthorized", message: "Invalid webhook signature" })
    return
  }

  let event: WebhookEvent
  try {
    const parsed = WebhookEvent.safeParse(JSON.parse(body.toString("utf8")))
    if (!parsed.success) throw new Error("not an ePayment event")
    event = parsed.data
  } catch {
    res.status(400).json({ type: "invalid_data", message: "Not an ePayment webhook event" })
    return
  }
  if (event.msn !== provider.options.merchantSerialNumber) {
    res.status(400).json({ type: "invalid_data", message: "Event for another sales unit" })
    return
  }

  if (event.name === "CREATED") {
    // We created the payment ourselves; nothing in Medusa changes until it is approved or fails.
    res.status(200).json({ received: true, outcome: "ignored" })
    return
  }

  try {
    const result = await syncVippsPayment(req.scope, registration, event.reference)
    logger.info(`Vipps MobilePay webhook ${event.name} for ${event.reference}: ${result.outcome}`)
    res.status(200).json({ received: true, outcome: result.outcome })
  } catch (error) {
    // Not stored yet: a 5xx makes Vipps MobilePay deliver again later.
    logger.error(
      `Vipps MobilePay webhook ${event.name} for ${event.reference} not processed: ${error instanceof Error ? error.message : String(error)}`,
    )
    res.status(503).json({ type: "unexpected_state", message: "Not processed, please retry" })
  }
}
