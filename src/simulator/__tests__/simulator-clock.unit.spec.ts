import type { RunningSimulator } from "../index"
import {
  Api,
  errorCode,
  eventually,
  newReference,
  startReceiver,
  startTestSimulator,
  type WebhookReceiver,
} from "./helpers"

const receipt = {
  orderLines: [
    {
      name: "Ticket",
      id: "1",
      totalAmount: 1_000,
      totalAmountExcludingTax: 800,
      totalTaxAmount: 200,
      taxPercentage: 25,
    },
  ],
  bottomLine: { currency: "NOK" },
}

describe("simulator: clock and payment expiry", () => {
  let sim: RunningSimulator
  let api: Api
  let receiver: WebhookReceiver

  beforeAll(async () => {
    sim = await startTestSimulator()
    api = new Api(sim)
    receiver = await startReceiver()
    await api.call("POST", "/webhooks/v1/webhooks", {
      body: { url: `${receiver.url}/hooks`, events: ["epayments.payment.expired.v1"] },
    })
  })
  afterAll(async () => {
    await sim.stop()
    await receiver.close()
  })
  afterEach(() => sim.control.resetTime())

  it("a payment expires 10 minutes after creation (lazily, when observed) and fires EXPIRED", async () => {
    sim.control.freezeTime("2030-01-01T12:00:00.000Z")
    // Tokens are measured on the simulator clock: get one at the frozen time.
    const frozenApi = new Api(sim)
    const reference = newReference()
    await frozenApi.createPayment({ reference })
    sim.control.advanceTime(599_999)
    expect((await frozenApi.getPayment(reference)).body.state).toBe("CREATED")
    sim.control.advanceTime(1)
    expect((await frozenApi.getPayment(reference)).body.state).toBe("EXPIRED")
    const events = (await frozenApi.events(reference)).body as Array<{ name: string; timestamp: string }>
    expect(events.map((e) => e.name)).toEqual(["CREATED", "EXPIRED"])
    expect(events[0].timestamp).toBe("2030-01-01T12:00:00.000Z")
    expect(events[1].timestamp).toBe("2030-01-01T12:10:00.000Z")
    await eventually(() =>
      receiver.received.some((h) => h.body.reference === reference && h.body.name === "EXPIRED"),
    )
    expect(errorCode((await frozenApi.forceApprove(reference)).body)).toBe("10060")
    expect(errorCode((await frozenApi.cancel(reference, `cancel-${reference}`)).body)).toBe("6050")
  })

  it("expires unobserved payments on a timer", async () => {
    const quick = await startTestSimulator({ paymentLifetimeSeconds: 0.2, expirySweepMs: 20 })
    try {
      const quickApi = new Api(quick)
      const reference = newReference()
      await quickApi.createPayment({ reference })
      const expired = await quick.control.waitFor(() =>
        quick.control.payments().find((p) => p.reference === reference && p.state === "EXPIRED"),
      )
      expect(expired.events.map((e) => e.name)).toEqual(["CREATED", "EXPIRED"])
    } finally {
      await quick.stop()
    }
  })

  it("long-living payments expire at expiresAt", async () => {
    const reference = newReference()
    const expiresAt = new Date(sim.control.now().getTime() + 2 * 3600_000).toISOString()
    const created = await api.createPayment({
      reference,
      userFlow: "QR",
      returnUrl: undefined,
      expiresAt,
      receipt,
    })
    expect(created.status).toBe(201)
    sim.control.advanceTime(3600_000)
    expect(sim.control.getPayment(reference)?.state).toBe("CREATED")
    sim.control.advanceTime(3600_000 + 1_000)
    expect(sim.control.getPayment(reference)?.state).toBe("EXPIRED")
  })

  it("approved payments never expire; expire() only applies to CREATED payments", async () => {
    const reference = await api.authorizedPayment(1_000)
    sim.control.advanceTime(3 * 3600_000)
    expect(sim.control.getPayment(reference)?.state).toBe("AUTHORIZED")
    expect(() => sim.control.expire(reference)).toThrow()
    const open = newReference()
    // The old token expired with the 3 hours; a fresh one is needed.
    expect((await api.createPayment({ reference: newReference() })).status).toBe(401)
    expect((await new Api(sim).createPayment({ reference: open })).status).toBe(201)
    expect(sim.control.expire(open).state).toBe("EXPIRED")
  })

  it("setTime moves event timestamps; the clock can be read and reset", async () => {
    sim.control.setTime("2031-06-01T00:00:00.000Z")
    expect(Math.abs(sim.control.now().getTime() - Date.parse("2031-06-01T00:00:00.000Z"))).toBeLessThan(5_000)
    const moved = new Api(sim)
    const reference = newReference()
    await moved.createPayment({ reference })
    expect(sim.control.getPayment(reference)?.events[0].timestamp.startsWith("2031-06-01")).toBe(true)
    sim.control.resetTime()
    expect(Math.abs(sim.control.now().getTime() - Date.now())).toBeLessThan(1_000)
  })
})
