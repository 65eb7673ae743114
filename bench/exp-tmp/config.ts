import { z } from "zod"
import { DEFAULT_RETRY, RetryOptions } from "./retry-policy"

export const PRODUCTION_BASE_URL = "https://api.vipps.no"
export const TEST_BASE_URL = "https://apitest.vipps.no"

/** Values of the four Vipps-System-* headers (each cut to 30 characters). */
export type SystemInfo = {
  systemName: string
  systemVersion: string
  pluginName: string
  pluginVersion: string
}

export type VippsLogger = {
  debug?(message: string): void
  info?(message: string): void
  warn(message: string): void
  error(message: string): void
}

export type VippsClientConfig = {
  clientId: string
  clientSecret: string
  subscriptionKey: string
  merchantSerialNumber: string
  /** Explicit base URL (e.g. the local simulator); otherwise production or test by `testMode`. */
  baseUrl?: string
  testMode?: boolean
  systemInfo: SystemInfo
  /** Per-attempt timeout. */
  timeoutMs?: number
  retry?: Partial<RetryOptions>
  logger?: VippsLogger
}

export type ResolvedClientConfig = Omit<VippsClientConfig, "retry" | "timeoutMs" | "baseUrl"> & {
  baseUrl: string
  timeoutMs: number
  retry: RetryOptions
}

const credential = z.string().trim().min(1)

const ConfigSchema = z.object({
  clientId: credential,
  clientSecret: credential,
  subscriptionKey: credential,
  merchantSerialNumber: z.string().regex(/^\d{4,7}$/, "must be 4-7 digits"),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  testMode: z.boolean().optional(),
  timeoutMs: z.number().int().positive().optional(),
})

export function baseUrlFor(config: Pick<VippsClientConfig, "baseUrl" | "testMode">): string {
  const url = config.baseUrl ?? (config.testMode ? TEST_BASE_URL : PRODUCTION_BASE_URL)
  return url.replace(/\/+$/, "")
}

/** Validates the client configuration; messages name the field, never its value. */
export function resolveClientConfig(config: VippsClientConfig): ResolvedClientConfig {
  const parsed = ConfigSchema.safeParse(config)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`Invalid Vipps MobilePay client configuration: ${issue.path.join(".")} ${issue.message}`)
  }
  return {
    ...config,
    baseUrl: baseUrlFor(config),
    timeoutMs: config.timeoutMs ?? 10_000,
    retry: { ...DEFAULT_RETRY, ...config.retry },
  }
}

export function systemHeaders(info: SystemInfo): Record<string, string> {
  const cut = (value: string) => value.slice(0, 30)
  return {
    "Vipps-System-Name": cut(info.systemName),
    "Vipps-System-Version": cut(info.systemVersion),
    "Vipps-System-Plugin-Name": cut(info.pluginName),
    "Vipps-System-Plugin-Version": cut(info.pluginVersion),
  }
}
