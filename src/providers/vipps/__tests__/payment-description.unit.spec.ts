import { DEFAULT_PAYMENT_DESCRIPTION, describePayment, summarizeItems } from "../payment-description"

const REFERENCE = "shop-payses-01JQ8ZK3W4N6B2X9T5V7Y0C1DE"

describe("payment description", () => {
  it("names the store and what was bought by default", () => {
    const text = describePayment(DEFAULT_PAYMENT_DESCRIPTION, {
      storeName: "Acme",
      items: [
        { name: "T-shirt", quantity: "2" },
        { name: "Mug", quantity: "1" },
      ],
      reference: REFERENCE,
    })
    expect(text).toBe("Acme: 2 × T-shirt, Mug")
    expect(text).not.toContain("payses")
  })

  it("says how many more lines there are when they do not fit", () => {
    const items = [
      { name: "T-shirt", quantity: "2" },
      ...Array.from({ length: 30 }, (_, i) => ({
        name: `A product with a long name number ${i}`,
        quantity: "1",
      })),
    ]
    const text = describePayment(DEFAULT_PAYMENT_DESCRIPTION, {
      storeName: "Acme",
      items,
      reference: REFERENCE,
    })
    expect(text.length).toBeLessThanOrEqual(100)
    expect(text).toMatch(/^Acme: 2 × T-shirt, .*, \d+ more$/)
  })

  it("shortens one very long line instead of dropping it, and stays within 100 characters", () => {
    const text = describePayment(DEFAULT_PAYMENT_DESCRIPTION, {
      storeName: "Acme",
      items: [{ name: "x".repeat(300), quantity: "3" }, { name: "Mug" }],
      reference: REFERENCE,
    })
    expect(text.length).toBeLessThanOrEqual(100)
    expect(text).toMatch(/^Acme: 3 × x+…, 1 more$/)
  })

  it("never falls back to an internal id", () => {
    expect(
      describePayment(DEFAULT_PAYMENT_DESCRIPTION, { storeName: "Acme", items: [], reference: REFERENCE }),
    ).toBe("Acme")
    expect(
      describePayment(DEFAULT_PAYMENT_DESCRIPTION, {
        items: [{ name: "Mug", quantity: "2" }],
        reference: REFERENCE,
      }),
    ).toBe("2 × Mug")
    expect(describePayment(DEFAULT_PAYMENT_DESCRIPTION, { items: [], reference: REFERENCE })).toBe(
      "Online purchase",
    )
    expect(
      describePayment(DEFAULT_PAYMENT_DESCRIPTION, { storeName: "AB", items: [], reference: REFERENCE }),
    ).toBe("AB purchase")
  })

  it("fills a merchant's own template", () => {
    const values = { storeName: "Acme", items: [{ name: "Mug" }], reference: REFERENCE, cartId: "cart_1" }
    expect(describePayment("Order at {store_name} ({items})", values)).toBe("Order at Acme (Mug)")
    expect(describePayment("{store_name} {reference}", values)).toBe(`Acme ${REFERENCE}`)
    expect(describePayment("{unknown} thing", values)).toBe("{unknown} thing")
    expect(describePayment("{cart_id}", { ...values, cartId: undefined })).toBe("Acme purchase")
  })

  it("summarizes within the room it is given", () => {
    const three = [{ name: "Mug", quantity: "2" }, { name: "Tee" }, { name: "Cap" }]
    expect(summarizeItems(three, 100)).toBe("2 × Mug, Tee, Cap")
    expect(summarizeItems(three, 17)).toBe("2 × Mug, Tee, Cap")
    expect(summarizeItems(three, 16)).toBe("2 × Mug, 2 more")
    expect(summarizeItems(three, 10)).toBe("2…, 2 more")
    expect(summarizeItems([], 100)).toBe("")
  })
})
