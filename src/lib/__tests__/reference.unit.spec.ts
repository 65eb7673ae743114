import { idempotencyKey, referenceFromSessionId, referenceKey, sessionIdFromReference } from "../reference"

const SESSION = "payses_01JQ8ZK3W4N6B2X9T5V7Y0C1DE"

describe("reference", () => {
  it("derives a valid Vipps reference from a Medusa session id and back", () => {
    const reference = referenceFromSessionId(SESSION)
    expect(reference).toBe("payses-01JQ8ZK3W4N6B2X9T5V7Y0C1DE")
    expect(reference).toMatch(/^[a-zA-Z0-9-]{8,50}$/)
    expect(sessionIdFromReference(reference)).toBe(SESSION)
  })

  it("adds and strips a prefix", () => {
    const reference = referenceFromSessionId(SESSION, "shop-no")
    expect(reference).toBe("shop-no-payses-01JQ8ZK3W4N6B2X9T5V7Y0C1DE")
    expect(sessionIdFromReference(reference, "shop-no")).toBe(SESSION)
    expect(sessionIdFromReference(reference, "other")).toBeNull()
    expect(sessionIdFromReference(reference)).toBeNull()
  })

  it("refuses what would break the Vipps pattern or length", () => {
    expect(() => referenceFromSessionId("not a session")).toThrow()
    expect(() => referenceFromSessionId(SESSION, "p".repeat(17))).toThrow(/referencePrefix/)
  })

  it("builds idempotency keys within 50 characters", () => {
    expect(idempotencyKey("capture", "capt_01JQ8ZK3W4N6B2X9T5V7Y0C1DE")).toBe(
      "capture-capt_01JQ8ZK3W4N6B2X9T5V7Y0C1DE",
    )
    expect(() => idempotencyKey("capture", "x".repeat(50))).toThrow()
  })

  it("keys operations on a 50-character reference within 50 characters, keeping the session's ULID", () => {
    const reference = referenceFromSessionId(SESSION, "p".repeat(16))
    expect(reference).toHaveLength(50)
    for (const operation of [
      "cancel-open",
      "capture-full",
      "delete",
      "autocapture",
      "release",
      "refund-49900",
    ]) {
      const key = referenceKey(operation, reference)
      expect(key.length).toBeLessThanOrEqual(50)
      expect(key).toContain("01JQ8ZK3W4N6B2X9T5V7Y0C1DE")
      expect(key.startsWith(`${operation}-`)).toBe(true)
    }
    expect(() => referenceKey("x".repeat(30), reference)).toThrow()
  })
})
