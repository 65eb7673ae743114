import { VippsClient } from "../src/lib/vipps/client"
import { TokenCache } from "../src/lib/vipps/token-cache"
import { startSim } from "./lib/sim-process"

async function main() {
  const sim = await startSim("child", { requestLogLimit: 100 })
  const tokens = new TokenCache()
  const client = new VippsClient({ clientId: "sim-client-id", clientSecret: "sim-client-secret", subscriptionKey: "sim-subscription-key", merchantSerialNumber: "123456", baseUrl: sim.url, systemInfo: { systemName: "a", systemVersion: "b", pluginName: "c", pluginVersion: "d" } }, { tokenCache: tokens })
  const p = client.epayment["http"]
  const t0 = Date.now()
  for (let i = 0; i < 3000; i++) {
    tokens.clear()
    await p["accessToken"]()
    const ref = `prof-${t0}-${i}`
    await client.epayment.createPayment({ amount: { currency: "NOK", value: 1000 }, paymentMethod: { type: "WALLET" }, reference: ref, userFlow: "WEB_REDIRECT", returnUrl: "https://x.example/r", paymentDescription: "Bench" }, `create-${ref}`)
    await client.epayment.getPayment(ref)
    if (i % 500 === 499) await sim.reset()
  }
  console.log("ms", Date.now() - t0)
  await sim.stop()
}
main()
