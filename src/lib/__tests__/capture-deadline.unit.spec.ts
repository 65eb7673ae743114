import { captureDaysLeft, captureDeadline, captureDueSoon } from "../capture-deadline"

const AUTHORIZED = "2026-09-01T10:00:00.000Z"

describe("captureDeadline", () => {
  it("prefers captureGuaranteedUntil over the market rule", () => {
    const deadline = captureDeadline({
      amount: { currency: "NOK" },
      captureGuaranteedUntil: "2026-09-08T07:53:44.812+00:00",
      authorizedAt: AUTHORIZED,
    })
    expect(deadline).toEqual({ at: "2026-09-08T07:53:44.812Z", basis: "captureGuaranteedUntil" })
  })

  it("falls back to 180 days in Norway and 14 days in Denmark and Finland", () => {
    expect(captureDeadline({ amount: { currency: "NOK" }, authorizedAt: AUTHORIZED })).toEqual({
      at: "2027-02-28T10:00:00.000Z",
      basis: "norway-180-days",
    })
    for (const currency of ["DKK", "EUR", "dkk"]) {
      expect(captureDeadline({ amount: { currency }, authorizedAt: new Date(AUTHORIZED) })).toEqual({
        at: "2026-09-15T10:00:00.000Z",
        basis: "denmark-finland-14-days",
      })
    }
  })

  it("ignores an unreadable captureGuaranteedUntil and takes the shorter rule for an unknown currency", () => {
    expect(
      captureDeadline({
        amount: { currency: "SEK" },
        captureGuaranteedUntil: "soon",
        authorizedAt: AUTHORIZED,
      }),
    ).toEqual({ at: "2026-09-15T10:00:00.000Z", basis: "denmark-finland-14-days" })
  })

  it("is unknown without either fact", () => {
    expect(captureDeadline({ amount: { currency: "NOK" } })).toBeNull()
    expect(captureDeadline({ amount: { currency: "NOK" }, captureGuaranteedUntil: null })).toBeNull()
  })

  it("counts whole days left and says when an uncaptured rest is within 7 days of it", () => {
    const deadline = captureDeadline({
      amount: { currency: "NOK" },
      captureGuaranteedUntil: "2026-09-10T10:00:00Z",
    })!
    const eightDaysBefore = new Date("2026-09-02T09:59:59Z")
    const sevenDaysBefore = new Date("2026-09-03T10:00:00Z")
    expect(captureDaysLeft(deadline, eightDaysBefore)).toBe(8)
    expect(captureDueSoon(deadline, 100, eightDaysBefore)).toBe(false)
    expect(captureDueSoon(deadline, 100, sevenDaysBefore)).toBe(true)
    expect(captureDueSoon(deadline, 0, sevenDaysBefore)).toBe(false)
    expect(captureDueSoon(deadline, 100, new Date("2026-09-11T00:00:00Z"))).toBe(true)
    expect(captureDaysLeft(deadline, new Date("2026-09-11T00:00:00Z"))).toBe(0)
    expect(captureDueSoon(null, 100, sevenDaysBefore)).toBe(false)
    expect(captureDueSoon(deadline, 100, eightDaysBefore, 10)).toBe(true)
  })
})
