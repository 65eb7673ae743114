import { deriveReturnTokenKey } from "../../../lib/return-token"
import { isShippingCallbackToken, shippingCallbackToken } from "../../../lib/shipping-callback-token"
import { parseShippingCallback } from "../../../lib/vipps/shipping-callback"
import { CreatePaymentRequest } from "../../../lib/vipps/schemas"
import { buildCreatePaymentRequest } from "../create-payment"
import { parseOptions, VippsOptionsInput } from "../options"
import { StorefrontInput } from "../session-data"

const REFERENCE = "shop-payses-01JQ8ZK3W4N6B2X9T5V7Y0C1DE"
const BASE: VippsOptionsInput = {
  clientId: "id",
  clientSecret: "the-client-secret",
  subscriptionKey: "key",
  merchantSerialNumber: "123456",
  returnUrl: "https://shop.example/return?reference={reference}",
  expressCallbackUrl: "https://shop.example/vipps/shipping/vipps",
}
const KNOWN = {
  reference: REFERENCE,
  sessionId: "payses_01JQ8ZK3W4N6B2X9T5V7Y0C1DE",
  currency: "NOK" as const,
  value: 49900,
}
const GROUPS = [
  {
    brand: "OTHER",
    type: "HOME_DELIVERY",
    options: [{ id: "so_01ABC", amount: { currency: "NOK", value: 4900 }, name: "Home" }],
  },
]
const build = (input: Record<string, unknown>, options: Record<string, unknown> = {}) =>
  buildCreatePaymentRequest(parseOptions({ ...BASE, ...options }), StorefrontInput.parse(input), KNOWN)

describe("Express create request", () => {
  it("fixed options: WALLET, the four Express scopes, the groups as given, the goods as the amount", () => {
    const request = build({ express: { fixedOptions: GROUPS } }, { profileScope: "email" })
    expect(CreatePaymentRequest.parse(request)).toBeTruthy()
    expect(request.amount.value).toBe(49900)
    expect(request.paymentMethod).toEqual({ type: "WALLET" })
    expect(request.profile?.scope.split(" ").sort()).toEqual(["address", "email", "name", "phoneNumber"])
    expect(request.shipping).toEqual({ fixedOptions: GROUPS })
  })

  it("dynamic options: the callback URL carries the reference, the token proves only this reference", () => {
    const request = build({ express: { dynamic: true } })
    const dynamic = request.shipping!.dynamicOptions!
    expect(new URL(dynamic.callbackUrl).searchParams.get("reference")).toBe(REFERENCE)
    const key = deriveReturnTokenKey("the-client-secret")
    expect(isShippingCallbackToken(key, REFERENCE, dynamic.callbackAuthorizationToken)).toBe(true)
    expect(isShippingCallbackToken(key, REFERENCE, dynamic.callbackAuthorizationToken.slice(7))).toBe(true)
    expect(isShippingCallbackToken(key, `${REFERENCE}x`, dynamic.callbackAuthorizationToken)).toBe(false)
    expect(isShippingCallbackToken(key, REFERENCE, undefined)).toBe(false)
    expect(dynamic.callbackAuthorizationToken).not.toContain("the-client-secret")
    expect(shippingCallbackToken(key, REFERENCE)).toBe(dynamic.callbackAuthorizationToken)
  })

  it.each([
    [{ express: { dynamic: true } }, { expressCallbackUrl: undefined }, /expressCallbackUrl/],
    [{ express: { fixedOptions: GROUPS }, paymentMethod: "CARD" }, {}, /WALLET/],
    [
      { express: { fixedOptions: GROUPS }, userFlow: "PUSH_MESSAGE", phoneNumber: "4791234567" },
      { storefrontUserFlows: ["PUSH_MESSAGE"] },
      /Express/,
    ],
  ])("refuses %j", (input, options, message) => {
    expect(() => build(input, options)).toThrow(message)
  })

  it("the storefront input takes exactly one of fixedOptions and dynamic, and only valid groups", () => {
    expect(StorefrontInput.safeParse({ express: {} }).success).toBe(false)
    expect(StorefrontInput.safeParse({ express: { dynamic: true, fixedOptions: GROUPS } }).success).toBe(
      false,
    )
    expect(
      StorefrontInput.safeParse({ express: { fixedOptions: [{ ...GROUPS[0], brand: "ACME" }] } }).success,
    ).toBe(false)
  })
})

describe("parseShippingCallback", () => {
  const address = { addressLine1: "Robert Levins gate 5", city: "Oslo", postCode: "0154", country: "NO" }

  it.each([
    ["flat camelCase", { reference: REFERENCE, ...address, addressLine2: null }],
    [
      "capitalised",
      {
        Reference: REFERENCE,
        AddressLine1: "Robert Levins gate 5",
        City: "Oslo",
        PostCode: "0154",
        Country: "NO",
      },
    ],
    ["nested", { reference: REFERENCE, address }],
    [
      "country by name, duplicated line 2",
      { reference: REFERENCE, ...address, addressLine2: "Robert Levins gate 5", country: "Norway" },
    ],
  ])("reads %s", (_name, body) => {
    expect(parseShippingCallback(body)).toEqual({
      reference: REFERENCE,
      address: { addressLine1: "Robert Levins gate 5", city: "Oslo", postCode: "0154", country: "NO" },
    })
  })

  it.each([
    [null],
    ["text"],
    [{ reference: REFERENCE }],
    [{ ...address }],
    [{ reference: REFERENCE, ...address, country: "Atlantis" }],
  ])("refuses %j", (body) => {
    expect(parseShippingCallback(body)).toBeUndefined()
  })
})
