import { VippsClient } from "../../src/lib/vipps/client"
import { EPAYMENT_WEBHOOK_EVENTS } from "../../src/lib/vipps/schemas"
import { startSimulator, type RunningSimulator, type SimulatorMerchant } from "../../src/simulator"

/** The sales units medusa-config.ts registers (simulator test credentials, not secrets). */
export const MERCHANTS: SimulatorMerchant[] = [
  {
    clientId: "sim-client-id",
    clientSecret: "sim-client-secret",
    subscriptionKey: "sim-subscription-key",
    msn: "123456",
    currencies: ["NOK"],
    name: "Vipps MobilePay Demo Store",
  },
  {
    clientId: "sim-dk-client-id",
    clientSecret: "sim-dk-client-secret",
    subscriptionKey: "sim-dk-subscription-key",
    msn: "654321",
    currencies: ["DKK", "EUR"],
    name: "Vipps MobilePay Demo Store Denmark",
  },
]

/** The simulator's own test keys, whatever the shell holds: real credentials never go to the simulator. */
export function simulatorCredentials(sim: RunningSimulator, webhookSecret: string): NodeJS.ProcessEnv {
  return {
    VIPPS_API_BASE_URL: sim.url,
    VIPPS_WEBHOOK_SECRET: webhookSecret,
    VIPPS_CLIENT_ID: MERCHANTS[0].clientId,
    VIPPS_CLIENT_SECRET: MERCHANTS[0].clientSecret,
    VIPPS_SUBSCRIPTION_KEY: MERCHANTS[0].subscriptionKey,
    VIPPS_MSN: MERCHANTS[0].msn,
    MOBILEPAY_CLIENT_ID: MERCHANTS[1].clientId,
    MOBILEPAY_CLIENT_SECRET: MERCHANTS[1].clientSecret,
    MOBILEPAY_SUBSCRIPTION_KEY: MERCHANTS[1].subscriptionKey,
    MOBILEPAY_MSN: MERCHANTS[1].msn,
  }
}

/** Starts the simulator and, as a merchant does once, registers the store's webhook URL; returns its secret. */
export async function startDemoSimulator(
  port: number,
  medusaUrl: string,
): Promise<{ sim: RunningSimulator; webhookSecret: string }> {
  const sim = await startSimulator({
    port,
    merchants: MERCHANTS,
    webhookRetry: { attempts: 8, baseDelayMs: 500 },
  })
  try {
    const client = new VippsClient({
      clientId: MERCHANTS[0].clientId,
      clientSecret: MERCHANTS[0].clientSecret,
      subscriptionKey: MERCHANTS[0].subscriptionKey,
      merchantSerialNumber: MERCHANTS[0].msn,
      baseUrl: sim.url,
      systemInfo: { systemName: "medusa", systemVersion: "demo", pluginName: "demo", pluginVersion: "0" },
    })
    const { secret } = await client.webhooks.register({
      url: `${medusaUrl}/hooks/vipps/vipps`,
      events: [...EPAYMENT_WEBHOOK_EVENTS],
    })
    return { sim, webhookSecret: secret }
  } catch (error) {
    await sim.stop()
    throw error
  }
}
