import { startCaptureProxy } from "./lib/capture-proxy"
import { startSim } from "./lib/sim-process"
import { bareAxios } from "./client-overhead"
import { VippsClient } from "../src/lib/vipps/client"
import { TokenCache } from "../src/lib/vipps/token-cache"
import net from "node:net"

async function main() {
  const sim = await startSim("child", {})
  for (const which of ["ours", "bare"]) {
    const proxy = await startCaptureProxy(sim.url)
    const tokens = new TokenCache()
    const client = new VippsClient({ clientId: "sim-client-id", clientSecret: "sim-client-secret", subscriptionKey: "sim-subscription-key", merchantSerialNumber: "123456", baseUrl: proxy.url, systemInfo: { systemName: "medusa", systemVersion: "2.21.2", pluginName: "medusa-payment-vipps-mobilepay", pluginVersion: "0.1.0" } }, { tokenCache: tokens })
    const bare = bareAxios(proxy.url, sim.approve)
    for (let i = 0; i < 50; i++) {
      const ref = `conn-${which}-${Date.now()}-${i}`
      if (which === "bare") await bare.run(ref)
      else {
        tokens.clear(); await client.epayment["http"]["accessToken"]()
        await client.epayment.createPayment({ amount: { currency: "NOK", value: 1000 }, paymentMethod: { type: "WALLET" }, reference: ref, userFlow: "WEB_REDIRECT", returnUrl: "https://x.example/r", paymentDescription: "Bench" }, `create-${ref}`)
        await client.epayment.getPayment(ref)
      }
    }
    const reqs = proxy.requests()
    console.log(which, "requests", reqs.length, "connections", (proxy as unknown as { requests(): unknown[] }) && proxy.connections())
    await proxy.close()
  }
  await sim.stop()
}
function countConnections(p: { requests(): unknown[] }) { return (p as unknown as { streams?: unknown[] }).streams?.length ?? "n/a" }
main()
