import { inspect } from "node:util"
import { VippsClient } from "../client"
import {
  VippsApiError,
  VippsNetworkError,
  VippsRequestValidationError,
  VippsResponseValidationError,
} from "../errors"
import { TokenCache } from "../token-cache"
import { amount, json, modification, problem, startTestServer } from "./test-server"

const SECRET = "very-secret-client-secret-value"
const SUBSCRIPTION_KEY = "subscription-key-0123456789abcdef"
const REFERENCE = "acme-order-123456"
const CAPTURE = `POST /epayment/v1/payments/${REFERENCE}/capture`
const GET = `GET /epayment/v1/payments/${REFERENCE}`

type Server = Awaited<ReturnType<typeof startTestServer>>

describe("VippsClient against a real HTTP server", () => {
  let server: Server
  let logs: string[]

  const client = (overrides: Partial<ConstructorParameters<typeof VippsClient>[0]> = {}) =>
    new VippsClient(
      {
        clientId: "client-id-1",
        clientSecret: SECRET,
        subscriptionKey: SUBSCRIPTION_KEY,
        merchantSerialNumber: "123456",
        baseUrl: server.url,
        systemInfo: {
          systemName: "medusa",
          systemVersion: "2.21.2",
          pluginName: "medusa-payment-vipps-mobilepay",
          pluginVersion: "0.1.0",
        },
        timeoutMs: 2_000,
        retry: { maxAttempts: 4, initialDelayMs: 5, maxDelayMs: 20, maxElapsedMs: 10_000 },
        logger: { warn: (m) => logs.push(m), error: (m) => logs.push(m), info: (m) => logs.push(m) },
        ...overrides,
      },
      { tokenCache: new TokenCache() },
    )

  beforeEach(async () => {
    server = await startTestServer()
    logs = []
  })
  afterEach(() => server.close())

  it("sends the credential headers to the token endpoint and the standard headers everywhere else", async () => {
    server.always(CAPTURE, (_r, res) => json(res, 200, modification(REFERENCE, 5000)))
    await client().epayment.capturePayment(REFERENCE, amount(5000), "capture-capt_01")

    const token = server.requests.find((r) => r.path === "/accesstoken/get")!
    expect(token.headers["client_id"]).toBe("client-id-1")
    expect(token.headers["client_secret"]).toBe(SECRET)
    expect(token.headers["ocp-apim-subscription-key"]).toBe(SUBSCRIPTION_KEY)
    expect(token.headers["merchant-serial-number"]).toBe("123456")
    expect(token.headers["authorization"]).toBeUndefined()

    const capture = server.requests.find((r) => r.path.endsWith("/capture"))!
    expect(capture.headers["authorization"]).toMatch(/^Bearer test-access-token-1-/)
    expect(capture.headers["ocp-apim-subscription-key"]).toBe(SUBSCRIPTION_KEY)
    expect(capture.headers["merchant-serial-number"]).toBe("123456")
    expect(capture.headers["idempotency-key"]).toBe("capture-capt_01")
    expect(capture.headers["content-type"]).toBe("application/json")
    expect(capture.headers["client_secret"]).toBeUndefined()
    expect(JSON.parse(capture.body)).toEqual({ modificationAmount: { currency: "NOK", value: 5000 } })
    for (const r of [token, capture]) {
      expect(r.headers["vipps-system-name"]).toBe("medusa")
      expect(r.headers["vipps-system-version"]).toBe("2.21.2")
      expect(r.headers["vipps-system-plugin-name"]).toBe("medusa-payment-vipps-mobilepay")
      expect(r.headers["vipps-system-plugin-version"]).toBe("0.1.0")
    }
  })

  it("cuts Vipps-System headers to 30 characters", async () => {
    server.always(GET, (_r, res) => json(res, 404, problem(404)))
    const long = client({
      systemInfo: {
        systemName: "m".repeat(40),
        systemVersion: "1",
        pluginName: "p".repeat(31),
        pluginVersion: "2",
      },
    })
    await expect(long.epayment.getPayment(REFERENCE)).rejects.toBeInstanceOf(VippsApiError)
    const sent = server.requests.find((r) => r.path === `/epayment/v1/payments/${REFERENCE}`)!
    expect(sent.headers["vipps-system-name"]).toBe("m".repeat(30))
    expect(sent.headers["vipps-system-plugin-name"]).toBe("p".repeat(30))
  })

  it("shares one in-flight token request among 100 concurrent calls on a cold cache", async () => {
    server.always(GET, (_r, res) => json(res, 404, problem(404)))
    const c = client()
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => c.epayment.getPayment(REFERENCE)),
    )
    expect(results.every((r) => r.status === "rejected")).toBe(true)
    expect(server.count("POST /accesstoken/get")).toBe(1)
    expect(server.count(GET)).toBe(100)
    // and keeps using it
    await c.epayment.getPayment(REFERENCE).catch(() => undefined)
    expect(server.count("POST /accesstoken/get")).toBe(1)
  })

  it("refreshes the token once on a 401 and repeats the call once", async () => {
    server.enqueue(GET, (_r, res) => json(res, 401, problem(401)))
    server.always(GET, (_r, res) => json(res, 404, problem(404)))
    await expect(client().epayment.getPayment(REFERENCE)).rejects.toMatchObject({ status: 404 })
    expect(server.count("POST /accesstoken/get")).toBe(2)
    const auths = server.requests
      .filter((r) => r.path.endsWith(REFERENCE))
      .map((r) => r.headers.authorization)
    expect(auths).toHaveLength(2)
    expect(auths[0]).not.toEqual(auths[1])
  })

  it("gives up after one refresh when the API keeps answering 401", async () => {
    server.always(GET, (_r, res) => json(res, 401, problem(401)))
    await expect(client().epayment.getPayment(REFERENCE)).rejects.toMatchObject({ status: 401 })
    expect(server.count(GET)).toBe(2)
    expect(server.count("POST /accesstoken/get")).toBe(2)
  })

  it("retries a 500 with the same Idempotency-Key and identical body", async () => {
    server.enqueue(CAPTURE, (_r, res) => json(res, 500, problem(500)))
    server.always(CAPTURE, (_r, res) => json(res, 200, modification(REFERENCE, 2500)))
    const response = await client().epayment.capturePayment(REFERENCE, amount(2500), "capture-capt_02")
    expect(response.aggregate.capturedAmount.value).toBe(2500)
    const attempts = server.requests.filter((r) => r.path.endsWith("/capture"))
    expect(attempts).toHaveLength(2)
    expect(attempts.map((r) => r.headers["idempotency-key"])).toEqual(["capture-capt_02", "capture-capt_02"])
    expect(attempts[0].body).toBe(attempts[1].body)
  })

  it("retries after the connection was dropped, with the same Idempotency-Key", async () => {
    server.enqueue(CAPTURE, (_r, _res, socket) => {
      socket.destroy()
    })
    server.always(CAPTURE, (_r, res) => json(res, 200, modification(REFERENCE, 2500)))
    await client().epayment.capturePayment(REFERENCE, amount(2500), "capture-capt_03")
    const keys = server.requests
      .filter((r) => r.path.endsWith("/capture"))
      .map((r) => r.headers["idempotency-key"])
    expect(keys).toEqual(["capture-capt_03", "capture-capt_03"])
  })

  it("retries a request that timed out", async () => {
    server.enqueue(CAPTURE, () => {
      // never answers
    })
    server.always(CAPTURE, (_r, res) => json(res, 200, modification(REFERENCE, 100)))
    const fast = client({ timeoutMs: 200 })
    await fast.epayment.capturePayment(REFERENCE, amount(100), "capture-capt_04")
    expect(server.count(CAPTURE)).toBe(2)
  })

  it("honours Retry-After on 429", async () => {
    server.enqueue(CAPTURE, (_r, res) => json(res, 429, problem(429), { "Retry-After": "1" }))
    server.always(CAPTURE, (_r, res) => json(res, 200, modification(REFERENCE, 100)))
    const started = Date.now()
    await client().epayment.capturePayment(REFERENCE, amount(100), "capture-capt_05")
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    expect(server.count(CAPTURE)).toBe(2)
  })

  it("gives up when Retry-After is beyond the retry budget", async () => {
    server.always(CAPTURE, (_r, res) => json(res, 429, problem(429), { "Retry-After": "60" }))
    await expect(
      client().epayment.capturePayment(REFERENCE, amount(100), "capture-capt_06"),
    ).rejects.toMatchObject({ status: 429, retryAfterSeconds: 60 })
    expect(server.count(CAPTURE)).toBe(1)
  })

  it("stops after the configured number of attempts", async () => {
    server.always(CAPTURE, (_r, res) => json(res, 503, problem(503)))
    await expect(client().epayment.capturePayment(REFERENCE, amount(100), "k-1")).rejects.toMatchObject({
      status: 503,
    })
    expect(server.count(CAPTURE)).toBe(4)
  })

  it.each([400, 403, 404, 409])("never retries HTTP %i", async (status) => {
    server.always(CAPTURE, (_r, res) => json(res, status, problem(status, 6090)))
    await expect(client().epayment.capturePayment(REFERENCE, amount(100), "k-2")).rejects.toBeInstanceOf(
      VippsApiError,
    )
    expect(server.count(CAPTURE)).toBe(1)
  })

  it("retries the documented transient domain codes (6280 capture failed, try later)", async () => {
    server.enqueue(CAPTURE, (_r, res) => json(res, 400, problem(400, 6280)))
    server.always(CAPTURE, (_r, res) => json(res, 200, modification(REFERENCE, 100)))
    await client().epayment.capturePayment(REFERENCE, amount(100), "k-3")
    expect(server.count(CAPTURE)).toBe(2)
  })

  it("turns a Problem response into a typed VippsApiError", async () => {
    server.always(CAPTURE, (_r, res) =>
      json(res, 400, problem(400, 6090, { title: "Capture amount too high", detail: "Too much" })),
    )
    const error = await client()
      .epayment.capturePayment(REFERENCE, amount(100), "k-4")
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VippsApiError)
    const api = error as VippsApiError
    expect(api.status).toBe(400)
    expect(api.code).toBe(6090)
    expect(api.title).toBe("Capture amount too high")
    expect(api.detail).toBe("Too much")
    expect(api.traceId).toBe("trace-1234")
    expect(api.instance).toBe("/epayment/v1/payments/acme-order-123456")
    expect(api.extraDetails).toEqual([{ name: "ErrorCode", reason: "6090" }])
    expect(api.operation).toBe("epayment.capturePayment")
    expect(api.is(400, 6090)).toBe(true)
    expect(api.message).toContain("6090")
  })

  it("handles an error answer that is not JSON", async () => {
    server.always(GET, (_r, res) => {
      res.writeHead(502, { "Content-Type": "text/html" })
      res.end("<html>bad gateway</html>")
    })
    await expect(client({ retry: { maxAttempts: 1 } }).epayment.getPayment(REFERENCE)).rejects.toMatchObject({
      status: 502,
      code: undefined,
    })
  })

  it("rejects a 2xx body that does not match the spec with a typed error", async () => {
    server.always(GET, (_r, res) => json(res, 200, { reference: REFERENCE, state: "SOMETHING" }))
    const error = await client()
      .epayment.getPayment(REFERENCE)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(VippsResponseValidationError)
    expect((error as VippsResponseValidationError).issues.join(" ")).toMatch(/state|aggregate/)
  })

  it("refuses an invalid request before sending anything", async () => {
    const c = client()
    await expect(
      c.epayment.createPayment(
        {
          amount: amount(1000),
          paymentMethod: { type: "WALLET" },
          reference: "bad reference!",
          userFlow: "WEB_REDIRECT",
          returnUrl: "https://shop.example/return",
        },
        "create-1",
      ),
    ).rejects.toBeInstanceOf(VippsRequestValidationError)
    await expect(c.epayment.capturePayment(REFERENCE, amount(10.5), "k-5")).rejects.toBeInstanceOf(
      VippsRequestValidationError,
    )
    await expect(c.epayment.capturePayment(REFERENCE, amount(100), "k".repeat(51))).rejects.toBeInstanceOf(
      VippsRequestValidationError,
    )
    expect(server.requests).toHaveLength(0)
  })

  it("sends cancelTransactionOnly in the cancel body", async () => {
    const route = `POST /epayment/v1/payments/${REFERENCE}/cancel`
    server.always(route, (_r, res) => json(res, 200, { ...modification(REFERENCE), state: "TERMINATED" }))
    await client().epayment.cancelPayment(REFERENCE, "cancel-1", { cancelTransactionOnly: true })
    await client().epayment.cancelPayment(REFERENCE, "cancel-2")
    const bodies = server.requests.filter((r) => r.path.endsWith("/cancel")).map((r) => JSON.parse(r.body))
    expect(bodies).toEqual([{ cancelTransactionOnly: true }, { cancelTransactionOnly: false }])
  })

  it("calls Userinfo without the subscription key", async () => {
    server.always("GET /vipps-userinfo-api/userinfo/sub-123", (_r, res) =>
      json(res, 200, { sub: "sub-123", email: "a@b.c" }),
    )
    const info = await client().userinfo.getUserinfo("sub-123")
    expect(info.email).toBe("a@b.c")
    const sent = server.requests.find((r) => r.path.startsWith("/vipps-userinfo-api"))!
    expect(sent.headers["ocp-apim-subscription-key"]).toBeUndefined()
    expect(sent.headers["authorization"]).toMatch(/^Bearer /)
  })

  it("registers, lists and deletes webhooks", async () => {
    server.always("POST /webhooks/v1/webhooks", (_r, res) => json(res, 201, { id: "wh-1", secret: "s3cret" }))
    server.always("GET /webhooks/v1/webhooks", (_r, res) =>
      json(res, 200, { webhooks: [{ id: "wh-1", url: "https://shop/hooks", events: ["a"] }] }),
    )
    server.always("DELETE /webhooks/v1/webhooks/wh-1", (_r, res) => {
      res.writeHead(204)
      res.end()
    })
    const c = client()
    await expect(
      c.webhooks.register({ url: "https://shop/hooks", events: ["epayments.payment.authorized.v1"] }),
    ).resolves.toEqual({ id: "wh-1", secret: "s3cret" })
    await expect(c.webhooks.list()).resolves.toHaveLength(1)
    await expect(c.webhooks.delete("wh-1")).resolves.toBeUndefined()
  })

  describe("keeps secrets out of errors and logs", () => {
    const secrets = () => [SECRET, SUBSCRIPTION_KEY, "test-access-token"]
    const expectClean = (value: unknown) => {
      const texts = [String(value), inspect(value, { depth: 10 }), JSON.stringify(value), logs.join("\n")]
      for (const text of texts) {
        for (const secret of secrets()) expect(text).not.toContain(secret)
      }
    }

    it("in API errors after retries", async () => {
      server.always(CAPTURE, (_r, res) => json(res, 500, problem(500)))
      const error = await client()
        .epayment.capturePayment(REFERENCE, amount(100), "k-6")
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(VippsApiError)
      expect(logs.length).toBeGreaterThan(0)
      expectClean(error)
    })

    it("in network errors", async () => {
      server.always(CAPTURE, (_r, _res, socket) => {
        socket.destroy()
      })
      const error = await client()
        .epayment.capturePayment(REFERENCE, amount(100), "k-7")
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(VippsNetworkError)
      expectClean(error)
    })

    it("in a refused token request", async () => {
      server.always("POST /accesstoken/get", (_r, res) => json(res, 401, problem(401)))
      const error = await client()
        .epayment.getPayment(REFERENCE)
        .catch((e: unknown) => e)
      expect(error).toMatchObject({ status: 401, operation: "accesstoken.get" })
      expectClean(error)
    })

    it("in the client's visible configuration", () => {
      const c = client()
      expect(JSON.stringify(c.config)).not.toContain(SECRET)
      expect(JSON.stringify(c.config)).not.toContain(SUBSCRIPTION_KEY)
    })
  })
})
