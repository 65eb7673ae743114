import type { RunningSimulator } from "../index"
import { Api, startReceiver, startTestSimulator, type WebhookReceiver } from "./helpers"

const DAY_MS = 24 * 3600 * 1000

describe("simulator: a webhook registration unresponsive for two weeks is deleted", () => {
  let sim: RunningSimulator
  let receiver: WebhookReceiver

  beforeAll(async () => {
    sim = await startTestSimulator()
    receiver = await startReceiver()
  })
  afterAll(async () => {
    await sim.stop()
    await receiver.close()
  })

  async function register(path: string) {
    const res = await new Api(sim).call("POST", "/webhooks/v1/webhooks", {
      body: { url: `${receiver.url}${path}`, events: ["epayments.payment.authorized.v1"] },
    })
    return res.body.id as string
  }

  it("after 14 days of failures on the simulator clock, and not while deliveries succeed", async () => {
    const down = await register("/down")
    const up = await register("/up")
    receiver.respond = (request) => (request.path === "/down" ? 503 : 200)
    await new Api(sim).authorizedPayment(1_000)
    await sim.control.waitForWebhooks(2, { eventName: "AUTHORIZED" }, { timeoutMs: 10_000 })
    const ids = () => sim.control.webhookRegistrations().map((r) => r.id)

    sim.control.advanceTime(13 * DAY_MS)
    expect(ids()).toEqual(expect.arrayContaining([down, up]))
    sim.control.advanceTime(1 * DAY_MS)
    expect(ids()).not.toContain(down)
    expect(ids()).toContain(up)

    // The Webhooks API no longer lists it: what the plugin's check reads.
    const listed = await new Api(sim).call("GET", "/webhooks/v1/webhooks")
    expect(listed.body.webhooks.map((w: { id: string }) => w.id)).toEqual([up])
    sim.control.resetTime()
  })
})
