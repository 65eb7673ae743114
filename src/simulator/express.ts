import { ShippingCallbackResponse, type ShippingGroup } from "../lib/vipps/schemas"
import { ApiError, badRequest } from "./problems"
import type { SimulatorState } from "./state"
import type { SimPayment, SimShippingAddress, SimShippingChoice, SimulatorTestUser } from "./types"
import { checkShippingGroups } from "./create-validation"

/**
 * Express as the app plays it: the shopper consents, the delivery address is the test user's (or one the
 * test gives, as when the shopper edits it), the options are the fixed ones or the merchant's answer to the
 * dynamic callback for that address, and the approved total is the amount plus the chosen option's price.
 */

const COUNTRY_OF_CURRENCY: Record<string, string> = { NOK: "NO", DKK: "DK", EUR: "FI" }
const CALLBACK_TIMEOUT_MS = 10_000

/** What a test (or the landing page) tells the app: which option, which address. */
export type ExpressChoice = { shippingOptionId?: string; address?: Partial<SimShippingAddress> }

export function isExpress(payment: SimPayment): boolean {
  return !!payment.shipping
}

export function defaultAddress(user: SimulatorTestUser): SimShippingAddress {
  return {
    addressLine1: user.address.streetAddress,
    addressLine2: null,
    city: user.address.region,
    postCode: user.address.postalCode,
    country: user.address.country,
  }
}

/** The merchant's answer to the dynamic callback: `{kind:"options"}`, or a refusal the app shows. */
export type CallbackAnswer =
  | { kind: "options"; groups: ShippingGroup[] }
  | { kind: "refused"; status: number }
  | { kind: "failed"; reason: string }

/**
 * `POST {callbackUrl}` with the reference and the address, `Authorization` carrying the token verbatim
 * (the documented reading; x-uncertain). Records the call in the request log's sense: the answer decides.
 */
export async function callShippingCallback(
  payment: SimPayment,
  address: SimShippingAddress,
): Promise<CallbackAnswer> {
  const dynamic = payment.shipping?.dynamicOptions
  if (!dynamic) return { kind: "failed", reason: "not a dynamic Express payment" }
  let response: Response
  try {
    response = await fetch(dynamic.callbackUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: dynamic.callbackAuthorizationToken },
      body: JSON.stringify({ reference: payment.reference, ...address }),
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    })
  } catch (error) {
    return { kind: "failed", reason: error instanceof Error ? error.message : String(error) }
  }
  const text = await response.text()
  if (response.status !== 200) return { kind: "refused", status: response.status }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { kind: "failed", reason: "the answer is not JSON" }
  }
  const parsed = ShippingCallbackResponse.safeParse(body)
  if (!parsed.success) return { kind: "failed", reason: "the answer is not {groups: [...]}" }
  // An empty list is not an answer the app can show: the merchant must say 400 when it cannot deliver.
  if (parsed.data.groups.length === 0) return { kind: "failed", reason: "no shipping groups" }
  try {
    checkShippingGroups(parsed.data.groups, payment.amount.currency, "groups")
  } catch (error) {
    return { kind: "failed", reason: error instanceof Error ? error.message : "invalid groups" }
  }
  return { kind: "options", groups: parsed.data.groups }
}

/** The preselected option: the default group's default option, else the first by priority. */
function byPriority<T extends { priority?: number; isDefault?: boolean }>(items: T[]): T {
  return items.find((i) => i.isDefault) ?? [...items].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0))[0]
}

export function chooseOption(groups: ShippingGroup[], optionId?: string) {
  const options = groups.flatMap((g) => g.options)
  if (optionId !== undefined) {
    const found = options.find((o) => o.id === optionId)
    if (!found) throw badRequest(undefined, `No shipping option ${optionId} was offered for this payment.`)
    return found
  }
  return byPriority(byPriority(groups).options)
}

/** The address must be in an allowed country: `allowedCountries`, else the currency's country. */
function checkCountry(payment: SimPayment, address: SimShippingAddress): void {
  const allowed = payment.shipping?.allowedCountries ?? [COUNTRY_OF_CURRENCY[payment.amount.currency]]
  if (!allowed.includes(address.country)) {
    throw badRequest(undefined, `The app cannot deliver to ${address.country} for this payment.`)
  }
}

/** The options the app shows for this address (calls the merchant for dynamic payments). */
export async function optionsFor(payment: SimPayment, address: SimShippingAddress): Promise<ShippingGroup[]> {
  if (payment.shipping?.fixedOptions) return payment.shipping.fixedOptions
  const answer = await callShippingCallback(payment, address)
  if (answer.kind === "options") return answer.groups
  if (answer.kind === "refused") {
    throw badRequest(undefined, "The merchant cannot deliver to this address.")
  }
  throw new ApiError({ status: 502, detail: `The merchant's shipping callback failed: ${answer.reason}` })
}

/** The shopper approves an Express payment: address, option, then the approval of amount + option. */
export async function approveExpress(
  state: SimulatorState,
  payment: SimPayment,
  choice: ExpressChoice = {},
  phoneNumber = state.approverFor(payment),
): Promise<SimPayment> {
  const address = addressOf(state, payment, choice)
  return approveWith(state, payment, await optionsFor(payment, address), address, choice, phoneNumber)
}

/** The same for fixed options, without a round trip (tests and the control object can stay synchronous). */
export function approveFixed(
  state: SimulatorState,
  payment: SimPayment,
  choice: ExpressChoice = {},
  phoneNumber = state.approverFor(payment),
): SimPayment {
  const fixed = payment.shipping?.fixedOptions
  if (!fixed) throw badRequest(undefined, "Dynamic Express payments are approved with approveExpress.")
  return approveWith(state, payment, fixed, addressOf(state, payment, choice), choice, phoneNumber)
}

function addressOf(state: SimulatorState, payment: SimPayment, choice: ExpressChoice): SimShippingAddress {
  if (payment.state !== "CREATED") {
    throw badRequest("10060", `The payment cannot be approved: it is ${payment.state}.`)
  }
  const address = { ...defaultAddress(state.testUser), ...choice.address }
  checkCountry(payment, address)
  return address
}

function approveWith(
  state: SimulatorState,
  payment: SimPayment,
  groups: ShippingGroup[],
  address: SimShippingAddress,
  choice: ExpressChoice,
  phoneNumber: string,
): SimPayment {
  const option = chooseOption(groups, choice.shippingOptionId)
  const shippingChoice: SimShippingChoice = {
    address,
    optionId: option.id,
    optionName: option.name,
    value: option.amount.value,
  }
  state.payments.approve(payment, phoneNumber, shippingChoice)
  return payment
}

/** `shippingDetails` of GET and the AUTHORIZED webhook; `shippingCost` in minor units (x-uncertain). */
export function shippingDetails(payment: SimPayment): Record<string, unknown> | undefined {
  const choice = payment.shippingChoice
  if (!choice) return undefined
  return {
    address: { ...choice.address },
    shippingCost: choice.value,
    shippingOptionId: choice.optionId,
    shippingOptionName: choice.optionName,
  }
}
