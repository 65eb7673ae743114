import {
  GetPaymentResponse,
  ModificationResponse,
  AccessTokenResponse,
  CreatePaymentRequest,
  CreatePaymentResponse,
  Amount,
} from "../src/lib/vipps/schemas"
const get = {
  aggregate: {
    authorizedAmount: { currency: "NOK", value: 1000 },
    cancelledAmount: { currency: "NOK", value: 0 },
    capturedAmount: { currency: "NOK", value: 0 },
    refundedAmount: { currency: "NOK", value: 0 },
  },
  amount: { currency: "NOK", value: 1000 },
  state: "AUTHORIZED",
  paymentMethod: { type: "WALLET" },
  profile: {},
  pspReference: "abc123",
  reference: "bench-ours-xxx-123",
  redirectUrl: "http://127.0.0.1:1234/landing?token=abc",
}
const tok = {
  token_type: "Bearer",
  expires_in: "3600",
  ext_expires_in: "3600",
  expires_on: "1",
  not_before: "1",
  resource: "x",
  access_token: "x".repeat(1200),
}
const create = {
  amount: { currency: "NOK", value: 1000 },
  paymentMethod: { type: "WALLET" },
  reference: "bench-ours-xxx-123",
  userFlow: "WEB_REDIRECT",
  returnUrl: "https://shop.example/return?reference=bench",
  paymentDescription: "Benchmark payment",
}
function bench(name: string, fn: () => unknown) {
  for (let i = 0; i < 20000; i++) fn()
  const n = 200000
  const t = process.hrtime.bigint()
  for (let i = 0; i < n; i++) fn()
  const us = Number(process.hrtime.bigint() - t) / 1000 / n
  console.log(name.padEnd(40), us.toFixed(2), "µs")
}
const getJson = JSON.stringify(get),
  tokJson = JSON.stringify(tok)
bench("JSON.parse get", () => JSON.parse(getJson))
bench("zod GetPaymentResponse", () => GetPaymentResponse.safeParse(get))
bench("zod ModificationResponse", () => ModificationResponse.safeParse(get))
bench("zod AccessTokenResponse", () => AccessTokenResponse.safeParse(tok))
bench("zod CreatePaymentRequest", () => CreatePaymentRequest.safeParse(create))
bench("zod CreatePaymentResponse", () =>
  CreatePaymentResponse.safeParse({ reference: "x", redirectUrl: "y" }),
)
bench("zod Amount", () => Amount.safeParse({ currency: "NOK", value: 1 }))
bench("JSON.stringify create", () => JSON.stringify(create))
