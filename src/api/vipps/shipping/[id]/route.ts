import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { IPaymentModuleService, Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { normalizeCurrency } from "../../../../lib/money"
import { isShippingCallbackToken } from "../../../../lib/shipping-callback-token"
import { parseShippingCallback } from "../../../../lib/vipps/shipping-callback"
import { findRegistration } from "../../../../providers/vipps/registration"
import { isVippsSessionData } from "../../../../providers/vipps/session-data"
import { cartOfSession } from "../../../../providers/vipps/links"
import { expressShippingGroups } from "../../express/shipping-groups"

/**
 * `POST /vipps/shipping/:id?reference=…` — the Express dynamic shipping callback of registration `:id`.
 * Vipps MobilePay sends the address the shopper chose in the app; the answer is `{groups}` priced by Medusa
 * for that address, or 400 when Medusa cannot ship there (the app tells the shopper; never an empty list).
 *
 * The token the plugin sent as `callbackAuthorizationToken` (per payment, derived from the client secret)
 * is checked before anything else is read. No cart changes: the options are priced on a scratch copy of the
 * payment's cart with the address asked about (see ../../express/shipping-groups.ts).
 */

type CallbackCart = {
  id: string
  completed_at?: string | null
  currency_code: string
  region?: { countries?: { iso_2: string }[] } | null
}

function refuse(res: MedusaResponse, status: number, message: string) {
  res.status(status).json({ message })
}

export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const registration = findRegistration(req.scope, req.params.id)
  const reference = typeof req.query.reference === "string" ? req.query.reference : ""
  if (
    !registration ||
    !/^[a-zA-Z0-9-]{8,64}$/.test(reference) ||
    !isShippingCallbackToken(registration.returnTokenKey, reference, req.headers.authorization)
  ) {
    return refuse(res, 401, "Not a shipping callback of this store")
  }

  const request = parseShippingCallback(req.body)
  if (!request || request.reference !== reference) return refuse(res, 400, "No reference and address")

  const sessionId = registration.sessionIdFor(reference)
  const paymentModule = req.scope.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const [session] = sessionId ? await paymentModule.listPaymentSessions({ id: sessionId }) : []
  const express = isVippsSessionData(session?.data) ? session.data.express : undefined
  if (!session || session.provider_id !== registration.providerId || !express?.dynamic) {
    return refuse(res, 404, "No Express payment with dynamic shipping for this reference")
  }
  const cartId = await cartOfSession(req.scope, session.id)
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: ["id", "completed_at", "currency_code", "region.countries.iso_2"],
    filters: { id: cartId ?? "" },
  })
  const cart = data[0] as CallbackCart | undefined
  if (!cart || cart.completed_at) return refuse(res, 404, "The cart of this payment is no longer open")

  const country = request.address.country.toLowerCase()
  if (!(cart.region?.countries ?? []).some((c) => c.iso_2.toLowerCase() === country)) {
    return refuse(res, 400, "We cannot deliver to this address")
  }
  const address = {
    address_1: request.address.addressLine1,
    address_2: request.address.addressLine2,
    city: request.address.city,
    postal_code: request.address.postCode,
    country_code: country,
  }
  try {
    const groups = await expressShippingGroups(req.scope, cart.id, normalizeCurrency(cart.currency_code), {
      flatOnly: false,
      address,
    })
    if (groups.length === 0) return refuse(res, 400, "We cannot deliver to this address")
    res.setHeader("Cache-Control", "no-store")
    res.status(200).json({ groups })
  } catch (error) {
    req.scope
      .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
      .warn(
        `Vipps MobilePay shipping callback for ${reference} failed: ${error instanceof Error ? error.name : "error"}`,
      )
    return refuse(res, 400, "We cannot deliver to this address")
  }
}
