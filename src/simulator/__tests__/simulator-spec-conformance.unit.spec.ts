import type { RunningSimulator } from "../index"
import type { RequestLogEntry } from "../request-log"
import {
  Api,
  eventually,
  newReference,
  startReceiver,
  startTestSimulator,
  type WebhookReceiver,
} from "./helpers"
import { EPAYMENT, OpenApiValidator, WEBHOOKS } from "./openapi-validator"

const receipt = {
  orderLines: [
    {
      name: "Socks",
      id: "sku-1",
      totalAmount: 49_900,
      totalAmountExcludingTax: 39_920,
      totalTaxAmount: 9_980,
      taxPercentage: 25,
      unitInfo: { unitPrice: 24_950, quantity: "2", quantityUnit: "PCS" },
      discount: 0,
      productUrl: "https://shop.example.com/socks",
      isReturn: false,
      isShipping: false,
    },
  ],
  bottomLine: { currency: "NOK", tipAmount: 0, posId: "pos-1", receiptNumber: "r-1" },
}

/** Drives every operation and error path of the ePayment and Webhooks APIs once. */
async function exerciseEverything(sim: RunningSimulator, api: Api, receiver: WebhookReceiver): Promise<void> {
  const hook = await api.call("POST", "/webhooks/v1/webhooks", {
    body: {
      url: `${receiver.url}/hooks?store=main`,
      events: [
        "epayments.payment.created.v1",
        "epayments.payment.authorized.v1",
        "epayments.payment.captured.v1",
        "epayments.payment.refunded.v1",
        "epayments.payment.cancelled.v1",
        "epayments.payment.terminated.v1",
        "epayments.payment.aborted.v1",
        "epayments.payment.expired.v1",
      ],
    },
  })
  const temporary = await api.call("POST", "/webhooks/v1/webhooks", {
    body: { url: `${receiver.url}/temp`, events: ["epayments.payment.captured.v1"] },
  })
  await api.call("GET", "/webhooks/v1/webhooks")
  await api.call("DELETE", `/webhooks/v1/webhooks/${temporary.body.id}`)
  await api.call("DELETE", `/webhooks/v1/webhooks/${temporary.body.id}`) // 404
  await api.call("DELETE", "/webhooks/v1/webhooks/not-a-uuid") // 400
  await api.call("POST", "/webhooks/v1/webhooks", { body: { url: "nope", events: [] } }) // 400
  expect(hook.status).toBe(201)

  const full = newReference()
  await api.createPayment(
    {
      reference: full,
      amount: { currency: "NOK", value: 49_900 },
      customer: { phoneNumber: "4712345678" },
      customerInteraction: "CUSTOMER_NOT_PRESENT",
      profile: { scope: "name email phoneNumber address birthDate" },
      metadata: { orderId: "order-1", cartId: "cart-1" },
      receipt,
      receiptUrl: "https://shop.example.com/receipts/1",
      industryData: {
        airlineData: {
          agencyInvoiceNumber: "12",
          airlineCode: "074",
          airlineDesignatorCode: "KL",
          passengerName: "FLYER / MARY MS.",
          ticketNumber: "123-1234567890",
        },
      },
    },
    `create-${full}`,
  )
  await api.createPayment({ reference: full }, `create-${full}`) // replay, different body → 409
  await api.createPayment({ reference: full }, `create-${full}-2`) // reference exists → 409
  await api.getPayment(full)
  await api.forceApprove(full, { customer: { phoneNumber: "4712345678" } })
  await api.getPayment(full)
  await api.modify("capture", full, 20_000, `capture-${full}-1`)
  await api.modify("capture", full, 20_000, `capture-${full}-1`) // replay
  await api.modify("capture", full, 29_900, `capture-${full}-1`) // 409
  await api.modify("capture", full, 29_901, `capture-${full}-2`) // 6090
  await api.modify("refund", full, 5_000, `refund-${full}-1`)
  await api.modify("refund", full, 50_000, `refund-${full}-2`) // 6150
  await api.cancel(full, `cancel-${full}`, { cancelTransactionOnly: false })
  await api.events(full)

  const flows: Array<Record<string, unknown>> = [
    { userFlow: "NATIVE_REDIRECT", returnUrl: "myapp://return" },
    { userFlow: "PUSH_MESSAGE", returnUrl: undefined, customer: { phoneNumber: "4798765432" } },
    {
      userFlow: "PUSH_MESSAGE",
      returnUrl: undefined,
      customer: { personalQr: "https://qr.vipps.no/28/2/01/031/4791234567?v=1" },
    },
    { userFlow: "QR", returnUrl: undefined },
    { userFlow: "QR", returnUrl: undefined, qrFormat: { format: "IMAGE/PNG", size: 200 } },
    { userFlow: "QR", returnUrl: undefined, qrFormat: { format: "TEXT/TARGETURL", size: null } },
    { paymentMethod: { type: "CARD" }, amount: { currency: "EUR", value: 1_000 } },
    { amount: { currency: "DKK", value: 1 }, metadata: null },
    {
      userFlow: "QR",
      returnUrl: undefined,
      expiresAt: new Date(Date.now() + 3 * 24 * 3600_000).toISOString(),
      receipt,
    },
  ]
  const references: string[] = []
  for (const overrides of flows) {
    const reference = newReference()
    references.push(reference)
    const res = await api.createPayment({ reference, ...overrides })
    expect([res.status, res.text]).toEqual([201, expect.any(String)])
    await api.getPayment(reference)
  }
  const [native, push, , qr, , , card, dkk, longLiving] = references
  const token = new URL((await api.getPayment(native)).body.redirectUrl).searchParams.get("token")
  await api.forceApprove(native, { token })
  await api.cancel(native, `cancel-${native}`) // releases everything
  await api.cancel(push, `cancel-${push}`) // terminated
  await api.cancel(push, `cancel-${push}-again`) // 6050
  sim.control.reject(qr)
  await api.forceApprove(qr) // 10060
  await api.forceApprove(card, {})
  await api.modify("capture", card, 1_000, `capture-${card}`, "EUR")
  await api.cancel(card, `cancel-${card}`) // 6040
  await api.forceApprove(dkk)
  await api.cancel(dkk, `cancel-${dkk}`, { cancelTransactionOnly: true }) // 6060
  await api.modify("refund", dkk, 1, `refund-${dkk}`, "DKK") // 6150
  sim.control.expire(longLiving)
  for (const reference of references) await api.events(reference)

  const early = newReference()
  await api.createPayment({ reference: early })
  await api.modify("capture", early, 100, `capture-${early}`) // 6080
  await api.modify("refund", early, 100, `refund-${early}`) // 6020
  await api.modify("capture", early, 100.5, `capture-${early}-2`) // 4040
  await api.call("POST", `/epayment/v1/payments/${early}/capture`, {
    body: {},
    idempotencyKey: `c-${early}-3`,
  }) // 4140

  // Validation errors and header / auth errors.
  await api.createPayment({ amount: { currency: "NOK", value: 10 } })
  await api.createPayment({ reference: "bad ref" })
  await api.createPayment({ customer: { phoneNumber: "123" } })
  await api.createPayment({ returnUrl: undefined })
  await api.call("POST", "/epayment/v1/payments", { body: {} })
  await api.getPayment("unknown-reference-1")
  await api.events("unknown-reference-1")
  await api.getPayment("bad_ref")
  await api.call("GET", `/epayment/v1/payments/${full}`, { token: null })
  await api.call("GET", `/epayment/v1/payments/${full}`, { headers: { "Merchant-Serial-Number": "999999" } })
  await api.call("GET", `/epayment/v1/payments/${full}`, { headers: { "Vipps-System-Name": "x".repeat(31) } })
  await api.call("GET", "/webhooks/v1/webhooks", { token: null })

  sim.control.failNext("getPayment", { status: 429, retryAfter: 1 })
  await api.getPayment(full)
  sim.control.failNext("capture", { status: 503 })
  await api.modify("capture", card, 1, `capture-${card}-fault`)
  sim.control.failNext("createPayment", { status: 500 })
  await api.createPayment()
}

describe("simulator: conformance with the official OpenAPI specs", () => {
  let sim: RunningSimulator
  let receiver: WebhookReceiver
  const validator = new OpenApiValidator()
  let log: RequestLogEntry[]

  beforeAll(async () => {
    sim = await startTestSimulator()
    receiver = await startReceiver()
    await exerciseEverything(sim, new Api(sim), receiver)
    await sim.control.waitForWebhookIdle()
    log = sim.control.requests({ redact: false })
  })
  afterAll(async () => {
    await sim.stop()
    await receiver.close()
  })

  it("the validator itself rejects what the spec forbids", () => {
    const get = validator.schemaRef(EPAYMENT, "GetPaymentResponse")
    expect(validator.check(get, { state: "CAPTURED" }).length).toBeGreaterThan(0)
    const create = validator.schemaRef(EPAYMENT, "CreatePaymentRequest")
    expect(
      validator.check(create, {
        amount: { currency: "NOK", value: 1.5 },
        paymentMethod: { type: "WALLET" },
        reference: "abcdefgh",
        userFlow: "QR",
      }),
    ).not.toEqual([])
    expect(
      validator.check(create, {
        amount: { currency: "NOK", value: 100 },
        paymentMethod: { type: "WALLET" },
        reference: "a".repeat(64),
        userFlow: "QR",
      }),
    ).toEqual([])
    expect(
      validator.check(create, {
        amount: { currency: "NOK", value: 100 },
        paymentMethod: { type: "WALLET" },
        reference: "abcdefgh",
        userFlow: "QR",
        receipt: { orderLines: [] },
      }),
    ).not.toEqual([])
    const event = validator.schemaRef(EPAYMENT, "PaymentEvent")
    expect(
      validator.check(event, {
        reference: "abcdefgh",
        pspReference: "1",
        name: "CREATED",
        amount: { currency: "NOK", value: 1 },
        timestamp: "2024-01-01T00:00:00Z",
        success: true,
        idempotencyKey: null,
      }),
    ).toEqual([])
    expect(validator.check(validator.schemaRef(WEBHOOKS, "ProblemDetails"), { surprise: 1 })).not.toEqual([])
  })

  /** Checks one logged exchange against its spec operation; returns the violations. */
  function checkEntry(entry: RequestLogEntry, seen?: Set<string>): string[] | null {
    const url = new URL(entry.path, "http://x")
    const found = validator.find(entry.method, url.pathname)
    if (!found) return null // access token, landing page, QR, userinfo: not part of these specs
    const { op, params } = found
    const failures: string[] = []
    const where = `${entry.method} ${entry.path} → ${entry.status}`
    if (entry.cut || entry.status === null) return [`${where}: connection cut`]
    const status = entry.status
    seen?.add(`${op.operationId} ${status}`)

    if (status >= 200 && status < 300) {
      // Request: body, header and path parameters as the spec declares them.
      const requestBody = op.operation.requestBody as
        { content?: Record<string, { schema: unknown }> } | undefined
      const bodySchema = requestBody?.content?.["application/json"]?.schema
      if (bodySchema && entry.body !== undefined) {
        failures.push(...validator.check(bodySchema, entry.body).map((e) => `${where} request body ${e}`))
      }
      let pathIndex = 0
      for (const param of op.parameters) {
        const name = String(param.name)
        if (param.in === "path") {
          failures.push(
            ...validator.check(param.schema, params[pathIndex++]).map((e) => `${where} path ${name} ${e}`),
          )
        } else if (param.in === "header") {
          const value = entry.headers[name.toLowerCase()]
          if (value === undefined) {
            if (param.required) failures.push(`${where} missing header ${name}`)
          } else {
            failures.push(...validator.check(param.schema, value).map((e) => `${where} header ${name} ${e}`))
          }
        }
      }
    }

    // Response: the declared schema, or the Problem schema for undeclared error statuses.
    const responses = op.operation.responses as Record<string, Record<string, unknown>>
    const declared = responses[String(status)] ? validator.deref(responses[String(status)]) : undefined
    const content = declared?.content as Record<string, { schema: unknown }> | undefined
    const contentType = entry.responseHeaders["content-type"] ?? ""
    if (status >= 400 && !contentType.includes("application/problem+json")) {
      failures.push(`${where}: content-type ${contentType}`)
    }
    if (declared && content) {
      const schema = Object.values(content)[0].schema
      failures.push(...validator.check(schema, entry.responseBody).map((e) => `${where} response ${e}`))
    } else if (declared) {
      if (entry.responseBody !== undefined) failures.push(`${where} should have no body`)
    } else if (status >= 400) {
      const problem = validator.schemaRef(op.spec, op.spec === EPAYMENT ? "Problem" : "ProblemDetails")
      failures.push(...validator.check(problem, entry.responseBody).map((e) => `${where} problem ${e}`))
    } else {
      failures.push(`${where}: status not declared by the spec`)
    }
    return failures
  }

  it("every accepted request and every response matches the spec", () => {
    const seen = new Set<string>()
    const results = log.map((entry) => checkEntry(entry, seen)).filter((r): r is string[] => r !== null)
    expect(results.flat()).toEqual([])
    expect(results.length).toBeGreaterThanOrEqual(75)

    // Every operation succeeded at least once, and the error paths were exercised.
    for (const id of [
      "createPayment 201",
      "getPayment 200",
      "getPaymentEventLog 200",
      "cancelPayment 200",
      "capturePayment 200",
      "refundPayment 200",
      "forceApprove 200",
      "post /v1/webhooks 201",
      "get /v1/webhooks 200",
      "delete /v1/webhooks/{id} 204",
    ]) {
      expect(seen).toContain(id)
    }
    for (const status of [400, 401, 403, 404, 409, 429, 500, 503]) {
      expect([...seen].some((s) => s.endsWith(` ${status}`))).toBe(true)
    }
  })

  it("the same checks catch a wrong response or request", () => {
    const get = log.find((e) => e.operation === "getPayment" && e.status === 200) as RequestLogEntry
    expect(checkEntry(get)).toEqual([])
    const badState = { ...get, responseBody: { ...(get.responseBody as object), state: "CAPTURED" } }
    expect(checkEntry(badState)?.join()).toMatch(/state/)
    const create = log.find((e) => e.operation === "createPayment" && e.status === 201) as RequestLogEntry
    const badBody = { ...create, body: { ...(create.body as object), userFlow: "TELEPATHY" } }
    expect(checkEntry(badBody)?.join()).toMatch(/userFlow/)
    const noMsn = { ...create, headers: { ...create.headers, "merchant-serial-number": "12" } }
    expect(checkEntry(noMsn)?.join()).toMatch(/Merchant-Serial-Number/)
    const problem = log.find((e) => e.operation === "getPayment" && e.status === 404) as RequestLogEntry
    expect(checkEntry({ ...problem, responseBody: { detail: "no title" } })?.length).toBeGreaterThan(0)
  })

  it("every webhook delivery body matches WebhookEvent", async () => {
    await eventually(() => receiver.received.length > 10)
    const schema = validator.schemaRef(EPAYMENT, "WebhookEvent")
    const failures = receiver.received.flatMap((hook) =>
      validator.check(schema, hook.body).map((e) => `${hook.body?.name} ${e}`),
    )
    expect(failures).toEqual([])
    const names = new Set(receiver.received.map((hook) => hook.body.name))
    for (const name of [
      "CREATED",
      "AUTHORIZED",
      "CAPTURED",
      "REFUNDED",
      "CANCELLED",
      "TERMINATED",
      "ABORTED",
      "EXPIRED",
    ]) {
      expect(names).toContain(name)
    }
  })
})
