import { freePort } from "../../scripts/lib/free-port"
import { poll } from "./poll"
import { RunningSimulator, startSimulator } from "../../src/simulator"
import { VippsClient } from "../../src/lib/vipps/client"
import { EPAYMENT_WEBHOOK_EVENTS } from "../../src/lib/vipps/schemas"
import { webhookHeaders } from "../../src/lib/webhook-signature"

/** The two sales units medusa-config.ts registers (pp_vipps_vipps / pp_vipps_direct, and pp_vipps_mobilepay). */
export const NORWAY = {
  clientId: "sim-client-id",
  clientSecret: "sim-client-secret",
  subscriptionKey: "sim-subscription-key",
  msn: "123456",
  currencies: ["NOK" as const],
  name: "Demo Store Norway",
}
export const DENMARK = {
  clientId: "sim-dk-client-id",
  clientSecret: "sim-dk-client-secret",
  subscriptionKey: "sim-dk-subscription-key",
  msn: "654321",
  currencies: ["DKK" as const, "EUR" as const],
  name: "Demo Store Denmark",
}

export type SimulatorMerchant = typeof NORWAY | typeof DENMARK

/** The API client a merchant of the simulator uses (here: for the Webhooks API, as a merchant registers). */
export function merchantClient(simulatorUrl: string, merchant: SimulatorMerchant, systemName = "medusa") {
  return new VippsClient({
    clientId: merchant.clientId,
    clientSecret: merchant.clientSecret,
    subscriptionKey: merchant.subscriptionKey,
    merchantSerialNumber: merchant.msn,
    baseUrl: simulatorUrl,
    systemInfo: { systemName, systemVersion: "test", pluginName: "tests", pluginVersion: "0" },
  })
}

/** Which registration of medusa-config.ts uses which sales unit and which env var holds its webhook secret. */
const REGISTRATIONS = [
  { id: "vipps", merchant: NORWAY, secretEnv: "VIPPS_WEBHOOK_SECRET" },
  { id: "mobilepay", merchant: DENMARK, secretEnv: "MOBILEPAY_WEBHOOK_SECRET" },
  { id: "direct", merchant: NORWAY, secretEnv: "DIRECT_WEBHOOK_SECRET" },
]

/**
 * Starts the ePayment simulator before Medusa boots (this hook is registered before the test runner's)
 * and points medusa-config.ts at it through VIPPS_API_BASE_URL. With `webhooks`, Medusa's port is fixed
 * up front and each registration's webhook URL is registered through the Webhooks API, as a merchant
 * would; the secrets reach medusa-config.ts through the environment.
 */
export function useSimulator(options: { webhooks?: boolean } = {}): { readonly current: RunningSimulator } {
  const holder: { current?: RunningSimulator } = {}
  beforeAll(async () => {
    holder.current = await startSimulator({
      merchants: [NORWAY, DENMARK],
      webhookRetry: { attempts: 6, baseDelayMs: 100 },
    })
    process.env.VIPPS_API_BASE_URL = holder.current.url
    if (options.webhooks) {
      const port = await freePort()
      process.env.PORT = String(port)
      for (const registration of REGISTRATIONS) {
        const client = merchantClient(holder.current.url, registration.merchant)
        const { secret } = await client.webhooks.register({
          url: `http://localhost:${port}/hooks/vipps/${registration.id}`,
          events: [...EPAYMENT_WEBHOOK_EVENTS],
        })
        process.env[registration.secretEnv] = secret
      }
    }
  })
  afterAll(async () => {
    if (holder.current) await quiet(holder.current)
    await holder.current?.stop()
  })
  return {
    get current() {
      if (!holder.current) throw new Error("simulator not started")
      return holder.current
    },
  }
}

/** The store's webhook route of a registration, on the port `useSimulator({ webhooks: true })` fixed. */
export const storeHookUrl = (registrationId = "vipps") =>
  `http://localhost:${process.env.PORT}/hooks/vipps/${registrationId}`

/** The headers Vipps MobilePay signs `body` with for delivery to `hookUrl` (the registration's secret by default). */
export function signedWebhookHeaders(
  body: string,
  hookUrl: string,
  secret = process.env.VIPPS_WEBHOOK_SECRET!,
): Record<string, string> {
  const url = new URL(hookUrl)
  return webhookHeaders({
    secret,
    pathAndQuery: url.pathname,
    host: url.host,
    date: new Date().toUTCString(),
    body,
  })
}

/** Polls until `check` returns a truthy value, or fails after the deadline. */
export function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  return poll("condition", check, timeoutMs, 100)
}

/**
 * Before the suite's Medusa is torn down: waits (at most 30 s, never failing) until no webhook is pending and
 * the store has made no ePayment call for a second, so no sync the last webhooks started is still running
 * against a database being dropped (that left Medusa's teardown waiting, and the next suite's boot with it).
 */
async function quiet(sim: RunningSimulator): Promise<void> {
  let seen = -1
  await poll(
    "the store quiet",
    () => {
      const calls = sim.control.requests().length
      const quietNow = sim.control.webhooksIdle() && calls === seen
      seen = calls
      return quietNow
    },
    30_000,
    1_000,
  ).catch(() => {})
}
