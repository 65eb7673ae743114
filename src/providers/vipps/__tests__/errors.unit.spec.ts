import { MedusaError } from "@medusajs/framework/utils"
import { EPAYMENT_ERROR_CODES } from "../../../lib/vipps/error-codes"
import { VippsApiError } from "../../../lib/vipps/errors"
import { CODE_MESSAGES, toMedusaError } from "../errors"

const failure = (code: number, status = EPAYMENT_ERROR_CODES[code]?.status ?? 400) =>
  new VippsApiError({
    operation: "epayment.capturePayment",
    status,
    title: EPAYMENT_ERROR_CODES[code]?.title,
    traceId: "trace-1",
    extraDetails: [{ name: "ErrorCode", reason: String(code) }],
  })

describe("merchant messages for ePayment error codes", () => {
  it("has a message for every code of the error table, and no others", () => {
    expect(Object.keys(CODE_MESSAGES).sort()).toEqual(Object.keys(EPAYMENT_ERROR_CODES).sort())
  })

  it.each(Object.keys(EPAYMENT_ERROR_CODES).map(Number))("code %i tells the merchant what to do", (code) => {
    const error = toMedusaError(failure(code), "capture acme-1")
    expect(error.message).toContain(CODE_MESSAGES[code])
    expect(error.message).toContain(`code ${code}`)
    expect(error.message).toContain("traceId trace-1")
    // A sentence that ends in an instruction or a fact, never an API state name alone.
    expect(CODE_MESSAGES[code].length).toBeGreaterThan(30)
  })

  it("says 6280 is safe to try again and 6260 must not ship", () => {
    expect(toMedusaError(failure(6280), "capture x").message).toMatch(/try again .* not be charged twice/)
    expect(toMedusaError(failure(6260), "capture x").message).toMatch(/Do not ship/)
  })

  it("gives an under-age or ineligible shopper (7010) a readable message that reveals nothing", () => {
    const error = toMedusaError(failure(7010), "start the payment")
    expect(error.type).toBe(MedusaError.Types.NOT_ALLOWED)
    expect(error.message).toMatch(/age limit/)
    expect(error.message).not.toMatch(/phone number/i)
  })
})
