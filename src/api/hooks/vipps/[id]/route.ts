import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { WebhookEvent } from "../../../../lib/vipps/schemas"
import { verifyWebhook } from "../../../../lib/webhook-signature"
import { requestPaymentCheck } from "../../../../providers/vipps/events"
import { findRegistration } from "../../../../providers/vipps/registration"
import { readRawBody } from "./raw-body"

/**
 * `POST /hooks/vipps/:id` — ePayment webhooks for the registration `:id` (e.g. /hooks/vipps/vipps).
 * Verifies the HMAC signature over the raw body, path and host before anything else, hands the event to
 * the inbox (an event on Medusa's event bus, durable with the Redis event bus) and answers at once: Vipps
 * MobilePay counts no answer within 10 s as a failure and delivers a registration's events in order, so
 * the work must not hold the answer. The reconciliation job is the safety net when a process dies between
 * the answer and the work.
 * 401: not signed by Vipps MobilePay with this registration's secret; 200 "ignored": signed but unusable;
 * 404: no such registration; 503: the inbox is unavailable (Vipps MobilePay retries).
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const logger = req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const registration = findRegistration(req.scope, req.params.id)
  if (!registration) {
    res.status(404).json({ type: "not_found", message: "No Vipps MobilePay provider with this id" })
    return
  }
  const secret = registration.webhookSecret
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

  const publicUrl = registration.options.webhookUrl ? new URL(registration.options.webhookUrl) : undefined
  const verification = verifyWebhook({
    secret,
    body,
    headers: req.headers,
    pathAndQuery: publicUrl ? `${publicUrl.pathname}${publicUrl.search}` : req.originalUrl,
    host: publicUrl ? publicUrl.host : (req.headers.host ?? ""),
    toleranceMs: registration.options.webhookToleranceSeconds * 1000,
  })
  if (!verification.ok) {
    logger.warn(`Vipps MobilePay webhook for ${registration.providerId} rejected: ${verification.reason}`)
    res.status(401).json({ type: "unauthorized", message: "Invalid webhook signature" })
    return
  }

  let json: unknown
  try {
    json = JSON.parse(body.toString("utf8"))
  } catch {
    json = undefined
  }
  // Signed by Vipps MobilePay but not an event this route acts on (another sales unit on the same secret,
  // an event name added later): acknowledged, since a 4xx would hold back this payment's later events.
  const parsed = WebhookEvent.safeParse(json)
  if (!parsed.success || parsed.data.msn !== registration.options.merchantSerialNumber) {
    logger.warn(
      `Vipps MobilePay webhook for ${registration.providerId} ignored: not an ePayment event of this sales unit`,
    )
    res.status(200).json({ received: true, outcome: "ignored" })
    return
  }
  const event = parsed.data
  if (event.name === "CREATED") {
    // We created the payment ourselves; nothing in Medusa changes until it is approved or fails.
    res.status(200).json({ received: true, outcome: "ignored" })
    return
  }

  try {
    await requestPaymentCheck(
      { provider_id: registration.providerId, reference: event.reference, cause: event.name },
      req.scope,
    )
    res.status(200).json({ received: true, outcome: "queued" })
  } catch (error) {
    // Not handed over: a 5xx makes Vipps MobilePay deliver again later.
    logger.error(
      `Vipps MobilePay webhook ${event.name} for ${event.reference} not queued: ${error instanceof Error ? error.message : String(error)}`,
    )
    res.status(503).json({ type: "unexpected_state", message: "Not processed, please retry" })
  }
}
