import { RunningSimulator, startSimulator } from "../../src/simulator"

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

/**
 * Starts the ePayment simulator before Medusa boots (this hook is registered before the test runner's)
 * and points medusa-config.ts at it through VIPPS_API_BASE_URL.
 */
export function useSimulator(): { readonly current: RunningSimulator } {
  const holder: { current?: RunningSimulator } = {}
  beforeAll(async () => {
    holder.current = await startSimulator({
      merchants: [NORWAY, DENMARK],
      webhookRetry: { attempts: 5, baseDelayMs: 50 },
    })
    process.env.VIPPS_API_BASE_URL = holder.current.url
  })
  afterAll(async () => {
    await holder.current?.stop()
  })
  return {
    get current() {
      if (!holder.current) throw new Error("simulator not started")
      return holder.current
    },
  }
}

/** Polls until `check` returns a truthy value, or fails after the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
