import { errorCodeInfo } from "./error-codes"
import { VippsApiError, VippsError, VippsNetworkError } from "./errors"

export type RetryOptions = {
  /** Attempts in total, the first one included. */
  maxAttempts: number
  /** First backoff step; doubles every attempt (full jitter). */
  initialDelayMs: number
  maxDelayMs: number
  /** No new attempt starts once this much time has passed since the first one. */
  maxElapsedMs: number
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 4,
  initialDelayMs: 250,
  maxDelayMs: 4_000,
  maxElapsedMs: 30_000,
}

/**
 * Safe to repeat with the same Idempotency-Key and body: no answer, 5xx, 423 Locked, 429, and the codes the
 * error table marks "try again" (6160, 6250, 6280). 6260 (funds unavailable) and every other 4xx never are.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof VippsNetworkError) return true
  if (error instanceof VippsApiError) {
    if (error.status >= 500 || error.status === 429 || error.status === 423) return true
    return errorCodeInfo(error.code)?.retry === true
  }
  return false
}

/** `Retry-After` as seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim())
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000)
}

/**
 * Delay before the next attempt, or null to stop. `attempt` counts attempts made so far (1 after the first).
 */
export function nextDelay(
  error: VippsError,
  attempt: number,
  elapsedMs: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number | null {
  if (attempt >= options.maxAttempts || !isRetryable(error)) return null
  const cap = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (attempt - 1))
  let delay = Math.round(random() * cap)
  if (error instanceof VippsApiError && error.retryAfterSeconds !== undefined) {
    // The server said when: never earlier than that.
    delay = Math.max(delay, Math.ceil(error.retryAfterSeconds * 1000))
  }
  if (error instanceof VippsApiError) {
    // "Try again later" codes (6280 capture failed, 6250 cancel while processing) get a short wait first.
    delay = Math.max(delay, errorCodeInfo(error.code)?.minDelayMs ?? 0)
  }
  return elapsedMs + delay > options.maxElapsedMs ? null : delay
}
