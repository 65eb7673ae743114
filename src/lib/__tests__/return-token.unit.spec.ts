import {
  deriveReturnTokenKey,
  isReturnToken,
  RETURN_TOKEN_PARAM,
  returnToken,
  sameSecret,
  withReturnToken,
} from "../return-token"

const KEY = deriveReturnTokenKey("client-secret-of-the-sales-unit")
const REFERENCE = "shop-no-payses-01JQ8ZK3W4N6B2X9T5V7Y0C1DE"

describe("return token", () => {
  it("is a stable base64url HMAC of the reference, different per reference and per secret", () => {
    const token = returnToken(KEY, REFERENCE)
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(returnToken(deriveReturnTokenKey("client-secret-of-the-sales-unit"), REFERENCE)).toBe(token)
    expect(returnToken(KEY, `${REFERENCE}X`)).not.toBe(token)
    expect(returnToken(deriveReturnTokenKey("another-secret"), REFERENCE)).not.toBe(token)
  })

  it("never contains the client secret or the derived key", () => {
    const token = returnToken(KEY, REFERENCE)
    expect(token).not.toContain("client-secret")
    expect(token).not.toBe(KEY.toString("base64url"))
  })

  it("accepts only the exact token of that reference", () => {
    const token = returnToken(KEY, REFERENCE)
    expect(isReturnToken(KEY, REFERENCE, token)).toBe(true)
    expect(isReturnToken(KEY, REFERENCE, token.slice(0, -1))).toBe(false)
    expect(isReturnToken(KEY, REFERENCE, `${token}A`)).toBe(false)
    expect(isReturnToken(KEY, REFERENCE, token.toUpperCase())).toBe(false)
    expect(isReturnToken(KEY, `${REFERENCE}X`, token)).toBe(false)
    expect(isReturnToken(KEY, REFERENCE, "")).toBe(false)
    expect(isReturnToken(KEY, REFERENCE, undefined)).toBe(false)
    expect(isReturnToken(KEY, REFERENCE, [token])).toBe(false)
    expect(isReturnToken(KEY, REFERENCE, "x".repeat(10_000))).toBe(false)
  })

  it("compares secrets of any length", () => {
    expect(sameSecret("cart_01ABC", "cart_01ABC")).toBe(true)
    expect(sameSecret("cart_01ABC", "cart_01ABD")).toBe(false)
    expect(sameSecret("cart_01ABC", "cart_01AB")).toBe(false)
    expect(sameSecret("", "")).toBe(true)
  })

  describe("withReturnToken", () => {
    it.each([
      ["https://shop.example/return", "https://shop.example/return?vipps_token=T"],
      [
        "https://shop.example/return?reference=R&cart_id=C",
        "https://shop.example/return?reference=R&cart_id=C&vipps_token=T",
      ],
      [
        "https://shop.example/return?reference=R#done",
        "https://shop.example/return?reference=R&vipps_token=T#done",
      ],
      ["https://shop.example/return?", "https://shop.example/return?vipps_token=T"],
      ["myapp://checkout/return?ref=R", "myapp://checkout/return?ref=R&vipps_token=T"],
      ["https://shop.example/r?vipps_token=forged&a=1", "https://shop.example/r?a=1&vipps_token=T"],
    ])("%s", (url, expected) => {
      expect(withReturnToken(url, "T")).toBe(expected)
    })

    it("keeps the token readable from the URL", () => {
      const token = returnToken(KEY, REFERENCE)
      const url = new URL(withReturnToken(`https://shop.example/return?reference=${REFERENCE}`, token))
      expect(url.searchParams.get(RETURN_TOKEN_PARAM)).toBe(token)
      expect(url.searchParams.get("reference")).toBe(REFERENCE)
    })
  })
})
