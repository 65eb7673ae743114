import type { MedusaRequest } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

export type CompletingCart = {
  id: string
  completed_at?: string | null
  payment_collection?: {
    payment_sessions?: { id: string; provider_id: string; status?: string; data?: unknown }[] | null
  } | null
}

const reads = new WeakMap<MedusaRequest, Promise<CompletingCart | undefined>>()

/**
 * The cart of a `POST /store/carts/:id/complete` with its payment sessions, read once per request for both
 * of the plugin's middlewares on that route: every store's checkout passes them, whatever pays for it, so
 * they cost one query between them (undefined for a malformed id or an unknown cart).
 */
export function completingCart(req: MedusaRequest): Promise<CompletingCart | undefined> {
  let read = reads.get(req)
  if (!read) {
    read = readCart(req)
    reads.set(req, read)
  }
  return read
}

async function readCart(req: MedusaRequest): Promise<CompletingCart | undefined> {
  const cartId = req.params?.id
  if (typeof cartId !== "string" || !/^cart_[A-Za-z0-9]+$/.test(cartId)) return undefined
  const { data } = await req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "cart",
    fields: [
      "id",
      "completed_at",
      "payment_collection.payment_sessions.id",
      "payment_collection.payment_sessions.provider_id",
      "payment_collection.payment_sessions.status",
      "payment_collection.payment_sessions.data",
    ],
    filters: { id: cartId },
  })
  return data[0] as CompletingCart | undefined
}
