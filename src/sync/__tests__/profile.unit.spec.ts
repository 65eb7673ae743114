import { addressFromItem, profileFromUserDetails, profileFromUserinfo } from "../profile"

describe("shared profile", () => {
  it("reads userDetails (1.8.1) with ePayment's address names", () => {
    expect(
      profileFromUserDetails({
        firstName: "Ada",
        lastName: "Nordmann",
        email: "ada@example.com",
        mobileNumber: "4712345678",
        addresses: [
          {
            addressLine1: "Robert Levins gate 5",
            addressLine2: null,
            city: "Oslo",
            postCode: "0154",
            country: "NO",
          },
        ],
      }),
    ).toEqual({
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Nordmann",
      phone: "4712345678",
      address: { street: "Robert Levins gate 5", postalCode: "0154", city: "Oslo", country: "NO" },
    })
  })

  it("accepts every plausible address item shape, since it is undocumented", () => {
    const expected = { street: "Storgata 1", postalCode: "0155", city: "Oslo", country: "NO" }
    for (const item of [
      { addressLine1: "Storgata 1", postCode: "0155", city: "Oslo", country: "NO" },
      { street_address: "Storgata 1", postal_code: "0155", region: "Oslo", country: "NO" },
      { streetAddress: "Storgata 1", postalCode: "0155", city: "Oslo", countryCode: "NO" },
      { AddressLine1: "Storgata 1", PostCode: "0155", City: "Oslo", Country: "NO" },
    ]) {
      expect(addressFromItem(item)).toEqual(expected)
    }
    // Line 2 kept unless the app repeated line 1; no street or country: not an address.
    expect(addressFromItem({ addressLine1: "A 1", addressLine2: "A 1", country: "NO" })).toEqual({
      street: "A 1",
      postalCode: undefined,
      city: undefined,
      country: "NO",
    })
    expect(addressFromItem({ addressLine1: "A 1", addressLine2: "H0101", country: "NO" })?.line2).toBe(
      "H0101",
    )
    expect(addressFromItem({ city: "Oslo", country: "NO" })).toBeUndefined()
    expect(
      profileFromUserDetails({ email: "x@example.com", addresses: [{ formatted: "?" }] }).address,
    ).toBeUndefined()
  })

  it("maps Userinfo claims the same way", () => {
    expect(
      profileFromUserinfo({
        sub: "s",
        given_name: "Ola",
        family_name: "Nordmann",
        email: "ola@example.com",
        phone_number: "4712345678",
        address: {
          street_address: "Robert Levins gate 5",
          postal_code: "0154",
          region: "Oslo",
          country: "NO",
        },
      }),
    ).toEqual({
      email: "ola@example.com",
      firstName: "Ola",
      lastName: "Nordmann",
      phone: "4712345678",
      address: { street: "Robert Levins gate 5", postalCode: "0154", city: "Oslo", country: "NO" },
    })
  })
})
