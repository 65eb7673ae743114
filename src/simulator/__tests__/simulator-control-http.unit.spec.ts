import type { RunningSimulator } from "../index"
import { Api, errorCode, eventually, newReference, startReceiver, startTestSimulator } from "./helpers"

describe("simulator: HTTP control API (/_simulator)", () => {
  let sim: RunningSimulator
  let api: Api

  async function control(method: string, path: string, body?: unknown) {
    const res = await fetch(`${sim.url}/_simulator${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : undefined }
  }

  beforeAll(async () => {
    sim = await startTestSimulator()
    api = new Api(sim)
  })
  afterAll(() => sim.stop())

  it("injects an ePayment error code with its own status and sets captureGuaranteedUntil", async () => {
    const reference = await api.authorizedPayment(1_000)
    expect((await control("POST", "/faults", { operation: "capture", code: "5070" })).status).toBe(201)
    const failed = await api.modify("capture", reference, 100, `cap-${reference}`)
    expect(failed.status).toBe(422)
    expect(failed.body.title).toBe("Payment cannot be created")
    expect((await control("POST", "/faults", { operation: "capture", code: "99999" })).status).toBe(400)

    const until = "2026-12-24T12:00:00.000Z"
    expect((await control("POST", `/payments/${reference}/capture-guarantee`, { until })).status).toBe(200)
    expect((await api.getPayment(reference)).body.captureGuaranteedUntil).toBe(
      "2026-12-24T12:00:00.000+00:00",
    )
    await control("POST", `/payments/${reference}/capture-guarantee`, { until: null })
    expect((await api.getPayment(reference)).body).not.toHaveProperty("captureGuaranteedUntil")
    await control("POST", `/payments/${reference}/capture-guarantee`, {})
    expect((await api.getPayment(reference)).body.captureGuaranteedUntil).toMatch(/\+00:00$/)
  })

  it("approves, captures, refunds and cancels as the app / portal would", async () => {
    const reference = newReference()
    await api.createPayment({ reference, amount: { currency: "NOK", value: 10_000 } })
    expect((await control("POST", `/payments/${reference}/approve`)).body.state).toBe("AUTHORIZED")
    expect(
      (await control("POST", `/payments/${reference}/capture`, { amount: 4_000 })).body.aggregate.captured,
    ).toBe(4_000)
    expect(
      (await control("POST", `/payments/${reference}/refund`, { amount: 1_000 })).body.aggregate.refunded,
    ).toBe(1_000)
    expect((await control("POST", `/payments/${reference}/cancel`)).body.aggregate.cancelled).toBe(6_000)
    const over = await control("POST", `/payments/${reference}/capture`, { amount: 1 })
    expect(over.status).toBe(400)
    expect(errorCode(over.body)).toBe("6070")
    const got = await control("GET", `/payments/${reference}`)
    expect(got.body.events.map((e: { name: string }) => e.name)).toEqual([
      "CREATED",
      "AUTHORIZED",
      "CAPTURED",
      "REFUNDED",
      "CANCELLED",
    ])
    expect(
      (await control("GET", "/payments")).body.some((p: { reference: string }) => p.reference === reference),
    ).toBe(true)
    expect((await control("GET", "/payments/unknown-reference")).status).toBe(404)
  })

  it("rejects and expires payments, and moves the clock", async () => {
    const rejected = newReference()
    await api.createPayment({ reference: rejected })
    expect((await control("POST", `/payments/${rejected}/reject`)).body.state).toBe("ABORTED")
    const expired = newReference()
    await api.createPayment({ reference: expired })
    expect((await control("POST", `/payments/${expired}/expire`)).body.state).toBe("EXPIRED")

    const timed = newReference()
    await api.createPayment({ reference: timed })
    const before = Date.parse((await control("GET", "/clock")).body.now)
    const moved = await control("POST", "/clock", { advanceSeconds: 601 })
    expect(Date.parse(moved.body.now) - before).toBeGreaterThanOrEqual(601_000)
    expect(sim.control.getPayment(timed)?.state).toBe("EXPIRED")
    const set = await control("POST", "/clock", { set: "2032-02-02T00:00:00.000Z", freeze: true })
    expect(set.body.now).toBe("2032-02-02T00:00:00.000Z")
    expect((await control("POST", "/clock", { reset: true, unfreeze: true })).status).toBe(200)
    expect(Math.abs(sim.control.now().getTime() - Date.now())).toBeLessThan(1_000)
  })

  it("injects and clears API faults", async () => {
    const reference = newReference()
    await api.createPayment({ reference })
    const added = await control("POST", "/faults", {
      operation: "getPayment",
      status: 429,
      retryAfter: 1,
      times: 1,
    })
    expect(added.status).toBe(201)
    const limited = await api.getPayment(reference)
    expect(limited.status).toBe(429)
    expect(limited.headers.get("retry-after")).toBe("1")
    expect((await api.getPayment(reference)).status).toBe(200)
    await control("POST", "/faults", { operation: "getPayment", latencyMs: 5, times: "all" })
    expect((await control("GET", "/faults")).body).toHaveLength(1)
    await control("DELETE", "/faults")
    expect((await control("GET", "/faults")).body).toEqual([])
    expect((await control("POST", "/faults", { operation: "nope", status: 500 })).status).toBe(400)
  })

  it("injects webhook faults and lists registrations (without secrets) and deliveries", async () => {
    const receiver = await startReceiver()
    try {
      await api.call("POST", "/webhooks/v1/webhooks", {
        body: { url: `${receiver.url}/hooks`, events: ["epayments.payment.created.v1"] },
      })
      expect((await control("POST", "/webhook-faults", { kind: "duplicate", times: 1 })).status).toBe(201)
      const reference = newReference()
      await api.createPayment({ reference })
      await eventually(() => receiver.received.filter((h) => h.body.reference === reference).length === 2)
      const deliveries = await control("GET", `/webhook-deliveries?reference=${reference}`)
      expect(deliveries.body).toHaveLength(2)
      expect(deliveries.body[0].state).toBe("delivered")
      const hooks = await control("GET", "/webhooks")
      expect(hooks.body[0].secret).toBeUndefined()
      expect((await control("GET", "/webhooks?secrets=true")).body[0].secret).toEqual(expect.any(String))
      expect((await control("POST", "/webhook-faults", { chaos: { dropRate: 1, seed: 3 } })).status).toBe(200)
      const dropped = newReference()
      await api.createPayment({ reference: dropped })
      expect(sim.control.webhookDeliveries({ reference: dropped })[0].state).toBe("dropped")
      await control("DELETE", "/webhook-faults")
      expect((await control("POST", "/webhook-faults", { kind: "explode" })).status).toBe(400)
    } finally {
      await receiver.close()
    }
  })

  it("reads the request log (redacted unless redact=false), issues tokens and resets", async () => {
    await new Api(sim).getPayment(newReference())
    const log = await control("GET", "/requests?operation=accessToken")
    expect(log.body.length).toBeGreaterThan(0)
    expect(log.body[0].headers.client_secret).toBe("[redacted]")
    const raw = await control("GET", "/requests?operation=accessToken&redact=false")
    expect(raw.body[0].headers.client_secret).toBe(sim.merchants[0].clientSecret)

    const token = (await control("POST", "/tokens")).body.access_token
    expect((await api.call("GET", "/webhooks/v1/webhooks", { token })).status).toBe(200)

    expect((await control("POST", "/reset")).status).toBe(200)
    expect((await control("GET", "/payments")).body).toEqual([])
    expect((await control("GET", "/requests")).body).toEqual([])
    expect((await control("GET", "/nothing-here")).status).toBe(404)
    expect((await control("GET", "/health")).body.ok).toBe(true)
  })

  it("can be switched off", async () => {
    const closed = await startTestSimulator({ controlApi: false })
    try {
      expect((await fetch(`${closed.url}/_simulator/payments`)).status).toBe(404)
    } finally {
      await closed.stop()
    }
  })
})
