/**
 * Access tokens cached per (base URL, client id, MSN) until shortly before expiry. Concurrent callers
 * on a cold or expired entry share one in-flight request. Per process: each process fetches its own.
 */

export type CachedToken = { accessToken: string; expiresAt: number }

type Entry = { token?: CachedToken; inFlight?: Promise<CachedToken> }

export class TokenCache {
  private readonly entries = new Map<string, Entry>()

  /** The cache's clock, read on every call (fake timers installed later still reach it). */
  constructor(readonly now: () => number = () => Date.now()) {}

  static key(baseUrl: string, clientId: string, merchantSerialNumber: string): string {
    return `${baseUrl}\u0000${clientId}\u0000${merchantSerialNumber}`
  }

  /** A valid cached token without waiting: the hot path of every call once a token is cached. */
  peek(key: string): string | undefined {
    const token = this.entries.get(key)?.token
    return token && token.expiresAt > this.now() ? token.accessToken : undefined
  }

  async get(key: string, fetchToken: () => Promise<CachedToken>): Promise<string> {
    const entry = this.entries.get(key) ?? {}
    this.entries.set(key, entry)
    if (entry.token && entry.token.expiresAt > this.now()) {
      return entry.token.accessToken
    }
    if (!entry.inFlight) {
      entry.inFlight = fetchToken()
        .then((token) => {
          entry.token = token
          return token
        })
        .finally(() => {
          entry.inFlight = undefined
        })
    }
    return (await entry.inFlight).accessToken
  }

  /** Drops the token if it is still the one that was refused, so a 401 forces exactly one refresh. */
  invalidate(key: string, accessToken: string): void {
    const entry = this.entries.get(key)
    if (entry?.token?.accessToken === accessToken) {
      entry.token = undefined
    }
  }

  clear(): void {
    this.entries.clear()
  }
}

/**
 * When to stop using a token: before expiry by a margin of 10% of its lifetime (at most 5 minutes),
 * so a request never starts with a token about to lapse.
 */
export function tokenExpiry(fetchedAt: number, expiresInSeconds: number): number {
  const lifetimeMs = Math.max(0, expiresInSeconds * 1000)
  const margin = Math.min(5 * 60 * 1000, lifetimeMs * 0.1)
  return fetchedAt + lifetimeMs - margin
}

/** Shared by every client in the process, so several provider instances of one sales unit share tokens. */
export const defaultTokenCache = new TokenCache()
