import axios from "axios"
import { VippsClient } from "../src/lib/vipps/client"
import { TokenCache } from "../src/lib/vipps/token-cache"
import { bareAxios } from "./client-overhead"

const token = JSON.stringify({ token_type: "Bearer", expires_in: "3600", ext_expires_in: "3600", expires_on: "1", not_before: "1", resource: "x", access_token: "x".repeat(1200) })
const agg = { authorizedAmount: { currency: "NOK", value: 1000 }, cancelledAmount: { currency: "NOK", value: 0 }, capturedAmount: { currency: "NOK", value: 1000 }, refundedAmount: { currency: "NOK", value: 500 } }
const mod = JSON.stringify({ amount: { currency: "NOK", value: 1000 }, state: "AUTHORIZED", aggregate: agg, pspReference: "p", reference: "r1234567890" })
const get = JSON.stringify({ aggregate: agg, amount: { currency: "NOK", value: 1000 }, state: "AUTHORIZED", paymentMethod: { type: "WALLET" }, profile: {}, pspReference: "p", reference: "r1234567890" })
const created = JSON.stringify({ reference: "r1234567890", redirectUrl: "http://x/landing?token=abc" })
axios.defaults.adapter = async (config) => {
  const url = String(config.url)
  const data = url.includes("accesstoken") ? token : config.method === "get" ? get : url.endsWith("/payments") ? created : mod
  return { data, status: url.endsWith("/payments") ? 201 : 200, statusText: "OK", headers: {}, config, request: {} }
}
async function main() {
  const tokens = new TokenCache()
  const client = new VippsClient({ clientId: "a", clientSecret: "b", subscriptionKey: "c", merchantSerialNumber: "123456", baseUrl: "http://127.0.0.1:1", systemInfo: { systemName: "medusa", systemVersion: "2.21.2", pluginName: "medusa-payment-vipps-mobilepay", pluginVersion: "0.1.0" } }, { tokenCache: tokens })
  const p = client.epayment["http"]
  const bare = bareAxios("http://127.0.0.1:1", async () => undefined)
  const ours = async (ref: string) => {
    tokens.clear()
    await p["accessToken"]()
    await client.epayment.createPayment({ amount: { currency: "NOK", value: 1000 }, paymentMethod: { type: "WALLET" }, reference: ref, userFlow: "WEB_REDIRECT", returnUrl: `https://shop.example/return?reference=${ref}`, paymentDescription: "Benchmark payment" }, `create-${ref}`)
    await client.epayment.getPayment(ref)
    await client.epayment.capturePayment(ref, { currency: "NOK", value: 1000 }, `capture-${ref}`)
    await client.epayment.refundPayment(ref, { currency: "NOK", value: 500 }, `refund-${ref}`)
  }
  const runs: Record<string, (r: string) => Promise<unknown>> = { ours, bare: (r) => bare.run(r) }
  for (const round of [0, 1, 2]) {
    for (const [name, fn] of Object.entries(runs)) {
      const n = 20000
      const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint()
      for (let i = 0; i < n; i++) await fn(`ref-${round}-${i}-abcdef`)
      const c = process.cpuUsage(c0)
      if (round > 0) console.log(name.padEnd(6), "µs/sequence wall", (Number(process.hrtime.bigint() - t0) / 1000 / n).toFixed(1), "cpu", ((c.user + c.system) / n).toFixed(1))
    }
  }
}
main()
