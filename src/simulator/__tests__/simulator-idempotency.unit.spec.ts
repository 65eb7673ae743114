import type { RunningSimulator } from "../index"
import { Api, errorCode, newReference, paymentBody, startTestSimulator } from "./helpers"

describe("simulator: idempotency", () => {
  let sim: RunningSimulator
  let api: Api

  beforeAll(async () => {
    sim = await startTestSimulator()
    api = new Api(sim)
  })
  afterAll(() => sim.stop())

  it("create: same key and same body → the original 201, one payment, one CREATED event", async () => {
    const body = paymentBody()
    const key = `create-${String(body.reference)}`
    const first = await api.call("POST", "/epayment/v1/payments", { body, idempotencyKey: key })
    // Same body with other key order / whitespace still counts as the same body.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(body).reverse()), null, 2)
    const second = await api.call("POST", "/epayment/v1/payments", {
      rawBody: reordered,
      idempotencyKey: key,
    })
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(second.text).toBe(first.text)
    const events = await api.events(String(body.reference))
    expect(events.body.map((e: { name: string }) => e.name)).toEqual(["CREATED"])
  })

  it("create: same key, different body → 409 (4020) and no change", async () => {
    const body = paymentBody()
    const key = `create-${String(body.reference)}`
    await api.call("POST", "/epayment/v1/payments", { body, idempotencyKey: key })
    const changed = { ...body, amount: { currency: "NOK", value: 1_000 } }
    const res = await api.call("POST", "/epayment/v1/payments", { body: changed, idempotencyKey: key })
    expect(res.status).toBe(409)
    expect(errorCode(res.body)).toBe("4020")
    expect((await api.getPayment(String(body.reference))).body.amount.value).toBe(49_900)
  })

  it("capture: same key and body → same response, captured once; different body → 409 (4010)", async () => {
    const reference = await api.authorizedPayment(10_000)
    const key = `capture-${reference}-1`
    const first = await api.modify("capture", reference, 3_000, key)
    const replay = await api.modify("capture", reference, 3_000, key)
    expect(replay.status).toBe(200)
    expect(replay.body).toEqual(first.body)
    expect((await api.getPayment(reference)).body.aggregate.capturedAmount.value).toBe(3_000)
    const conflict = await api.modify("capture", reference, 4_000, key)
    expect(conflict.status).toBe(409)
    expect(errorCode(conflict.body)).toBe("4010")
    const events = (await api.events(reference)).body as Array<{ name: string }>
    expect(events.filter((e) => e.name === "CAPTURED")).toHaveLength(1)
    // A new key captures again.
    expect(
      (await api.modify("capture", reference, 1_000, `capture-${reference}-2`)).body.aggregate.capturedAmount
        .value,
    ).toBe(4_000)
  })

  it("refund: replay without a second refund; different body → 409 (4150)", async () => {
    const reference = await api.authorizedPayment(10_000)
    await api.modify("capture", reference, 10_000, `capture-${reference}`)
    const key = `refund-${reference}-1`
    const first = await api.modify("refund", reference, 2_000, key)
    const replay = await api.modify("refund", reference, 2_000, key)
    expect(replay.body).toEqual(first.body)
    expect((await api.getPayment(reference)).body.aggregate.refundedAmount.value).toBe(2_000)
    const conflict = await api.modify("refund", reference, 2_500, key)
    expect(conflict.status).toBe(409)
    expect(errorCode(conflict.body)).toBe("4150")
  })

  it("cancel: replay returns the original response; different body → 409 (4020)", async () => {
    const reference = await api.authorizedPayment(10_000)
    const key = `cancel-${reference}`
    const first = await api.cancel(reference, key)
    expect(first.body.aggregate.cancelledAmount.value).toBe(10_000)
    const replay = await api.cancel(reference, key)
    expect(replay.body).toEqual(first.body)
    const conflict = await api.cancel(reference, key, { cancelTransactionOnly: true })
    expect(conflict.status).toBe(409)
    expect(errorCode(conflict.body)).toBe("4020")
  })

  it("a failed request stays failed for its key, even after the state would allow it", async () => {
    const reference = newReference()
    await api.createPayment({ reference, amount: { currency: "NOK", value: 5_000 } })
    const key = `capture-${reference}-early`
    const early = await api.modify("capture", reference, 5_000, key)
    expect(errorCode(early.body)).toBe("6080")
    sim.control.approve(reference)
    const retried = await api.modify("capture", reference, 5_000, key)
    expect(retried.status).toBe(400)
    expect(retried.body).toEqual(early.body)
    expect((await api.getPayment(reference)).body.aggregate.capturedAmount.value).toBe(0)
    expect((await api.modify("capture", reference, 5_000, `capture-${reference}-new`)).status).toBe(200)
  })

  it("a create that failed validation stays failed for its key", async () => {
    const body = paymentBody({ amount: { currency: "NOK", value: 50 } })
    const key = `create-${String(body.reference)}`
    const first = await api.call("POST", "/epayment/v1/payments", { body, idempotencyKey: key })
    expect(errorCode(first.body)).toBe("6010")
    const second = await api.call("POST", "/epayment/v1/payments", { body, idempotencyKey: key })
    expect(second.body).toEqual(first.body)
  })

  it("keys are scoped per operation and reference", async () => {
    const a = await api.authorizedPayment(10_000)
    const b = await api.authorizedPayment(10_000)
    expect((await api.modify("capture", a, 1_000, "shared-key")).status).toBe(200)
    expect((await api.modify("capture", b, 2_000, "shared-key")).status).toBe(200)
    expect((await api.modify("refund", a, 500, "shared-key")).status).toBe(200)
    expect((await api.getPayment(b)).body.aggregate.capturedAmount.value).toBe(2_000)
  })
})
