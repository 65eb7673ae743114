import { MedusaError } from "@medusajs/framework/utils"
import { RunningSimulator, startSimulator } from "../../../simulator"
import { buildCreatePaymentRequest, effectiveMinimumUserAge } from "../create-payment"
import { ageFromMetadata, cartMinimumUserAge, MINIMUM_USER_AGE_METADATA_KEY } from "../minimum-age"
import { parseOptions } from "../options"
import { VippsProviderService } from "../service"

const logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
}
const KEYS = {
  clientId: "sim-client-id",
  clientSecret: "sim-client-secret",
  subscriptionKey: "sim-subscription-key",
  merchantSerialNumber: "123456",
}
const DANISH = {
  clientId: "dk-client",
  clientSecret: "dk-secret",
  subscriptionKey: "dk-key",
  merchantSerialNumber: "654321",
}

describe("ePayment 2026 options on the create request", () => {
  let sim: RunningSimulator
  let counter = 0
  const newSession = () => `payses_01JQ8ZK3W4N6B2X9T5V7Y2C${String(++counter).padStart(3, "0")}`

  beforeAll(async () => {
    sim = await startSimulator({
      merchants: [
        { ...KEYS, msn: KEYS.merchantSerialNumber, currencies: ["NOK"] },
        { ...DANISH, msn: DANISH.merchantSerialNumber, currencies: ["DKK", "EUR"], country: "DK" },
      ],
    })
  })
  afterAll(() => sim.stop())

  const provider = (options: Record<string, unknown>, keys = KEYS) =>
    new VippsProviderService({ logger } as never, {
      ...keys,
      apiBaseUrl: sim.url,
      returnUrl: "https://shop.example/return?ref={reference}",
      maxAttempts: 1,
      ...options,
    })

  async function initiate(p: VippsProviderService, currency = "nok", data: Record<string, unknown> = {}) {
    const session_id = newSession()
    const result = await p.initiatePayment({
      amount: "199.00",
      currency_code: currency,
      data: { session_id, ...data },
      context: { idempotency_key: session_id },
    })
    const create = sim.control.requests({ operation: "createPayment" }).at(-1)!
    return { result, body: create.body as Record<string, unknown> }
  }

  it("sends the legal links and the age limit when set, and nothing when not", async () => {
    const { body } = await initiate(
      provider({
        termsOfSaleUrl: "https://shop.example/terms",
        privacyPolicyUrl: "https://shop.example/privacy",
        minimumUserAge: 18,
      }),
    )
    expect(body).toMatchObject({
      minimumUserAge: 18,
      merchantLegalLinks: {
        termsOfSaleUrl: "https://shop.example/terms",
        privacyPolicyUrl: "https://shop.example/privacy",
      },
    })
    const { body: plain } = await initiate(provider({}))
    expect(plain).not.toHaveProperty("minimumUserAge")
    expect(plain).not.toHaveProperty("merchantLegalLinks")
  })

  it("blocks commercial cards on a Danish sales unit and leaves a Norwegian one alone", async () => {
    const { body } = await initiate(provider({ blockedSources: ["COMMERCIAL_CARDS"] }, DANISH), "dkk")
    expect(body.paymentMethod).toEqual({ type: "WALLET", blockedSources: ["COMMERCIAL_CARDS"] })
    const { body: norway } = await initiate(provider({ blockedSources: ["COMMERCIAL_CARDS"] }))
    expect(norway.paymentMethod).toEqual({ type: "WALLET" })
  })

  it("tells an under-age shopper, in words, that Vipps MobilePay cannot take the payment", async () => {
    const p = provider({ minimumUserAge: 99, storefrontUserFlows: ["PUSH_MESSAGE"] })
    const attempt = initiate(p, "nok", { userFlow: "PUSH_MESSAGE", phoneNumber: "4712345678" })
    await expect(attempt).rejects.toThrow(MedusaError)
    await expect(initiate(p, "nok", { userFlow: "PUSH_MESSAGE", phoneNumber: "4712345678" })).rejects.toThrow(
      /age limit applies\)\. Choose another payment method/,
    )
  })

  it("refuses bad options at startup, naming them", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ termsOfSaleUrl: "http://shop.example/terms" }, /termsOfSaleUrl must be an absolute https/],
      [{ privacyPolicyUrl: "privacy" }, /privacyPolicyUrl must be an absolute https/],
      [{ minimumUserAge: 17.5 }, /minimumUserAge/],
      [{ minimumUserAge: 101 }, /minimumUserAge/],
      [{ blockedSources: ["PRIVATE_CARDS"] }, /blockedSources/],
      [
        { blockedSources: ["COMMERCIAL_CARDS"], paymentMethod: "CARD" },
        /blockedSources needs paymentMethod WALLET/,
      ],
      [{ referencePrefix: "p".repeat(31) }, /referencePrefix must be 1-30/],
    ]
    for (const [change, message] of cases) {
      expect(() =>
        VippsProviderService.validateOptions({ ...KEYS, returnUrl: "https://x.example", ...change }),
      ).toThrow(message)
    }
    expect(() =>
      parseOptions({
        ...KEYS,
        returnUrl: "https://x.example",
        referencePrefix: "p".repeat(30),
        minimumUserAge: 0,
      }),
    ).not.toThrow()
  })

  it("takes the highest age limit of the registration and the cart's products", () => {
    const options = parseOptions({ ...KEYS, returnUrl: "https://x.example", minimumUserAge: 16 })
    expect(effectiveMinimumUserAge(options, 18)).toBe(18)
    expect(effectiveMinimumUserAge(options, 15)).toBe(16)
    expect(effectiveMinimumUserAge(options, undefined)).toBe(16)
    const request = buildCreatePaymentRequest(
      options,
      {},
      { reference: "ref-12345678", sessionId: "payses_1", currency: "NOK", value: 100, minimumUserAge: 20 },
    )
    expect(request.minimumUserAge).toBe(20)
  })

  it("reads age limits from variant and product metadata", () => {
    const key = MINIMUM_USER_AGE_METADATA_KEY
    expect(ageFromMetadata({ [key]: 18 })).toBe(18)
    expect(ageFromMetadata({ [key]: " 20 " })).toBe(20)
    for (const bad of [0, -1, 17.5, 101, "eighteen", null, true])
      expect(ageFromMetadata({ [key]: bad })).toBeUndefined()
    expect(
      cartMinimumUserAge([
        { variant: { metadata: { [key]: 16 } } },
        { variant: { metadata: null, product: { metadata: { [key]: "18" } } } },
        { variant: null },
      ]),
    ).toBe(18)
    expect(cartMinimumUserAge([{ variant: { metadata: {} } }])).toBeUndefined()
    expect(cartMinimumUserAge(undefined)).toBeUndefined()
  })
})
