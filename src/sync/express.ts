import type { ICartModuleService, IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { addShippingMethodToCartWorkflow } from "@medusajs/medusa/core-flows"
import { fromMinorUnits, toMinorUnits } from "../lib/money"
import type { GetPaymentResponse } from "../lib/vipps/schemas"
import { medusaDecimal } from "../providers/vipps/amount"
import { isVippsSessionData, type VippsSessionData } from "../providers/vipps/session-data"
import { profileFromUserDetails } from "./profile"

/**
 * Express: before an approved Express payment's cart becomes the order, the cart gets what the shopper
 * chose in the app — the delivery address (`shippingDetails`), email, name and phone (`userDetails`), and
 * the chosen shipping option as a shipping method through Medusa's `addShippingMethodToCartWorkflow` (which
 * prices it, applies promotions and taxes). The order is only created when the cart total then equals the
 * amount Vipps MobilePay authorized, exactly; otherwise this throws a definite error and the sync releases
 * the payment (`releaseUnorderable`).
 *
 * The trap: a cart change makes Medusa replace the payment sessions when the total moves. Before the
 * shipping method is added, the payment collection is set to the authorized amount and marked
 * (`EXPRESS_LOCK`): the total then does not "move", and `src/workflows/hooks` refuses any cart change that
 * would drop the session of an approved Express payment.
 */

/** Payment collection metadata: the reference of the approved Express payment that owns its session. */
export const EXPRESS_LOCK = "vipps_express_reference"

type Session = {
  id: string
  payment_collection_id: string
  currency_code: string
  data: unknown
}

type ExpressCart = {
  id: string
  email?: string | null
  completed_at?: string | null
  total?: unknown
  currency_code: string
  shipping_address?: { id: string } | null
  billing_address?: { id: string; address_1?: string | null } | null
  region?: { countries?: { iso_2: string }[] } | null
  shipping_methods?: { shipping_option_id?: string | null }[] | null
  payment_collection?: { id: string; metadata?: Record<string, unknown> | null } | null
}

export function isExpressSession(data: unknown): data is VippsSessionData & { express: object } {
  return isVippsSessionData(data) && !!data.express
}

async function loadCart(container: MedusaContainer, cartId: string): Promise<ExpressCart | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: [
      "id",
      "email",
      "completed_at",
      "total",
      "currency_code",
      "shipping_address.id",
      "billing_address.id",
      "billing_address.address_1",
      "region.countries.iso_2",
      "shipping_methods.shipping_option_id",
      "payment_collection.id",
      "payment_collection.metadata",
    ],
    filters: { id: cartId },
  })
  return data[0] as ExpressCart | undefined
}

const cannot = (why: string) => new MedusaError(MedusaError.Types.NOT_ALLOWED, why)

/**
 * Fills the cart of an approved Express payment and checks its total; does nothing for other payments.
 * Safe to run again (a retry after a failed completion finds the method in place and only checks).
 */
export async function fillExpressCart(
  container: MedusaContainer,
  session: Session,
  cartId: string,
  vipps: GetPaymentResponse,
): Promise<void> {
  if (!isExpressSession(session.data)) return
  const cart = await loadCart(container, cartId)
  if (!cart || cart.completed_at) return
  const currency = vipps.amount.currency
  const authorized = vipps.aggregate.authorizedAmount.value
  const optionId = vipps.shippingDetails?.shippingOptionId
  if (!optionId) throw cannot("Vipps MobilePay approved the Express payment without a shipping choice")
  const collectionId = session.payment_collection_id
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)

  const lock = cart.payment_collection?.metadata ?? {}
  await paymentModule.updatePaymentCollections(collectionId, {
    amount: fromMinorUnits(authorized, currency),
    metadata: { ...lock, [EXPRESS_LOCK]: vipps.reference },
  })
  try {
    await fillContact(container, cart, vipps)
    if (!cart.shipping_methods?.some((m) => m.shipping_option_id === optionId)) {
      await addShippingMethodToCartWorkflow(container).run({
        input: { cart_id: cartId, options: [{ id: optionId }] },
      })
    }
    const after = await loadCart(container, cartId)
    const total = after ? toMinorUnits(medusaDecimal(after.total as never), currency) : -1
    if (total !== authorized) {
      throw cannot(
        `the cart total with the chosen shipping (${fromMinorUnits(total, currency)} ${currency}) differs from the amount Vipps MobilePay authorized (${fromMinorUnits(authorized, currency)} ${currency})`,
      )
    }
  } catch (error) {
    // Not orderable: give the cart back to the shopper (the sync releases the payment).
    await paymentModule.updatePaymentCollections(collectionId, {
      metadata: { ...lock, [EXPRESS_LOCK]: null },
    })
    throw MedusaError.isMedusaError(error)
      ? error
      : cannot(`the chosen shipping could not be added (${error instanceof Error ? error.message : "error"})`)
  }

  // Medusa's payment will be for what Vipps MobilePay reserved: the goods and the chosen shipping.
  const data: VippsSessionData = {
    ...session.data,
    expressApproved: { shippingOptionId: optionId, authorizedValue: authorized },
  }
  const sessions = paymentModule as unknown as {
    updatePaymentSessions(update: { id: string; amount: string; data: unknown }): Promise<unknown>
  }
  await sessions.updatePaymentSessions({ id: session.id, amount: fromMinorUnits(authorized, currency), data })
}

/**
 * Email (when the cart has none), and the delivery address chosen in the app with the shopper's name and
 * phone; billing is the same address unless the cart has one. Through the cart module, not a workflow: the
 * shipping method that follows recomputes taxes and totals for the new address.
 */
async function fillContact(container: MedusaContainer, cart: ExpressCart, vipps: GetPaymentResponse) {
  const profile = vipps.userDetails ? profileFromUserDetails(vipps.userDetails) : {}
  const shipped = vipps.shippingDetails?.address
  const country = shipped?.country?.trim().toLowerCase()
  if (!shipped?.addressLine1 || !country) throw cannot("Vipps MobilePay shared no delivery address")
  const countries = (cart.region?.countries ?? []).map((c) => c.iso_2.toLowerCase())
  if (!countries.includes(country)) throw cannot("the delivery address is outside the cart's region")
  const address = {
    first_name: profile.firstName,
    last_name: profile.lastName,
    phone: profile.phone,
    address_1: shipped.addressLine1,
    address_2:
      shipped.addressLine2 && shipped.addressLine2 !== shipped.addressLine1 ? shipped.addressLine2 : "",
    postal_code: shipped.postCode ?? undefined,
    city: shipped.city ?? undefined,
    country_code: country,
  }
  const cartModule = container.resolve<ICartModuleService>(Modules.CART)
  const update: Parameters<ICartModuleService["updateCarts"]>[1] = {}
  if (!cart.email && profile.email) update.email = profile.email
  if (cart.shipping_address) await cartModule.updateAddresses([{ id: cart.shipping_address.id, ...address }])
  else update.shipping_address = address
  if (!cart.billing_address?.address_1) {
    if (cart.billing_address) await cartModule.updateAddresses([{ id: cart.billing_address.id, ...address }])
    else update.billing_address = address
  }
  if (Object.keys(update).length > 0) await cartModule.updateCarts(cart.id, update)
}
