import {
  IDEMPOTENCY_KEY_MAX_LENGTH,
  idempotencyKey,
  REFERENCE_MAX_LENGTH,
  REFERENCE_PREFIX_MAX_LENGTH,
  REFERENCE_PREFIX_PATTERN,
  referenceFromSessionId,
  referenceKey,
  sessionIdFromReference,
} from "../reference"
import { REFERENCE_PATTERN } from "../vipps/schemas"

const SESSION = "payses_01JQ8ZK3W4N6B2X9T5V7Y0C1DE"

describe("reference", () => {
  it("derives a valid Vipps reference from a Medusa session id and back", () => {
    const reference = referenceFromSessionId(SESSION)
    expect(reference).toBe("payses-01JQ8ZK3W4N6B2X9T5V7Y0C1DE")
    expect(reference).toMatch(/^[a-zA-Z0-9-]{8,64}$/)
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
    expect(() => referenceFromSessionId(SESSION, "p".repeat(31))).toThrow(/referencePrefix/)
  })

  it("makes 64-character references (ePayment 1.7.0) from the longest prefix the options accept", () => {
    const prefix = `a${"b-".repeat(14)}z`
    expect(prefix).toHaveLength(REFERENCE_PREFIX_MAX_LENGTH)
    expect(prefix).toMatch(REFERENCE_PREFIX_PATTERN)
    expect(`${prefix}x`).not.toMatch(REFERENCE_PREFIX_PATTERN)
    const reference = referenceFromSessionId(SESSION, prefix)
    expect(reference).toHaveLength(REFERENCE_MAX_LENGTH)
    expect(reference).toMatch(REFERENCE_PATTERN)
    expect(sessionIdFromReference(reference, prefix)).toBe(SESSION)
  })

  it("builds idempotency keys within 50 characters", () => {
    expect(idempotencyKey("capture", "capt_01JQ8ZK3W4N6B2X9T5V7Y0C1DE")).toBe(
      "capture-capt_01JQ8ZK3W4N6B2X9T5V7Y0C1DE",
    )
    expect(() => idempotencyKey("x".repeat(30), "capt_01")).toThrow()
  })

  it("keys an id too long for the limit by a stable digest instead of failing", () => {
    const long = `capt_${"9".repeat(80)}`
    const key = idempotencyKey("capture", long)
    expect(key.length).toBeLessThanOrEqual(IDEMPOTENCY_KEY_MAX_LENGTH)
    expect(key).toBe(idempotencyKey("capture", long))
    expect(key).not.toBe(idempotencyKey("capture", `${long}8`))
    expect(key.startsWith("capture-")).toBe(true)
  })

  it("keeps every key the plugin makes within 50 characters, for the longest operation names and ids", () => {
    const ids = [
      "payses_01JQ8ZK3W4N6B2X9T5V7Y0C1DE",
      "capt_01JQ8ZK3W4N6B2X9T5V7Y0C1DE",
      "ref_01JQ8ZK3W4N6B2X9T5V7Y0C1DE",
      "pay_01JQ8ZK3W4N6B2X9T5V7Y0C1DE",
      "x".repeat(200),
    ]
    for (const operation of ["create", "capture", "refund", "cancel", "cancel-rest"]) {
      for (const id of ids) expect(idempotencyKey(operation, id).length).toBeLessThanOrEqual(50)
    }
    const reference = referenceFromSessionId(SESSION, "p".repeat(REFERENCE_PREFIX_MAX_LENGTH))
    for (const operation of ["refund-65000000", "capture-full", "x".repeat(27)]) {
      expect(referenceKey(operation, reference).length).toBeLessThanOrEqual(50)
    }
  })

  it("keys operations on a 64-character reference within 50 characters, keeping the session's ULID", () => {
    const reference = referenceFromSessionId(SESSION, "p".repeat(REFERENCE_PREFIX_MAX_LENGTH))
    expect(reference).toHaveLength(64)
    for (const operation of [
      "cancel-open",
      "capture-full",
      "delete",
      "autocapture",
      "release",
      "refund-49900",
      "refund-65000000",
    ]) {
      const key = referenceKey(operation, reference)
      expect(key.length).toBeLessThanOrEqual(50)
      expect(key).toContain("01JQ8ZK3W4N6B2X9T5V7Y0C1DE")
      expect(key.startsWith(`${operation}-`)).toBe(true)
    }
    // An operation name that leaves less room than a ULID: a digest keeps the key unique and short.
    const tight = referenceKey("x".repeat(27), reference)
    expect(tight).toHaveLength(50)
    expect(tight).not.toBe(referenceKey("x".repeat(27), reference.replace("DE", "DF")))
    expect(() => referenceKey("x".repeat(30), reference)).toThrow()
  })
})
