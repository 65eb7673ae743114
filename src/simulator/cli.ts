import { startSimulator } from "./index"

/**
 * Standalone simulator: `npm run simulator` (PORT, HOST, SIMULATOR_PUBLIC_URL, SIMULATOR_ALLOW_HTTP_URLS
 * environment variables). Prints the URL and the simulator's own TEST credentials.
 */

async function main(): Promise<void> {
  const sim = await startSimulator({
    port: Number(process.env.PORT ?? 4010),
    host: process.env.HOST ?? "127.0.0.1",
    publicUrl: process.env.SIMULATOR_PUBLIC_URL || undefined,
    allowHttpUrls: process.env.SIMULATOR_ALLOW_HTTP_URLS === "true",
    webhookRetry: { attempts: 8, baseDelayMs: 1000 },
  })
  const merchant = sim.merchants[0]
  console.log(`Vipps MobilePay simulator listening on ${sim.url}
(test sandbox: no real money, no real Vipps MobilePay; these are the simulator's own test credentials)

  API base URL                ${sim.url}
  client_id                   ${merchant.clientId}
  client_secret               ${merchant.clientSecret}
  Ocp-Apim-Subscription-Key   ${merchant.subscriptionKey}
  Merchant-Serial-Number      ${merchant.msn}
  Currencies                  ${merchant.currencies.join(", ")}

Point the plugin at it: set the provider's options to
  baseUrl: "${sim.url}", clientId: "${merchant.clientId}", clientSecret: "${merchant.clientSecret}",
  subscriptionKey: "${merchant.subscriptionKey}", merchantSerialNumber: "${merchant.msn}"
(instead of https://apitest.vipps.no and real keys), then check out as usual.
The landing page (${sim.publicUrl}/landing?token=...) has Approve / Reject buttons.

Control API: ${sim.url}/_simulator/payments, /_simulator/clock, /_simulator/faults,
/_simulator/webhook-faults, /_simulator/requests, /_simulator/webhook-deliveries, /_simulator/reset
Press Ctrl+C to stop.`)

  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping the simulator`)
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on("SIGINT", () => shutdown("SIGINT"))
  process.on("SIGTERM", () => shutdown("SIGTERM"))
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
