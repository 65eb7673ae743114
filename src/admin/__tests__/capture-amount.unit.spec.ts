import { parseAmount, parseCaptureAmount } from "../lib/capture-amount"

describe("parseCaptureAmount", () => {
  it("reads major units exactly, with a point or a comma", () => {
    expect(parseCaptureAmount("200", "NOK", 54800)).toEqual({ minor: 20000 })
    expect(parseCaptureAmount(" 200.25 ", "NOK", 54800)).toEqual({ minor: 20025 })
    expect(parseCaptureAmount("0,1", "DKK", 54800)).toEqual({ minor: 10 })
    expect(parseCaptureAmount("548.00", "NOK", 54800)).toEqual({ minor: 54800 })
  })

  it("refuses more than is left to capture", () => {
    expect(parseCaptureAmount("548.01", "NOK", 54800)).toEqual({
      error: "At most 548.00 NOK is left to capture.",
    })
  })

  it("refuses zero, negative, over-precise and malformed amounts", () => {
    for (const text of ["0", "0.00", "-5", "1.005", "1e3", "", "abc", "1.2.3"]) {
      expect(parseCaptureAmount(text, "NOK", 54800)).toHaveProperty("error")
    }
  })
})

describe("parseAmount for refunds", () => {
  it("limits a refund to what is captured and not refunded", () => {
    expect(parseAmount("50", "NOK", 10000, "refund")).toEqual({ minor: 5000 })
    expect(parseAmount("100.01", "NOK", 10000, "refund")).toEqual({
      error: "At most 100.00 NOK can be refunded.",
    })
  })
})
