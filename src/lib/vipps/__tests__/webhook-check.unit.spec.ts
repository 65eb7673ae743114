import { DEFAULT_SIMULATOR_MERCHANT, startSimulator, type RunningSimulator } from "../../../simulator"
import { VippsClient } from "../client"
import { EPAYMENT_WEBHOOK_EVENTS } from "../schemas"
import { TokenCache } from "../token-cache"
import { judgeWebhookRegistrations, sameWebhookUrl, WebhookRegistrationMonitor } from "../webhook-check"

const URL = "https://shop.example.com/hooks/vipps/vipps"

describe("webhook registration check", () => {
  let sim: RunningSimulator
  let client: VippsClient

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
      },
      { tokenCache: new TokenCache() },
    )
  })
  afterAll(() => sim.stop())

  it("compares URLs the way a registration is meant", () => {
    expect(sameWebhookUrl("https://Shop.Example.com/hooks/vipps/vipps/", URL)).toBe(true)
    expect(sameWebhookUrl(`${URL}?store=2`, URL)).toBe(false)
    expect(sameWebhookUrl("http://shop.example.com/hooks/vipps/vipps", URL)).toBe(false)
  })

  it("tells registered, incomplete and missing apart", () => {
    const now = new Date("2026-11-30T00:00:00Z")
    const all = { id: "a", url: URL, events: [...EPAYMENT_WEBHOOK_EVENTS] }
    expect(judgeWebhookRegistrations([all], URL, now).status).toBe("registered")
    const some = { id: "b", url: URL, events: ["epayments.payment.authorized.v1"] }
    const partial = judgeWebhookRegistrations([some], URL, now)
    expect(partial.status).toBe("incomplete")
    expect(partial.missingEvents).toContain("epayments.payment.captured.v1")
    expect(judgeWebhookRegistrations([{ ...all, url: "https://other.example/x" }], URL, now).status).toBe(
      "missing",
    )
  })

  it("notices a registration Vipps MobilePay deleted, asking the Webhooks API at most once per interval", async () => {
    let now = new Date("2026-11-30T00:00:00Z")
    const monitor = new WebhookRegistrationMonitor(3_600_000, () => now)
    const { id } = await client.webhooks.register({ url: URL, events: [...EPAYMENT_WEBHOOK_EVENTS] })
    sim.control.clearRequests()
    expect((await monitor.check("123456", client.webhooks, URL)).status).toBe("registered")

    // Two weeks unresponsive: Vipps MobilePay deletes it.
    expect(sim.control.dropWebhookRegistration(id)).toBe(true)
    now = new Date(now.getTime() + 60_000)
    expect((await monitor.check("123456", client.webhooks, URL)).status).toBe("registered") // cached
    expect(sim.control.requests({ operation: "listWebhooks" })).toHaveLength(1)

    now = new Date(now.getTime() + 3_600_000)
    const later = await monitor.check("123456", client.webhooks, URL)
    expect(later).toMatchObject({ status: "missing", registrationIds: [], url: URL })
    expect(later.missingEvents).toEqual([...EPAYMENT_WEBHOOK_EVENTS])
    expect(sim.control.requests({ operation: "listWebhooks" })).toHaveLength(2)

    monitor.forget("123456")
    await monitor.check("123456", client.webhooks, URL)
    expect(sim.control.requests({ operation: "listWebhooks" })).toHaveLength(3)
  })
})
