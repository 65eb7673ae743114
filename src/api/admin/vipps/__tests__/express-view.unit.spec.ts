import type { GetPaymentResponse } from "../../../../lib/vipps/schemas"
import { buildExpressView } from "../express-view"

const nok = (value: number) => ({ currency: "NOK" as const, value })

function approved(overrides: Partial<GetPaymentResponse> = {}): GetPaymentResponse {
  return {
    aggregate: {
      authorizedAmount: nok(52_800),
      capturedAmount: nok(0),
      refundedAmount: nok(0),
      cancelledAmount: nok(0),
    },
    amount: nok(52_800),
    state: "AUTHORIZED",
    paymentMethod: { type: "WALLET" },
    profile: {},
    pspReference: "psp-1",
    reference: "test-no-payses-abc",
    shippingDetails: {
      address: {
        addressLine1: "Robert Levins gate 5",
        addressLine2: "Robert Levins gate 5",
        city: "Oslo",
        postCode: "0154",
        country: "no",
      },
      shippingCost: 29,
      shippingOptionId: "so_pickup",
      shippingOptionName: "Pickup at Kiwi Grünerløkka",
    },
    userDetails: {
      firstName: "Ola",
      lastName: "Nordmann",
      email: "ola.nordmann@example.com",
      mobileNumber: "4791234567",
    },
    ...overrides,
  } as GetPaymentResponse
}

const express = { express: { dynamic: true as const }, amount: nok(49_900) }

describe("buildExpressView", () => {
  it("shows the option chosen in the app, priced as authorized minus the goods we asked for", () => {
    // GET's amount may echo the authorized total: the price comes from the amount the plugin sent.
    expect(buildExpressView(express, approved())).toEqual({
      shipping_option: {
        id: "so_pickup",
        name: "Pickup at Kiwi Grünerløkka",
        price: { currency: "NOK", value: 2_900, decimal: "29.00" },
      },
      address: {
        line_1: "Robert Levins gate 5",
        line_2: null,
        postal_code: "0154",
        city: "Oslo",
        country: "NO",
      },
      contact: { name: "Ola Nordmann", email: "ola.nordmann@example.com", phone: "4791234567" },
    })
  })

  it("is null for a payment that is not Express", () => {
    const plain = approved({ shippingDetails: undefined })
    expect(buildExpressView({ amount: nok(49_900) }, plain)).toBeNull()
  })

  it("before approval knows nothing of the app's choice yet", () => {
    const waiting = approved({
      state: "CREATED",
      aggregate: {
        authorizedAmount: nok(0),
        capturedAmount: nok(0),
        refundedAmount: nok(0),
        cancelledAmount: nok(0),
      },
      shippingDetails: undefined,
      userDetails: undefined,
    })
    expect(buildExpressView(express, waiting)).toEqual({
      shipping_option: null,
      address: null,
      contact: null,
    })
    expect(buildExpressView(express, undefined)).toEqual({
      shipping_option: null,
      address: null,
      contact: null,
    })
  })
})
