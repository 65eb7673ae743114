import { merchantState, type StateFacts } from "../merchant-state"

const authorized = (amounts: Partial<StateFacts> = {}): StateFacts => ({
  state: "AUTHORIZED",
  authorized: 50000,
  captured: 0,
  refunded: 0,
  cancelled: 0,
  deadlinePassed: false,
  ...amounts,
})

describe("merchantState", () => {
  it.each([
    ["Reserved", authorized()],
    ["Partly captured", authorized({ captured: 20000 })],
    ["Captured", authorized({ captured: 50000 })],
    ["Captured", authorized({ captured: 20000, cancelled: 30000 })],
    ["Partly refunded", authorized({ captured: 50000, refunded: 10000 })],
    ["Partly refunded", authorized({ captured: 20000, refunded: 10000 })],
    ["Refunded", authorized({ captured: 50000, refunded: 50000 })],
    ["Refunded", authorized({ captured: 20000, cancelled: 30000, refunded: 20000 })],
    ["Released", authorized({ cancelled: 50000 })],
    ["Expired", authorized({ deadlinePassed: true })],
    ["Awaiting approval", { ...authorized(), state: "CREATED" }],
    ["Expired", { ...authorized(), state: "EXPIRED" }],
    ["Failed", { ...authorized(), state: "ABORTED" }],
    ["Released", { ...authorized(), state: "TERMINATED" }],
  ])("says %s", (label, facts) => {
    expect(merchantState(facts).label).toBe(label)
  })

  it("explains a capture whose rest was released", () => {
    expect(merchantState(authorized({ captured: 20000, cancelled: 30000 })).detail).toBe(
      "The uncaptured rest was released.",
    )
    expect(merchantState(authorized({ captured: 50000 })).detail).toBeNull()
  })

  it("keeps a partly captured payment partly captured after its capture deadline", () => {
    expect(merchantState(authorized({ captured: 20000, deadlinePassed: true })).label).toBe("Partly captured")
  })
})
