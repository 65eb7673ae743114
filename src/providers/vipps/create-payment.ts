import { MedusaError } from "@medusajs/framework/utils"
import { deriveReturnTokenKey, returnToken, withReturnToken } from "../../lib/return-token"
import { isAllowedReturnUrl, parseReturnUrlRule, ReturnUrlRule } from "../../lib/return-url"
import { shippingCallbackToken } from "../../lib/shipping-callback-token"
import type { CreatePaymentRequest, Currency, Receipt } from "../../lib/vipps/schemas"
import type { VippsOptions } from "./options"
import { describePayment } from "./payment-description"
import type { StorefrontInput, VippsSessionData } from "./session-data"

type Known = {
  reference: string
  sessionId: string
  currency: Currency
  value: number
  /** The cart being paid, when Medusa has one for the session. */
  cartId?: string
  /** Staff sent this request from the admin (proved by the admin-request grant): storefront limits do not apply. */
  byStaff?: boolean
  receipt?: Receipt
  /** The highest age limit of the cart's products (metadata `vipps_minimum_user_age`), when any. */
  minimumUserAge?: number
}

/** The registration's and the cart's age limits together: the highest applies. */
export function effectiveMinimumUserAge(options: VippsOptions, cartAge?: number): number | undefined {
  const ages = [options.minimumUserAge, cartAge].filter((age): age is number => age !== undefined)
  return ages.length > 0 ? Math.max(...ages) : undefined
}

/** ePayment 2026 fields from the options: legal links, age limit, blocked sources (DK/FI wallets only). */
function features(options: VippsOptions, known: Known, paymentMethod: string) {
  const minimumUserAge = effectiveMinimumUserAge(options, known.minimumUserAge)
  const links = {
    ...(options.termsOfSaleUrl ? { termsOfSaleUrl: options.termsOfSaleUrl } : {}),
    ...(options.privacyPolicyUrl ? { privacyPolicyUrl: options.privacyPolicyUrl } : {}),
  }
  // Norwegian sales units refuse blockedSources (5010): NOK payments go without it.
  const blockedSources =
    options.blockedSources && paymentMethod === "WALLET" && known.currency !== "NOK"
      ? options.blockedSources
      : undefined
  return {
    ...(minimumUserAge ? { minimumUserAge } : {}),
    ...(Object.keys(links).length > 0 ? { merchantLegalLinks: links } : {}),
    blockedSources,
  }
}

/** Express needs the address, and the documented scope is all four (it satisfies old and new docs). */
export const EXPRESS_SCOPE = "name address email phoneNumber"

/** The scope to ask for: the registration's, widened to the Express scope for an Express payment. */
function scopeFor(options: VippsOptions, express: boolean): string | undefined {
  if (!express) return options.profileScope
  const scopes = new Set([...EXPRESS_SCOPE.split(" "), ...(options.profileScope ?? "").split(" ")])
  scopes.delete("")
  return [...scopes].join(" ")
}

/** The `shipping` object of an Express payment: the groups offered, or the callback with its token. */
function expressShipping(options: VippsOptions, input: StorefrontInput, reference: string) {
  const express = input.express
  if (!express) return undefined
  if (express.fixedOptions) return { fixedOptions: express.fixedOptions }
  if (!options.expressCallbackUrl) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "Express with dynamic shipping options needs the provider option expressCallbackUrl",
    )
  }
  const url = new URL(options.expressCallbackUrl)
  url.searchParams.set("reference", reference)
  return {
    dynamicOptions: {
      callbackUrl: url.toString(),
      callbackAuthorizationToken: shippingCallbackToken(
        deriveReturnTokenKey(options.clientSecret),
        reference,
      ),
    },
  }
}

/** Fills the return URL's placeholders, URL-encoded. */
function fill(template: string, values: Record<string, string | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name]
    if (value === undefined) return whole === "{cart_id}" ? "" : whole
    return encodeURIComponent(value)
  })
}

function returnUrlRules(options: VippsOptions): ReturnUrlRule[] {
  return options.allowedReturnUrlOrigins
    .map((entry) => parseReturnUrlRule(entry.trim()))
    .filter((rule): rule is ReturnUrlRule => !("error" in rule))
}

/** The ePayment create request for a session: options as defaults, validated storefront input on top. */
export function buildCreatePaymentRequest(
  options: VippsOptions,
  input: StorefrontInput,
  known: Known,
): CreatePaymentRequest {
  const userFlow = input.userFlow ?? options.userFlow
  const paymentMethod = input.paymentMethod ?? options.paymentMethod
  const values = {
    reference: known.reference,
    session_id: known.sessionId,
    cart_id: known.cartId ?? input.cart_id,
    store_name: options.storeName,
  }

  if (
    !known.byStaff &&
    input.userFlow &&
    input.userFlow !== options.userFlow &&
    !options.storefrontUserFlows.includes(input.userFlow)
  ) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `userFlow ${input.userFlow} is not enabled for the storefront: add it to the provider option storefrontUserFlows`,
    )
  }
  if (input.express && paymentMethod !== "WALLET") {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "Express checkout is for the app (WALLET) only")
  }
  if (input.express && (userFlow === "PUSH_MESSAGE" || input.expiresAt)) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "Express checkout starts from the store's page: userFlow WEB_REDIRECT, NATIVE_REDIRECT or QR, not long-living",
    )
  }
  if (paymentMethod === "CARD" && userFlow !== "WEB_REDIRECT") {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "Card payments need userFlow WEB_REDIRECT")
  }
  if (userFlow === "PUSH_MESSAGE" && !input.phoneNumber) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "userFlow PUSH_MESSAGE needs the customer's phoneNumber",
    )
  }
  // The landing page asks for the number itself: a web shop never collects it (and must not pass one on).
  if (input.phoneNumber && userFlow !== "PUSH_MESSAGE") {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "phoneNumber is only accepted with userFlow PUSH_MESSAGE",
    )
  }
  if (input.customerInteraction && !options.storefrontCustomerInteraction && !known.byStaff) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "customerInteraction is not accepted from the storefront: enable the provider option storefrontCustomerInteraction (tills and kiosks only)",
    )
  }

  if (input.expiresAt) {
    if (userFlow !== "QR" && userFlow !== "PUSH_MESSAGE") {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        "expiresAt (long-living payment) needs userFlow QR or PUSH_MESSAGE",
      )
    }
    if (!known.receipt) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        "A long-living payment needs order lines, and this cart's or order's lines do not add up to the payment amount",
      )
    }
  }

  let returnUrl: string | undefined
  if (input.returnUrl) {
    if (!isAllowedReturnUrl(input.returnUrl, returnUrlRules(options))) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        "returnUrl is not allowed from the storefront: only http(s) and app-scheme URLs whose scheme and host are in the provider option allowedReturnUrlOrigins",
      )
    }
    returnUrl = fill(input.returnUrl, values)
  } else if (options.returnUrl) {
    returnUrl = fill(options.returnUrl, values)
  }
  // The browser that comes back from the app carries proof that it started this payment.
  if (returnUrl) {
    returnUrl = withReturnToken(
      returnUrl,
      returnToken(deriveReturnTokenKey(options.clientSecret), known.reference),
    )
  }
  if (!returnUrl && (userFlow === "WEB_REDIRECT" || userFlow === "NATIVE_REDIRECT")) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `userFlow ${userFlow} needs a returnUrl (provider option)`,
    )
  }

  const description = describePayment(options.paymentDescription, {
    storeName: options.storeName,
    items: (known.receipt?.orderLines ?? [])
      .filter((line) => !line.isShipping)
      .map((line) => ({ name: line.name, quantity: line.unitInfo?.quantity })),
    reference: known.reference,
    cartId: values.cart_id,
  })
  const { blockedSources, ...extra } = features(options, known, paymentMethod)
  const shipping = expressShipping(options, input, known.reference)
  const scope = scopeFor(options, !!shipping)

  return {
    amount: { currency: known.currency, value: known.value },
    paymentMethod: { type: paymentMethod, ...(blockedSources ? { blockedSources } : {}) },
    reference: known.reference,
    userFlow,
    ...(returnUrl && userFlow !== "PUSH_MESSAGE" && userFlow !== "QR" ? { returnUrl } : {}),
    ...(input.phoneNumber ? { customer: { phoneNumber: input.phoneNumber } } : {}),
    customerInteraction: input.customerInteraction ?? options.customerInteraction,
    paymentDescription: description,
    ...(scope ? { profile: { scope } } : {}),
    ...(known.receipt ? { receipt: known.receipt } : {}),
    ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
    ...extra,
    ...(shipping ? { shipping } : {}),
    ...(userFlow === "QR"
      ? {
          qrFormat: {
            format: input.qrFormat ?? "IMAGE/SVG+XML",
            ...(input.qrSize ? { size: input.qrSize } : {}),
          },
        }
      : {}),
  }
}

/** The session data of a payment Vipps MobilePay has just created from `request`. */
export function createdSessionData(
  request: CreatePaymentRequest,
  redirectUrl: string | undefined,
  cartId: string | undefined,
): VippsSessionData {
  return {
    reference: request.reference,
    userFlow: request.userFlow,
    paymentMethod: request.paymentMethod.type,
    ...(redirectUrl ? { redirectUrl } : {}),
    ...(request.qrFormat ? { qrFormat: request.qrFormat.format } : {}),
    amount: { currency: request.amount.currency, value: request.amount.value },
    state: "CREATED",
    ...(cartId ? { cart_id: cartId } : {}),
    ...(request.expiresAt ? { expiresAt: request.expiresAt } : {}),
  }
}
