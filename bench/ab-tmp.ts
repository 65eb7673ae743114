import { VippsClient } from "../src/lib/vipps/client"
import { TokenCache } from "../src/lib/vipps/token-cache"
import { VippsClient as ExpClient } from "./exp-tmp/client"
import { TokenCache as ExpCache } from "./exp-tmp/token-cache"
import { startSim } from "./lib/sim-process"
import { bareAxios } from "./client-overhead"
import { median } from "./lib/stats"

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
  const mk = (C: typeof VippsClient, T: typeof TokenCache) => {
    const tokens = new T()
    const client = new C(cfg, { tokenCache: tokens })
    const p = client.epayment["http"]
    return async (ref: string) => {
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
    }
  }
  const bare = bareAxios(sim.url, sim.approve)
  const runs: Record<string, (ref: string) => Promise<unknown>> = {
    ours: mk(VippsClient, TokenCache),
    exp: mk(ExpClient as unknown as typeof VippsClient, ExpCache as unknown as typeof TokenCache),
    bare: (r) => bare.run(r),
  }
  const names = Object.keys(runs)
  const cpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]))
  const wall: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]))
  const t0 = Date.now()
  const N = Number(process.env.N ?? 1500)
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(i + k) % names.length]
      const c0 = process.cpuUsage()
      const w0 = process.hrtime.bigint()
      await runs[n](`ab-${n}-${t0}-${i}`)
      const c = process.cpuUsage(c0)
      if (i >= 150) {
        cpu[n].push((c.user + c.system) / 1000)
        wall[n].push(Number(process.hrtime.bigint() - w0) / 1e6)
      }
    }
    if (i % 300 === 299) await sim.reset()
  }
  for (const n of names)
    console.log(
      n.padEnd(6),
      "cpu p50",
      median(cpu[n]).toFixed(3),
      "mean",
      (cpu[n].reduce((a, b) => a + b, 0) / cpu[n].length).toFixed(3),
      "wall p50",
      median(wall[n]).toFixed(3),
    )
  await sim.stop()
}
main()
