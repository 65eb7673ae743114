import type { RunningSimulator } from "../index"
import { Api, newReference, startTestSimulator } from "./helpers"

describe("simulator: brand and legal links on the landing page", () => {
  let sim: RunningSimulator

  beforeAll(async () => {
    sim = await startTestSimulator()
  })
  afterAll(() => sim.stop())
  afterEach(() => {
    sim.control.resetTime()
    sim.control.setBrand("auto")
  })

  async function landing(currency: string, extra: Record<string, unknown> = {}) {
    const reference = newReference()
    // A fresh token on the simulator's current clock.
    const created = await new Api(sim).createPayment({
      reference,
      amount: { currency, value: 1_000 },
      ...extra,
    })
    expect(created.status).toBe(201)
    return fetch(created.body.redirectUrl).then((r) => r.text())
  }

  it("plays MobilePay for Danish payments until 12 January 2027, Vipps after; Norway is always Vipps", async () => {
    sim.control.setTime("2026-12-01T12:00:00Z")
    expect(await landing("DKK")).toContain("MobilePay simulator")
    expect(await landing("NOK")).toContain("Vipps simulator")
    sim.control.setTime("2027-01-12T12:00:00Z")
    expect(await landing("DKK")).toContain("Vipps simulator")
    sim.control.setBrand("mobilepay")
    expect(await landing("EUR")).toContain("MobilePay simulator")
  })

  it("shows the merchant's legal links above Approve", async () => {
    const page = await landing("NOK", {
      merchantLegalLinks: {
        termsOfSaleUrl: "https://shop.example.com/terms",
        privacyPolicyUrl: "https://shop.example.com/privacy",
      },
    })
    expect(page).toContain('id="terms" href="https://shop.example.com/terms"')
    expect(page).toContain('id="privacy" href="https://shop.example.com/privacy"')
    expect(page.indexOf('id="legal"')).toBeLessThan(page.indexOf('id="approve"'))
    expect(await landing("NOK")).not.toContain('id="legal"')
  })
})
