import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { ICartModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import {
  createCartWorkflow,
  createPaymentCollectionForCartWorkflow,
  createPaymentSessionsWorkflow,
  refreshCartItemsWorkflow,
} from "@medusajs/medusa/core-flows"
import { z } from "zod"
import { normalizeCurrency } from "../../../../lib/money"
import { listRegistrations, type VippsRegistration } from "../../../../providers/vipps/registration"
import type { VippsSessionData } from "../../../../providers/vipps/session-data"
import { expressShippingGroups } from "../../../vipps/express/shipping-groups"

/**
 * `POST /store/vipps/express` — Vipps MobilePay Express from the product page (`{variant_id, quantity,
 * region_id}`: a new cart) or the cart (`{cart_id}`). Starts a normal Vipps MobilePay payment session of the
 * cart whose create request carries `shipping`: Medusa's shipping options for the cart (fixed), or the
 * shipping callback (`shipping: "dynamic"`). Answers where to send the shopper; the rest (return page,
 * webhooks, reconciliation) is the plugin's usual flow, and on approval the cart is filled from what the
 * shopper chose in the app before it becomes the order.
 */

const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[A-Za-z0-9]{1,64}$`))

const Common = {
  provider_id: z
    .string()
    .regex(/^pp_vipps_[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  /** "fixed" (default): the options Medusa knows now; "dynamic": priced for the address chosen in the app. */
  shipping: z.enum(["fixed", "dynamic"]).default("fixed"),
  /** The storefront's own return page (the registration's allowedReturnUrlOrigins apply). */
  return_url: z.string().min(1).max(2000).optional(),
  user_flow: z.enum(["WEB_REDIRECT", "NATIVE_REDIRECT", "QR"]).optional(),
}

export const ExpressRequest = z.union([
  z.strictObject({ cart_id: id("cart"), ...Common }),
  z.strictObject({
    variant_id: id("variant"),
    quantity: z.number().int().min(1).max(100),
    region_id: id("reg"),
    ...Common,
  }),
])
export type ExpressRequest = z.infer<typeof ExpressRequest>

type ExpressCart = {
  id: string
  completed_at?: string | null
  currency_code: string
  region_id?: string | null
  sales_channel_id?: string | null
  items?: { id: string }[] | null
  shipping_methods?: { id: string }[] | null
  payment_collection?: { id: string } | null
  region?: { payment_providers?: { id: string }[] | null } | null
}

async function loadCart(container: MedusaContainer, cartId: string): Promise<ExpressCart | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: [
      "id",
      "completed_at",
      "currency_code",
      "region_id",
      "sales_channel_id",
      "items.id",
      "shipping_methods.id",
      "payment_collection.id",
      "region.payment_providers.id",
    ],
    filters: { id: cartId },
  })
  return data[0] as ExpressCart | undefined
}

function invalid(message: string): MedusaError {
  return new MedusaError(MedusaError.Types.INVALID_DATA, message)
}

/** The registration to pay with: the one asked for, else the region's first Vipps MobilePay provider. */
async function registrationFor(
  container: MedusaContainer,
  cart: ExpressCart,
  providerId: string | undefined,
): Promise<VippsRegistration> {
  const enabled = new Set((cart.region?.payment_providers ?? []).map((p) => p.id))
  const candidates = (await listRegistrations(container)).filter((r) => enabled.has(r.providerId))
  const registration = providerId ? candidates.find((r) => r.providerId === providerId) : candidates[0]
  if (!registration) throw invalid("Vipps MobilePay is not a payment provider of this cart's region")
  return registration
}

/** The product-page case: a new cart of the storefront's sales channel holding the one variant. */
async function newCart(
  req: MedusaRequest,
  input: { variant_id: string; quantity: number; region_id: string },
) {
  const channels = (req as { publishable_key_context?: { sales_channel_ids?: string[] } })
    .publishable_key_context?.sales_channel_ids
  const { result } = await createCartWorkflow(req.scope).run({
    input: {
      region_id: input.region_id,
      ...(channels?.length === 1 ? { sales_channel_id: channels[0] } : {}),
      items: [{ variant_id: input.variant_id, quantity: input.quantity }],
    },
  })
  return result.id
}

export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const parsed = ExpressRequest.safeParse(req.body ?? {})
  if (!parsed.success) {
    throw invalid(
      "Express needs {cart_id} or {variant_id, quantity, region_id}, optionally provider_id, shipping (fixed|dynamic), return_url and user_flow",
    )
  }
  const input = parsed.data
  const container = req.scope
  const cartId = "cart_id" in input ? input.cart_id : await newCart(req, input)

  let cart = await loadCart(container, cartId)
  if (!cart) throw new MedusaError(MedusaError.Types.NOT_FOUND, "No such cart")
  if (cart.completed_at) throw invalid("This cart is already an order")
  if (!cart.items?.length) throw invalid("The cart is empty")
  const registration = await registrationFor(container, cart, input.provider_id)
  const currency = normalizeCurrency(cart.currency_code)

  // Shipping is chosen in the app: a method picked on the store's own checkout page is dropped first, so
  // the payment amount is the goods and the app adds the option the shopper picks.
  if (cart.shipping_methods?.length) {
    const cartModule = container.resolve<ICartModuleService>(Modules.CART)
    await cartModule.softDeleteShippingMethods(cart.shipping_methods.map((m) => m.id))
    await refreshCartItemsWorkflow(container).run({ input: { cart_id: cartId, force_refresh: true } })
  }

  let express: { fixedOptions: Awaited<ReturnType<typeof expressShippingGroups>> } | { dynamic: true }
  if (input.shipping === "dynamic") {
    if (!registration.options.expressCallbackUrl) {
      throw invalid("Dynamic shipping options need the provider option expressCallbackUrl")
    }
    express = { dynamic: true }
  } else {
    const fixedOptions = await expressShippingGroups(container, cartId, currency, { flatOnly: true })
    if (fixedOptions.length === 0) throw invalid("No shipping option of this store can deliver this cart")
    express = { fixedOptions }
  }

  if (!cart.payment_collection) {
    await createPaymentCollectionForCartWorkflow(container).run({ input: { cart_id: cartId } })
    cart = (await loadCart(container, cartId)) as ExpressCart
  }
  const { result: session } = await createPaymentSessionsWorkflow(container).run({
    input: {
      payment_collection_id: (cart.payment_collection as { id: string }).id,
      provider_id: registration.providerId,
      data: {
        cart_id: cartId,
        express,
        ...(input.return_url ? { returnUrl: input.return_url } : {}),
        ...(input.user_flow ? { userFlow: input.user_flow } : {}),
      },
    },
  })
  const data = session.data as unknown as VippsSessionData
  res.setHeader("Cache-Control", "no-store")
  res.status(200).json({
    express: {
      cart_id: cartId,
      reference: data.reference,
      redirect_url: data.redirectUrl ?? null,
      payment_session_id: session.id,
    },
  })
}
