import { MedusaError } from "@medusajs/framework/utils"
import { RunningSimulator, startSimulator } from "../../../simulator"
import { VippsProviderService } from "../service"

const SESSION = "payses_01JQ8ZK3W4N6B2X9T5V7Y0C1DE"

const logs: string[] = []
const logger = {
  info: (m: string) => logs.push(m),
  warn: (m: string) => logs.push(m),
  error: (m: string) => logs.push(m),
  debug: (m: string) => logs.push(m),
}

describe("VippsProviderService against the simulator", () => {
  let sim: RunningSimulator
  const options = () => ({
    clientId: "sim-client-id",
    clientSecret: "sim-client-secret",
    subscriptionKey: "sim-subscription-key",
    merchantSerialNumber: "123456",
    apiBaseUrl: sim.url,
    returnUrl: "https://shop.example/return?ref={reference}",
    maxAttempts: 2,
  })
  const provider = (extra: Record<string, unknown> = {}) =>
    new VippsProviderService({ logger } as never, { ...options(), ...extra })

  beforeAll(async () => {
    sim = await startSimulator()
  })
  afterAll(() => sim.stop())
  beforeEach(() => {
    logs.length = 0
  })

  let counter = 0
  const newSession = () => `payses_01JQ8ZK3W4N6B2X9T5V7Y0C${String(++counter).padStart(3, "0")}`

  async function initiated(p = provider(), amount: unknown = "199.00") {
    const session_id = newSession()
    const result = await p.initiatePayment({
      amount: amount as string,
      currency_code: "nok",
      data: { session_id },
      context: { idempotency_key: session_id },
    })
    return { p, data: result.data as Record<string, unknown> & { reference: string } }
  }

  describe("options", () => {
    it("stops startup naming the bad option, never echoing a secret", () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ clientId: "" }, /clientId is required/],
        [{ merchantSerialNumber: "12" }, /merchantSerialNumber must be the 4-7 digit MSN/],
        [{ userFlow: "FAX" }, /userFlow/],
        [{ returnUrl: undefined }, /returnUrl is required for userFlow WEB_REDIRECT/],
        [{ referencePrefix: "-bad-" }, /referencePrefix/],
        [{ apiBaseUrl: "ftp://x" }, /apiBaseUrl must be an http\(s\) URL/],
        [{ nonsense: true }, /unknown option\(s\) nonsense/],
      ]
      for (const [change, message] of cases) {
        const call = () =>
          VippsProviderService.validateOptions({ ...options(), clientSecret: "TOP-SECRET-1", ...change })
        expect(call).toThrow(MedusaError)
        expect(call).toThrow(message)
        try {
          call()
        } catch (error) {
          expect(String((error as Error).message)).not.toContain("TOP-SECRET-1")
        }
      }
      expect(() => VippsProviderService.validateOptions(options())).not.toThrow()
    })
  })

  it("initiates with the exact amount and a reversible reference", async () => {
    const { data } = await initiated(provider({ referencePrefix: "shop1" }), {
      value: "1234.56",
      precision: 20,
    })
    expect(data.reference).toMatch(/^shop1-payses-01JQ8ZK3W4N6B2X9T5V7Y0C\d{3}$/)
    expect(data.amount).toEqual({ currency: "NOK", value: 123456 })
    expect(sim.control.getPayment(data.reference)!.amount).toEqual({ currency: "NOK", value: 123456 })
    const created = sim.control.requests({ operation: "createPayment" }).at(-1)!
    expect(created.headers["idempotency-key"]).toMatch(/^create-payses_/)
  })

  it("maps every state in getPaymentStatus", async () => {
    const { p, data } = await initiated()
    expect((await p.getPaymentStatus({ data })).status).toBe("pending")
    sim.control.approve(data.reference)
    expect((await p.getPaymentStatus({ data })).status).toBe("authorized")
    sim.control.capture(data.reference)
    expect((await p.getPaymentStatus({ data })).status).toBe("captured")

    const aborted = await initiated()
    sim.control.reject(aborted.data.reference)
    const status = await p.getPaymentStatus({ data: aborted.data })
    expect(status.status).toBe("error")
    expect(status.data).toMatchObject({ state: "ABORTED", failureReason: expect.stringMatching(/cancelled/) })

    const terminated = await initiated()
    await p.cancelPayment({ data: terminated.data, context: { idempotency_key: "pay_1" } })
    expect((await p.getPaymentStatus({ data: terminated.data })).status).toBe("canceled")
  })

  it("keeps an approved reservation when Medusa rolls back an authorization (no idempotency key)", async () => {
    const { p, data } = await initiated()
    sim.control.approve(data.reference)
    await expect(p.cancelPayment({ data })).resolves.toBeDefined()
    expect(sim.control.getPayment(data.reference)!.aggregate.cancelled).toBe(0)
    expect(logs.join("\n")).toMatch(/kept the approved reservation/)

    await p.cancelPayment({ data, context: { idempotency_key: "pay_2" } })
    expect(sim.control.getPayment(data.reference)!.aggregate.cancelled).toBe(19900)
  })

  it("cancels an unapproved payment when its session is deleted, and never throws", async () => {
    const { p, data } = await initiated()
    await expect(p.deletePayment({ data })).resolves.toEqual({ data })
    expect(sim.control.getPayment(data.reference)!.state).toBe("TERMINATED")

    const approved = await initiated()
    sim.control.approve(approved.data.reference)
    await p.deletePayment({ data: approved.data })
    expect(sim.control.getPayment(approved.data.reference)!.state).toBe("AUTHORIZED")

    sim.control.failNext("getPayment", { times: 5, status: 500 })
    await expect(p.deletePayment({ data })).resolves.toEqual({ data })
    sim.control.clearFaults()
    await expect(p.deletePayment({ data: {} })).resolves.toEqual({ data: {} })
  })

  it("refuses to change a payment's amount, accepts the same amount", async () => {
    const { p, data } = await initiated()
    await expect(p.updatePayment({ amount: 199, currency_code: "nok", data })).resolves.toMatchObject({
      status: "pending",
    })
    await expect(p.updatePayment({ amount: 200, currency_code: "nok", data })).rejects.toThrow(
      /amount cannot change/,
    )
  })

  it("turns API errors into Medusa errors a merchant can act on", async () => {
    const { p, data } = await initiated()
    const error = await p
      .refundPayment({ amount: 10, data, context: { idempotency_key: "ref_1" } })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MedusaError)
    expect((error as Error).message).toMatch(/could not refund .*code 6020/)
    expect(logs.join("\n")).not.toMatch(/sim-client-secret|sim-subscription-key|Bearer/)
  })

  it("ignores Medusa's generic webhook route", async () => {
    const p = provider()
    await expect(p.getWebhookActionAndData({ data: {}, rawData: "", headers: {} })).resolves.toEqual({
      action: "not_supported",
    })
  })

  it("retrieves the payment with Vipps MobilePay's aggregate", async () => {
    const { p, data } = await initiated()
    sim.control.approve(data.reference)
    const retrieved = await p.retrievePayment({ data })
    expect(retrieved.data).toMatchObject({
      state: "AUTHORIZED",
      aggregate: { authorizedAmount: { currency: "NOK", value: 19900 } },
    })
  })

  it("refuses session data from the storefront that it does not know", async () => {
    await expect(
      provider().initiatePayment({
        amount: 10,
        currency_code: "nok",
        data: { session_id: SESSION, amount: 1 },
        context: {},
      }),
    ).rejects.toThrow(/unknown field\(s\) amount/)
  })
})
