import { VippsApiError, VippsNetworkError } from "../errors"
import { nextDelay, parseRetryAfter } from "../retry-policy"
import { TokenCache, tokenExpiry } from "../token-cache"

describe("token cache", () => {
  it("reuses a token until shortly before expiry, then fetches a new one", async () => {
    let now = 0
    const cache = new TokenCache(() => now)
    let fetched = 0
    const fetch = async () => {
      fetched++
      return { accessToken: `t${fetched}`, expiresAt: tokenExpiry(now, 3600) }
    }
    expect(await cache.get("k", fetch)).toBe("t1")
    now = 50 * 60 * 1000
    expect(await cache.get("k", fetch)).toBe("t1")
    now = 55 * 60 * 1000 + 1 // 1 h token: refreshed 6 minutes before expiry at the latest
    expect(await cache.get("k", fetch)).toBe("t2")
    expect(fetched).toBe(2)
  })

  it("needs two requests in a day of 24-hour tokens (the first, and one refresh 5 minutes early)", async () => {
    let now = 0
    const cache = new TokenCache(() => now)
    let fetched = 0
    const fetch = async () => ({ accessToken: `t${++fetched}`, expiresAt: tokenExpiry(now, 86400) })
    for (let minute = 0; minute < 24 * 60; minute++) {
      now = minute * 60_000
      await cache.get("k", fetch)
    }
    expect(fetched).toBe(2)
  })

  it("hands out a valid cached token without waiting, and none once it lapsed", async () => {
    let now = 0
    const cache = new TokenCache(() => now)
    expect(cache.peek("k")).toBeUndefined()
    await cache.get("k", async () => ({ accessToken: "t1", expiresAt: tokenExpiry(now, 3600) }))
    expect(cache.peek("k")).toBe("t1")
    now = 55 * 60 * 1000 + 1
    expect(cache.peek("k")).toBeUndefined()
  })

  it("reads the clock on every call, so a clock replaced later still counts", async () => {
    let offset = 0
    const realNow = Date.now
    const cache = new TokenCache()
    await cache.get("k", async () => ({ accessToken: "t1", expiresAt: realNow() + 60_000 }))
    Date.now = () => realNow() + offset
    try {
      offset = 120_000
      expect(cache.peek("k")).toBeUndefined()
      expect(cache.now()).toBeGreaterThanOrEqual(realNow() + 119_000)
    } finally {
      Date.now = realNow
    }
  })

  it("keeps entries apart per key and drops only the token that was refused", async () => {
    const cache = new TokenCache()
    let n = 0
    const fetch = async () => ({ accessToken: `t${++n}`, expiresAt: Date.now() + 60_000 })
    expect(await cache.get(TokenCache.key("u", "a", "1"), fetch)).toBe("t1")
    expect(await cache.get(TokenCache.key("u", "b", "1"), fetch)).toBe("t2")
    cache.invalidate(TokenCache.key("u", "a", "1"), "stale")
    expect(await cache.get(TokenCache.key("u", "a", "1"), fetch)).toBe("t1")
    cache.invalidate(TokenCache.key("u", "a", "1"), "t1")
    expect(await cache.get(TokenCache.key("u", "a", "1"), fetch)).toBe("t3")
  })

  it("lets every waiter see a failed fetch, and retries on the next call", async () => {
    const cache = new TokenCache()
    let calls = 0
    const failing = async () => {
      calls++
      throw new Error("down")
    }
    const results = await Promise.allSettled([cache.get("k", failing), cache.get("k", failing)])
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"])
    expect(calls).toBe(1)
    await expect(
      cache.get("k", async () => ({ accessToken: "ok", expiresAt: Date.now() + 1000 })),
    ).resolves.toBe("ok")
  })
})

describe("retry policy", () => {
  const options = { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 5000 }
  const api = (status: number, code?: number, retryAfterSeconds?: number) =>
    new VippsApiError({
      operation: "x",
      status,
      extraDetails: code ? [{ name: "ErrorCode", reason: String(code) }] : [],
      retryAfterSeconds,
    })

  it("backs off exponentially with full jitter, capped", () => {
    expect(nextDelay(api(500), 1, 0, options, () => 1)).toBe(100)
    expect(nextDelay(api(500), 2, 0, options, () => 1)).toBe(200)
    expect(nextDelay(api(500), 3, 0, options, () => 0.5)).toBe(200)
    expect(nextDelay(api(500), 4, 0, options, () => 1)).toBeNull()
    expect(nextDelay(new VippsNetworkError("x", "ECONNRESET", "reset"), 1, 0, options, () => 1)).toBe(100)
  })

  it("never retries client errors except the documented transient ones", () => {
    for (const status of [400, 401, 403, 404, 409, 422])
      expect(nextDelay(api(status), 1, 0, options)).toBeNull()
    expect(nextDelay(api(400, 6160), 1, 0, options, () => 1)).toBe(100)
    expect(nextDelay(api(423), 1, 0, options, () => 1)).toBe(100)
  })

  it("waits at least Retry-After, within the elapsed budget", () => {
    expect(nextDelay(api(429, undefined, 2), 1, 0, options, () => 0)).toBe(2000)
    expect(nextDelay(api(429, undefined, 10), 1, 0, options, () => 0)).toBeNull()
    expect(parseRetryAfter("3")).toBe(3)
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3)
    expect(parseRetryAfter("soon")).toBeUndefined()
  })
})
