import type { RunningSimulator } from "../index"
import { Api, errorCode, newReference, startTestSimulator } from "./helpers"

describe("simulator: payment state machine and aggregate", () => {
  let sim: RunningSimulator
  let api: Api

  beforeAll(async () => {
    sim = await startTestSimulator()
    api = new Api(sim)
  })
  afterAll(() => sim.stop())

  it("creates a WEB_REDIRECT payment in state CREATED with a landing page redirectUrl", async () => {
    const reference = newReference()
    const created = await api.createPayment({ reference })
    expect(created.status).toBe(201)
    expect(created.body.reference).toBe(reference)
    expect(created.body.redirectUrl).toMatch(new RegExp(`^${sim.url}/landing\\?token=`))

    const got = await api.getPayment(reference)
    expect(got.status).toBe(200)
    expect(got.body).toMatchObject({
      reference,
      state: "CREATED",
      amount: { currency: "NOK", value: 49_900 },
      paymentMethod: { type: "WALLET" },
      profile: {},
      redirectUrl: created.body.redirectUrl,
      aggregate: {
        authorizedAmount: { currency: "NOK", value: 0 },
        capturedAmount: { currency: "NOK", value: 0 },
        refundedAmount: { currency: "NOK", value: 0 },
        cancelledAmount: { currency: "NOK", value: 0 },
      },
    })
    expect(got.body.pspReference).toMatch(/^\d+$/)
  })

  it("PUSH_MESSAGE payments have no redirectUrl", async () => {
    const reference = newReference()
    const created = await api.createPayment({
      reference,
      userFlow: "PUSH_MESSAGE",
      returnUrl: undefined,
      customer: { phoneNumber: "4712345678" },
    })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({ reference })
  })

  it("supports partial and repeated captures up to the authorized amount (6090 above)", async () => {
    const reference = await api.authorizedPayment(10_000)
    const first = await api.modify("capture", reference, 4_000, `cap-${reference}-1`)
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({
      reference,
      state: "AUTHORIZED",
      amount: { currency: "NOK", value: 10_000 },
      aggregate: { authorizedAmount: { value: 10_000 }, capturedAmount: { value: 4_000 } },
    })
    const second = await api.modify("capture", reference, 6_000, `cap-${reference}-2`)
    expect(second.status).toBe(200)
    expect(second.body.aggregate.capturedAmount.value).toBe(10_000)

    const over = await api.modify("capture", reference, 1, `cap-${reference}-3`)
    expect(over.status).toBe(400)
    expect(errorCode(over.body)).toBe("6090")
    expect(over.headers.get("content-type")).toContain("application/problem+json")

    const tooMuch = await api.authorizedPayment(5_000)
    const res = await api.modify("capture", tooMuch, 5_001, `cap-${tooMuch}-1`)
    expect(errorCode(res.body)).toBe("6090")
  })

  it("refuses capture before approval (6080) and refund before reservation (6020)", async () => {
    const reference = newReference()
    await api.createPayment({ reference })
    const capture = await api.modify("capture", reference, 100, `cap-${reference}`)
    expect(capture.status).toBe(400)
    expect(errorCode(capture.body)).toBe("6080")
    const refund = await api.modify("refund", reference, 100, `ref-${reference}`)
    expect(refund.status).toBe(400)
    expect(errorCode(refund.body)).toBe("6020")
  })

  it("supports partial and repeated refunds up to captured − refunded (6150)", async () => {
    const reference = await api.authorizedPayment(10_000)
    expect(errorCode((await api.modify("refund", reference, 1, `ref-${reference}-0`)).body)).toBe("6150")
    await api.modify("capture", reference, 7_000, `cap-${reference}`)
    const r1 = await api.modify("refund", reference, 3_000, `ref-${reference}-1`)
    expect(r1.status).toBe(200)
    expect(r1.body.aggregate.refundedAmount.value).toBe(3_000)
    const r2 = await api.modify("refund", reference, 4_000, `ref-${reference}-2`)
    expect(r2.body.aggregate.refundedAmount.value).toBe(7_000)
    const r3 = await api.modify("refund", reference, 1, `ref-${reference}-3`)
    expect(r3.status).toBe(400)
    expect(errorCode(r3.body)).toBe("6150")
    expect(r3.body).toMatchObject({ status: 400, instance: `/epayment/v1/payments/${reference}/refund` })
    expect(typeof r3.body.traceId).toBe("string")
  })

  it("cancel before approval terminates the payment", async () => {
    const reference = newReference()
    await api.createPayment({ reference })
    const res = await api.cancel(reference, `cancel-${reference}`)
    expect(res.status).toBe(200)
    expect(res.body.state).toBe("TERMINATED")
    expect(res.body.aggregate.cancelledAmount.value).toBe(0)
    const again = await api.cancel(reference, `cancel-${reference}-2`)
    expect(errorCode(again.body)).toBe("6050")
    const capture = await api.modify("capture", reference, 100, `cap-${reference}`)
    expect(errorCode(capture.body)).toBe("6200")
  })

  it("cancel after approval releases the whole uncaptured rest and keeps AUTHORIZED", async () => {
    const reference = await api.authorizedPayment(10_000)
    await api.modify("capture", reference, 2_500, `cap-${reference}`)
    const res = await api.cancel(reference, `cancel-${reference}`)
    expect(res.status).toBe(200)
    expect(res.body.state).toBe("AUTHORIZED")
    expect(res.body.aggregate).toMatchObject({
      authorizedAmount: { value: 10_000 },
      capturedAmount: { value: 2_500 },
      cancelledAmount: { value: 7_500 },
    })
    const capture = await api.modify("capture", reference, 1, `cap-${reference}-2`)
    expect(errorCode(capture.body)).toBe("6070")
    const refund = await api.modify("refund", reference, 2_500, `ref-${reference}`)
    expect(refund.status).toBe(200)
  })

  it("a fully captured payment cannot be cancelled (6040)", async () => {
    const reference = await api.authorizedPayment(3_000)
    await api.modify("capture", reference, 3_000, `cap-${reference}`)
    const res = await api.cancel(reference, `cancel-${reference}`)
    expect(res.status).toBe(400)
    expect(errorCode(res.body)).toBe("6040")
  })

  it("cancelTransactionOnly terminates an unapproved payment but fails once approved (6060)", async () => {
    const open = newReference()
    await api.createPayment({ reference: open })
    const terminated = await api.cancel(open, `cancel-${open}`, { cancelTransactionOnly: true })
    expect(terminated.body.state).toBe("TERMINATED")

    const reference = await api.authorizedPayment(3_000)
    const res = await api.cancel(reference, `cancel-${reference}`, { cancelTransactionOnly: true })
    expect(res.status).toBe(400)
    expect(errorCode(res.body)).toBe("6060")
    expect((await api.getPayment(reference)).body.aggregate.cancelledAmount.value).toBe(0)
  })

  it("rejects modifications in another currency (4040) and zero amounts", async () => {
    const reference = await api.authorizedPayment(3_000)
    expect(errorCode((await api.modify("capture", reference, 100, `c-${reference}-1`, "DKK")).body)).toBe(
      "4040",
    )
    expect(errorCode((await api.modify("capture", reference, 0, `c-${reference}-2`)).body)).toBe("4040")
  })

  it("lists every event with its own pspReference, amount, timestamp, idempotencyKey and success", async () => {
    const reference = newReference()
    await api.createPayment(
      { reference, amount: { currency: "NOK", value: 10_000 } },
      `create-key-${reference}`,
    )
    await api.forceApprove(reference)
    await api.modify("capture", reference, 4_000, `cap-key-${reference}`)
    await api.modify("refund", reference, 1_000, `ref-key-${reference}`)
    await api.cancel(reference, `cancel-key-${reference}`)
    sim.control.refund(reference, 500)

    const res = await api.events(reference)
    expect(res.status).toBe(200)
    const events = res.body as Array<Record<string, unknown>>
    expect(events.map((e) => e.name)).toEqual([
      "CREATED",
      "AUTHORIZED",
      "CAPTURED",
      "REFUNDED",
      "CANCELLED",
      "REFUNDED",
    ])
    expect(events.map((e) => (e.amount as { value: number }).value)).toEqual([
      10_000, 10_000, 4_000, 1_000, 6_000, 500,
    ])
    expect(events.map((e) => e.idempotencyKey)).toEqual([
      `create-key-${reference}`,
      null,
      `cap-key-${reference}`,
      `ref-key-${reference}`,
      `cancel-key-${reference}`,
      null,
    ])
    expect(events.every((e) => e.success === true && e.reference === reference)).toBe(true)
    expect(new Set(events.map((e) => e.pspReference)).size).toBe(events.length)
    expect(events.every((e) => !Number.isNaN(Date.parse(e.timestamp as string)))).toBe(true)
    const payment = (await api.getPayment(reference)).body
    expect(payment.pspReference).toBe(events[0].pspReference)
    expect(payment.aggregate.refundedAmount.value).toBe(1_500)
  })

  it("answers 404 for an unknown reference and 400 for a malformed one", async () => {
    const missing = await api.getPayment("does-not-exist-123")
    expect(missing.status).toBe(404)
    expect(missing.headers.get("content-type")).toContain("application/problem+json")
    expect((await api.events("does-not-exist-123")).status).toBe(404)
    expect((await api.modify("capture", "does-not-exist-123", 100, "k-404")).status).toBe(404)
    expect((await api.getPayment("bad_ref!")).status).toBe(400)
  })

  it("keeps payments per merchant: another MSN cannot see them", async () => {
    const other = await startTestSimulator({
      merchants: [
        {
          clientId: "a",
          clientSecret: "a-secret",
          subscriptionKey: "a-key",
          msn: "111111",
          currencies: ["NOK"],
        },
        {
          clientId: "b",
          clientSecret: "b-secret",
          subscriptionKey: "b-key",
          msn: "222222",
          currencies: ["NOK"],
        },
      ],
    })
    try {
      const a = new Api(other, other.merchants[0])
      const b = new Api(other, other.merchants[1])
      const reference = newReference()
      expect((await a.createPayment({ reference })).status).toBe(201)
      expect((await b.getPayment(reference)).status).toBe(404)
      // The same reference is free for the other merchant.
      expect((await b.createPayment({ reference })).status).toBe(201)
    } finally {
      await other.stop()
    }
  })

  it("portal actions through the control object produce events with idempotencyKey null", async () => {
    const reference = newReference()
    await api.createPayment({ reference, amount: { currency: "NOK", value: 2_000 } })
    sim.control.approve(reference)
    sim.control.capture(reference, 500)
    sim.control.cancel(reference)
    const payment = sim.control.getPayment(reference)
    expect(payment?.aggregate).toEqual({ authorized: 2_000, captured: 500, refunded: 0, cancelled: 1_500 })
    expect(payment?.events.slice(1).every((e) => e.idempotencyKey === null)).toBe(true)
    expect(() => sim.control.capture(reference, 1)).toThrow(/cancelled/i)
  })

  it("reject turns a CREATED payment into ABORTED; it can then not be approved", async () => {
    const reference = newReference()
    await api.createPayment({ reference })
    sim.control.reject(reference)
    expect((await api.getPayment(reference)).body.state).toBe("ABORTED")
    const approve = await api.forceApprove(reference)
    expect(approve.status).toBe(400)
    expect(errorCode(approve.body)).toMatch(/^100\d0$/)
    expect(errorCode((await api.modify("refund", reference, 100, `r-${reference}`)).body)).toBe("6210")
  })
})
