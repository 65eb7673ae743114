import { DEFAULT_SIMULATOR_MERCHANT, startSimulator, type RunningSimulator } from "../../../simulator"
import { VippsClient } from "../client"
import { EPAYMENT_ERROR_CODES } from "../error-codes"
import { VippsApiError } from "../errors"
import { isRetryable, nextDelay } from "../retry-policy"
import { TokenCache } from "../token-cache"

/**
 * Every code of the ePayment error table, produced by the simulator's fault injection, through the real
 * client: retried with the same Idempotency-Key exactly when the table says so, refused at once otherwise.
 */

const RETRIED = [6160, 6250, 6280]

describe("ePayment error codes through the client and the simulator", () => {
  let sim: RunningSimulator
  let client: VippsClient
  const reference = `errcodes-${Date.now().toString(36)}`

  beforeAll(async () => {
    sim = await startSimulator()
    client = new VippsClient(
      {
        clientId: DEFAULT_SIMULATOR_MERCHANT.clientId,
        clientSecret: DEFAULT_SIMULATOR_MERCHANT.clientSecret,
        subscriptionKey: DEFAULT_SIMULATOR_MERCHANT.subscriptionKey,
        merchantSerialNumber: DEFAULT_SIMULATOR_MERCHANT.msn,
        baseUrl: sim.url,
        systemInfo: { systemName: "medusa", systemVersion: "2", pluginName: "test", pluginVersion: "1" },
        retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 20_000 },
        logger: { warn: () => undefined, error: () => undefined },
      },
      { tokenCache: new TokenCache() },
    )
    await client.epayment.createPayment(
      {
        amount: { currency: "NOK", value: 1_000_000 },
        paymentMethod: { type: "WALLET" },
        reference,
        userFlow: "WEB_REDIRECT",
        returnUrl: "https://shop.example.com/return",
        paymentDescription: "Error code table",
      },
      `create-${reference}`,
    )
    sim.control.approve(reference)
  })
  afterAll(() => sim.stop())

  it("lists the documented retry set and nothing else", () => {
    const retried = Object.entries(EPAYMENT_ERROR_CODES)
      .filter(([, info]) => info.retry)
      .map(([code]) => Number(code))
    expect(retried).toEqual(RETRIED)
    expect(EPAYMENT_ERROR_CODES[6260].retry).toBe(false)
    expect(EPAYMENT_ERROR_CODES[5070].status).toBe(422)
  })

  it.each(Object.keys(EPAYMENT_ERROR_CODES).map(Number))(
    "code %i is retried with the same key exactly when the table says so",
    async (code) => {
      const key = `capture-code-${code}`
      sim.control.clearRequests()
      sim.control.failWithCode("capture", String(code))
      const expected = EPAYMENT_ERROR_CODES[code]
      const result = await client.epayment
        .capturePayment(reference, { currency: "NOK", value: 100 }, key)
        .then(
          () => "captured" as const,
          (error: unknown) => error,
        )
      const attempts = sim.control.requests({ operation: "capture" })
      const status500 = expected.status >= 500
      if (expected.retry || status500) {
        expect(result).toBe("captured")
        expect(attempts).toHaveLength(2)
      } else {
        expect(result).toBeInstanceOf(VippsApiError)
        const error = result as VippsApiError
        expect(error.code).toBe(code)
        expect(error.status).toBe(expected.status)
        expect(error.title).toBe(expected.title)
        expect(isRetryable(error)).toBe(false)
        expect(attempts).toHaveLength(1)
      }
      expect(new Set(attempts.map((a) => a.headers["idempotency-key"]))).toEqual(new Set([key]))
    },
  )

  it("waits a moment before repeating 6250 and 6280, and never repeats 6260", () => {
    const failure = (code: number) =>
      new VippsApiError({
        operation: "epayment.capturePayment",
        status: 400,
        extraDetails: [{ name: "ErrorCode", reason: String(code) }],
      })
    const options = { maxAttempts: 4, initialDelayMs: 250, maxDelayMs: 4000, maxElapsedMs: 30_000 }
    const noJitter = () => 0
    expect(nextDelay(failure(6280), 1, 0, options, noJitter)).toBe(1000)
    expect(nextDelay(failure(6250), 1, 0, options, noJitter)).toBe(1000)
    expect(nextDelay(failure(6160), 1, 0, options, noJitter)).toBe(0)
    expect(nextDelay(failure(6260), 1, 0, options, noJitter)).toBeNull()
    expect(nextDelay(failure(6280), 1, 29_500, options, noJitter)).toBeNull()
  })
})
