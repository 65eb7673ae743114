import { deriveReturnTokenKey, isReturnToken } from "../../../lib/return-token"
import type { Receipt } from "../../../lib/vipps/schemas"
import { buildCreatePaymentRequest } from "../create-payment"
import { parseOptions, VippsOptionsInput } from "../options"
import { StorefrontInput } from "../session-data"

const REFERENCE = "shop-payses-01JQ8ZK3W4N6B2X9T5V7Y0C1DE"
const BASE: VippsOptionsInput = {
  clientId: "id",
  clientSecret: "the-client-secret",
  subscriptionKey: "key",
  merchantSerialNumber: "123456",
  returnUrl: "https://shop.example/return?reference={reference}&cart_id={cart_id}",
  storeName: "Acme",
}
const KNOWN: Parameters<typeof buildCreatePaymentRequest>[2] = {
  reference: REFERENCE,
  sessionId: "payses_01JQ8ZK3W4N6B2X9T5V7Y0C1DE",
  currency: "NOK" as const,
  value: 49900,
  cartId: "cart_01ABC",
}

const build = (options: Record<string, unknown>, input: Record<string, unknown>, known = KNOWN) =>
  buildCreatePaymentRequest(parseOptions({ ...BASE, ...options }), StorefrontInput.parse(input), known)

describe("buildCreatePaymentRequest", () => {
  it("appends the reference's return token to the return URL", () => {
    const request = build({}, {})
    const url = new URL(request.returnUrl!)
    expect(url.searchParams.get("reference")).toBe(REFERENCE)
    expect(url.searchParams.get("cart_id")).toBe("cart_01ABC")
    const token = url.searchParams.get("vipps_token")
    expect(isReturnToken(deriveReturnTokenKey("the-client-secret"), REFERENCE, token)).toBe(true)
    expect(request.returnUrl).not.toContain("the-client-secret")
  })

  it.each([
    [{}, { phoneNumber: "4791234567" }, /phoneNumber is only accepted with userFlow PUSH_MESSAGE/],
    [{}, { userFlow: "QR", phoneNumber: "4791234567" }, /phoneNumber/],
    [{}, { customerInteraction: "CUSTOMER_PRESENT" }, /customerInteraction .*storefrontCustomerInteraction/],
    [{}, { customerInteraction: "CUSTOMER_NOT_PRESENT" }, /customerInteraction/],
    [{ allowedReturnUrlOrigins: ["myapp://"] }, { returnUrl: "javascript:alert(1)" }, /returnUrl/],
    [{ allowedReturnUrlOrigins: ["myapp://"] }, { returnUrl: "javascript://x/%0aalert(1)" }, /returnUrl/],
    [{ allowedReturnUrlOrigins: ["myapp://"] }, { returnUrl: "data:text/html,x" }, /returnUrl/],
    [{ allowedReturnUrlOrigins: ["myapp://"] }, { returnUrl: "evilapp://x" }, /returnUrl/],
    [
      { allowedReturnUrlOrigins: ["https://shop.example"] },
      { returnUrl: "http://shop.example/r" },
      /returnUrl/,
    ],
  ] as const)("refuses %j + %j", (options, input, message) => {
    expect(() => build(options, input)).toThrow(message)
  })

  it("accepts what the options allow", () => {
    const till = build(
      { storefrontCustomerInteraction: true, storefrontUserFlows: ["PUSH_MESSAGE"] },
      { userFlow: "PUSH_MESSAGE", phoneNumber: "4791234567", customerInteraction: "CUSTOMER_PRESENT" },
    )
    expect(till).toMatchObject({
      customer: { phoneNumber: "4791234567" },
      customerInteraction: "CUSTOMER_PRESENT",
    })
    const app = build({ allowedReturnUrlOrigins: ["myapp://"] }, { returnUrl: "myapp://done?r={reference}" })
    expect(app.returnUrl).toMatch(new RegExp(`^myapp://done\\?r=${REFERENCE}&vipps_token=[A-Za-z0-9_-]{43}$`))
  })

  it("describes the payment by store and items, never by reference", () => {
    const receipt: Receipt = {
      orderLines: [
        {
          name: "T-shirt",
          id: "i1",
          totalAmount: 39800,
          totalAmountExcludingTax: 39800,
          totalTaxAmount: 0,
          taxPercentage: 0,
          unitInfo: { unitPrice: 19900, quantity: "2" },
          isShipping: false,
        },
        {
          name: "Mug",
          id: "i2",
          totalAmount: 5100,
          totalAmountExcludingTax: 5100,
          totalTaxAmount: 0,
          taxPercentage: 0,
          unitInfo: { unitPrice: 5100, quantity: "1" },
          isShipping: false,
        },
        {
          name: "Shipping",
          id: "s1",
          totalAmount: 5000,
          totalAmountExcludingTax: 5000,
          totalTaxAmount: 0,
          taxPercentage: 0,
          isShipping: true,
        },
      ],
      bottomLine: { currency: "NOK", receiptNumber: "cart_01ABC" },
    }
    expect(build({}, {}, { ...KNOWN, receipt }).paymentDescription).toBe("Acme: 2 × T-shirt, Mug")
    expect(build({}, {}).paymentDescription).toBe("Acme")
    expect(build({ storeName: undefined }, {}).paymentDescription).toBe("Online purchase")
    expect(build({ paymentDescription: "{store_name} #{cart_id}" }, {}).paymentDescription).toBe(
      "Acme #cart_01ABC",
    )
  })
})

describe("allowedReturnUrlOrigins option", () => {
  it.each(["javascript://", "data://x", "https://shop.example/path", "shop.example"])(
    "refuses %s at startup",
    (entry) => {
      expect(() => parseOptions({ ...BASE, allowedReturnUrlOrigins: [entry] })).toThrow(
        /allowedReturnUrlOrigins/,
      )
    },
  )

  it("accepts origins and app schemes", () => {
    expect(
      parseOptions({
        ...BASE,
        allowedReturnUrlOrigins: ["https://shop.example", "myapp://", "myapp://checkout"],
      }).allowedReturnUrlOrigins,
    ).toHaveLength(3)
  })
})
