import { assertPayableAmount, fromMinorUnits, MoneyError, normalizeCurrency, toMinorUnits } from "../money"

describe("money", () => {
  it.each([
    ["19.99", "DKK", 1999],
    ["0.01", "EUR", 1],
    ["1234567.89", "NOK", 123456789],
    ["100", "nok", 10000],
    ["0.1", "NOK", 10],
    [".5", "NOK", 50],
    ["1e2", "NOK", 10000],
    ["199.995", "NOK", 20000],
    ["199.99499999", "NOK", 19999],
    ["-5.005", "EUR", -501],
  ])("converts %s %s to %i minor units exactly", (input, currency, expected) => {
    expect(toMinorUnits(input, currency)).toBe(expected)
  })

  it("accepts numbers and Medusa's raw { value } objects without float error", () => {
    expect(toMinorUnits(19.99, "NOK")).toBe(1999)
    expect(toMinorUnits(0.29, "NOK")).toBe(29) // 0.29 * 100 = 28.999999999999996 in floats
    expect(toMinorUnits(1234567.89, "DKK")).toBe(123456789)
    expect(toMinorUnits({ value: "50.25" }, "NOK")).toBe(5025)
    expect(toMinorUnits({ toString: () => "7.10" }, "EUR")).toBe(710)
  })

  it("refuses what is not a decimal", () => {
    for (const bad of ["", "abc", "1.2.3", "NaN", "1,5"]) {
      expect(() => toMinorUnits(bad, "NOK")).toThrow(MoneyError)
    }
    expect(() => toMinorUnits(Number.POSITIVE_INFINITY, "NOK")).toThrow(MoneyError)
  })

  it("formats minor units back to exact major units", () => {
    expect(fromMinorUnits(1999, "DKK")).toBe("19.99")
    expect(fromMinorUnits(1, "EUR")).toBe("0.01")
    expect(fromMinorUnits(123456789, "NOK")).toBe("1234567.89")
    expect(fromMinorUnits(0, "NOK")).toBe("0.00")
    expect(fromMinorUnits(-501, "NOK")).toBe("-5.01")
    expect(() => fromMinorUnits(1.5, "NOK")).toThrow(MoneyError)
  })

  it("round-trips every minor amount it produces", () => {
    for (const value of [1, 9, 10, 99, 100, 101, 65000000, 4242]) {
      expect(toMinorUnits(fromMinorUnits(value, "NOK"), "NOK")).toBe(value)
    }
  })

  it("supports only NOK, DKK and EUR", () => {
    expect(normalizeCurrency("eur")).toBe("EUR")
    expect(() => normalizeCurrency("usd")).toThrow(/USD|usd/)
    expect(() => toMinorUnits("1", "SEK")).toThrow(MoneyError)
  })

  it("enforces the ePayment minimum and maximum", () => {
    expect(() => assertPayableAmount(99, "NOK")).toThrow(/at least 1.00 NOK/)
    expect(() => assertPayableAmount(100, "NOK")).not.toThrow()
    expect(() => assertPayableAmount(1, "DKK")).not.toThrow()
    expect(() => assertPayableAmount(0, "EUR")).toThrow(/at least 0.01 EUR/)
    expect(() => assertPayableAmount(65_000_001, "NOK")).toThrow(/at most 650000.00 NOK/)
  })
})
