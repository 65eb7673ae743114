import { DEFAULT_SIMULATOR_MERCHANT, startSimulator, type RunningSimulator } from "../../../simulator"
import { VippsClient } from "../client"
import { EPAYMENT_WEBHOOK_EVENTS } from "../schemas"
import { TokenCache } from "../token-cache"
import { judgeWebhookRegistrations, sameWebhookUrl } from "../webhook-check"

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

  it("notices a registration Vipps MobilePay deleted", async () => {
    const now = new Date("2026-11-30T00:00:00Z")
    const { id } = await client.webhooks.register({ url: URL, events: [...EPAYMENT_WEBHOOK_EVENTS] })
    expect(judgeWebhookRegistrations(await client.webhooks.list(), URL, now).status).toBe("registered")

    // Two weeks unresponsive: Vipps MobilePay deletes it.
    expect(sim.control.dropWebhookRegistration(id)).toBe(true)
    const later = judgeWebhookRegistrations(await client.webhooks.list(), URL, now)
    expect(later).toMatchObject({ status: "missing", registrationIds: [], url: URL })
    expect(later.missingEvents).toEqual([...EPAYMENT_WEBHOOK_EVENTS])
  })
})
