import type { RunningSimulator } from "../index"
import { Api, errorCode, newReference, paymentBody, startTestSimulator } from "./helpers"

describe("simulator: API fault injection", () => {
  let sim: RunningSimulator
  let api: Api

  beforeAll(async () => {
    sim = await startTestSimulator()
    api = new Api(sim)
    await api.accessToken()
  })
  afterAll(() => sim.stop())
  afterEach(() => sim.control.clearFaults())

  it("fails the next N calls of an operation with the given status, then works again", async () => {
    sim.control.failNext("createPayment", { times: 2, status: 503 })
    const body = paymentBody()
    const key = `create-${String(body.reference)}`
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) {
      const res = await api.call("POST", "/epayment/v1/payments", { body, idempotencyKey: key })
      statuses.push(res.status)
      if (res.status === 503) {
        expect(res.headers.get("content-type")).toContain("application/problem+json")
        expect(res.body.status).toBe(503)
      }
    }
    expect(statuses).toEqual([503, 503, 201])
    expect(sim.control.payments().filter((p) => p.reference === body.reference)).toHaveLength(1)
    expect(sim.control.faults()).toEqual([])
  })

  it("answers 429 with Retry-After and an optional error code", async () => {
    const reference = await api.authorizedPayment(1_000)
    sim.control.failNext("capture", { status: 429, retryAfter: 2 })
    const limited = await api.modify("capture", reference, 1_000, `cap-${reference}`)
    expect(limited.status).toBe(429)
    expect(limited.headers.get("retry-after")).toBe("2")
    sim.control.failNext("capture", {
      status: 400,
      code: "6280",
      detail: "Capture failed, please try again later",
    })
    const transient = await api.modify("capture", reference, 1_000, `cap-${reference}`)
    expect(errorCode(transient.body)).toBe("6280")
    // Injected failures are not remembered under the key: the retry goes through.
    const ok = await api.modify("capture", reference, 1_000, `cap-${reference}`)
    expect(ok.status).toBe(200)
    expect(ok.body.aggregate.capturedAmount.value).toBe(1_000)
  })

  it("fails token requests", async () => {
    sim.control.failNext("accessToken", { status: 500 })
    const fresh = new Api(sim)
    await expect(fresh.accessToken()).rejects.toThrow(/500/)
    await expect(fresh.accessToken()).resolves.toEqual(expect.any(String))
  })

  it("a '*' fault hits whatever operation comes next", async () => {
    sim.control.failNext("*", { status: 502 })
    expect((await api.getPayment(newReference())).status).toBe(502)
    expect((await api.getPayment(newReference())).status).toBe(404)
  })

  it("adds latency", async () => {
    const reference = await api.authorizedPayment(1_000)
    sim.control.addLatency("getPayment", 250, { times: 1 })
    const started = Date.now()
    expect((await api.getPayment(reference)).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(240)
    // The latency was for one call only.
    expect(sim.control.faults()).toEqual([])
    const [slow] = sim.control.requests({ operation: "getPayment", path: reference })
    expect(slow.durationMs).toBeGreaterThanOrEqual(240)
  })

  it("cuts the connection after the capture took effect; a retry with the same key replays the result", async () => {
    const reference = await api.authorizedPayment(5_000)
    sim.control.cutConnection("capture")
    const key = `capture-${reference}`
    await expect(api.modify("capture", reference, 5_000, key)).rejects.toThrow()
    const payment = sim.control.getPayment(reference)
    expect(payment?.aggregate.captured).toBe(5_000)
    const retry = await api.modify("capture", reference, 5_000, key)
    expect(retry.status).toBe(200)
    expect(retry.body.aggregate.capturedAmount.value).toBe(5_000)
    expect(sim.control.getPayment(reference)?.events.filter((e) => e.name === "CAPTURED")).toHaveLength(1)
    const [cut, replayed] = sim.control.requests({ operation: "capture", path: reference })
    expect(cut).toMatchObject({ cut: true, status: null })
    expect(replayed).toMatchObject({ cut: false, status: 200 })
  })

  it("cuts the connection before the operation when asked", async () => {
    const reference = await api.authorizedPayment(5_000)
    sim.control.cutConnection("refund", { when: "before" })
    sim.control.capture(reference)
    await expect(api.modify("refund", reference, 1_000, `refund-${reference}`)).rejects.toThrow()
    expect(sim.control.getPayment(reference)?.aggregate.refunded).toBe(0)
    expect((await api.modify("refund", reference, 1_000, `refund-${reference}`)).status).toBe(200)
  })

  it("cuts a create after it took effect: the payment exists and the retry replays 201", async () => {
    const body = paymentBody()
    const key = `create-${String(body.reference)}`
    sim.control.cutConnection("createPayment")
    await expect(api.call("POST", "/epayment/v1/payments", { body, idempotencyKey: key })).rejects.toThrow()
    expect(sim.control.getPayment(String(body.reference))?.state).toBe("CREATED")
    const retry = await api.call("POST", "/epayment/v1/payments", { body, idempotencyKey: key })
    expect(retry.status).toBe(201)
    expect(retry.body.reference).toBe(body.reference)
  })

  it("lists, removes and clears faults", async () => {
    const a = sim.control.failNext("refund", { times: 3 })
    sim.control.addLatency("getPayment", 10)
    expect(sim.control.faults().map((f) => f.operation)).toEqual(["refund", "getPayment"])
    expect(sim.control.removeFault(a)).toBe(true)
    expect(sim.control.faults().map((f) => f.operation)).toEqual(["getPayment"])
    sim.control.clearFaults()
    expect(sim.control.faults()).toEqual([])
  })
})
