import { VippsClient as ExpClient } from "./exp-tmp/client"
import { TokenCache as ExpCache } from "./exp-tmp/token-cache"
import { startSim } from "./lib/sim-process"
import { bareAxios } from "./client-overhead"

async function main() {
  const sim = await startSim("child", { requestLogLimit: 100 })
  const cfg = {
    clientId: "sim-client-id",
    clientSecret: "sim-client-secret",
    subscriptionKey: "sim-subscription-key",
    merchantSerialNumber: "123456",
    baseUrl: sim.url,
    systemInfo: {
      systemName: "medusa",
      systemVersion: "2.21.2",
      pluginName: "medusa-payment-vipps-mobilepay",
      pluginVersion: "0.1.0",
    },
  }
  const tokens = new ExpCache()
  const client = new ExpClient(cfg, { tokenCache: tokens })
  const p = client.epayment["http"]
  const bare = bareAxios(sim.url, sim.approve)
  const t0 = Date.now()
  for (let i = 0; i < 4000; i++) {
    const ref = `pr-${t0}-${i}`
    if (process.env.WHICH === "ours") {
      tokens.clear()
      await p["accessToken"]()
      await client.epayment.createPayment(
        {
          amount: { currency: "NOK", value: 1000 },
          paymentMethod: { type: "WALLET" },
          reference: ref,
          userFlow: "WEB_REDIRECT",
          returnUrl: `https://shop.example/return?reference=${ref}`,
          paymentDescription: "Benchmark payment",
        },
        `create-${ref}`,
      )
      await client.epayment.getPayment(ref)
      await sim.approve(ref)
      await client.epayment.capturePayment(ref, { currency: "NOK", value: 1000 }, `capture-${ref}`)
      await client.epayment.refundPayment(ref, { currency: "NOK", value: 500 }, `refund-${ref}`)
    } else await bare.run(ref)
    if (i % 500 === 499) await sim.reset()
  }
  await sim.stop()
}
main()
