import { DEFAULT_SIMULATOR_MERCHANT, type RunningSimulator } from "../index"
import { Api, newReference, startTestSimulator } from "./helpers"

const M = DEFAULT_SIMULATOR_MERCHANT

function tokenRequest(sim: RunningSimulator, headers: Record<string, string>, path = "/accesstoken/get") {
  return fetch(`${sim.url}${path}`, { method: "POST", headers })
}

const goodHeaders = {
  client_id: M.clientId,
  client_secret: M.clientSecret,
  "Ocp-Apim-Subscription-Key": M.subscriptionKey,
  "Merchant-Serial-Number": M.msn,
}

describe("simulator: access tokens and authentication", () => {
  let sim: RunningSimulator
  let api: Api

  beforeAll(async () => {
    sim = await startTestSimulator({ tokenLifetimeSeconds: 120 })
    api = new Api(sim)
  })
  afterAll(() => sim.stop())
  afterEach(() => sim.control.resetTime())

  it("issues the spec's token response on both spellings of the path", async () => {
    for (const path of ["/accesstoken/get", "/accessToken/get"]) {
      const res = await tokenRequest(sim, goodHeaders, path)
      expect(res.status).toBe(200)
      const body = (await res.json()) as Record<string, unknown>
      expect(body.token_type).toBe("Bearer")
      expect(body.expires_in).toBe("120")
      expect(typeof body.expires_on).toBe("string")
      expect(Number(body.expires_on) - Number(body.not_before)).toBe(120)
      expect(String(body.access_token).split(".")).toHaveLength(3)
      expect(String(body.access_token).length).toBeGreaterThan(500)
    }
  })

  it("accepts a token request without Merchant-Serial-Number (recommended, not required)", async () => {
    const { "Merchant-Serial-Number": _msn, ...headers } = goodHeaders
    expect((await tokenRequest(sim, headers)).status).toBe(200)
  })

  it.each([
    ["wrong client secret", { client_secret: "nope" }, 401],
    ["unknown client id", { client_id: "nope" }, 401],
    ["wrong subscription key", { "Ocp-Apim-Subscription-Key": "nope" }, 401],
    ["foreign MSN", { "Merchant-Serial-Number": "999999" }, 401],
  ])("refuses a token request with %s", async (_name, override, status) => {
    const res = await tokenRequest(sim, { ...goodHeaders, ...override })
    expect(res.status).toBe(status)
    expect(res.headers.get("content-type")).toContain("application/problem+json")
  })

  it("answers 400 when a credential header is missing", async () => {
    const { client_secret: _secret, ...headers } = goodHeaders
    expect((await tokenRequest(sim, headers)).status).toBe(400)
  })

  it("401 without a token, with a non-Bearer or unknown token", async () => {
    const reference = newReference()
    expect((await api.getPayment(reference)).status).toBe(404) // token ok, payment unknown
    expect((await api.call("GET", `/epayment/v1/payments/${reference}`, { token: null })).status).toBe(401)
    const token = await api.accessToken()
    const basic = await api.call("GET", `/epayment/v1/payments/${reference}`, {
      token: null,
      headers: { Authorization: token },
    })
    expect(basic.status).toBe(401)
    expect(
      (await api.call("GET", `/epayment/v1/payments/${reference}`, { token: "forged.token.value" })).status,
    ).toBe(401)
    expect((await api.call("GET", "/webhooks/v1/webhooks", { token: null })).status).toBe(401)
  })

  it("tokens expire on the simulator clock", async () => {
    const fresh = new Api(sim)
    const reference = newReference()
    expect((await fresh.createPayment({ reference })).status).toBe(201)
    sim.control.advanceTime(119_000)
    expect((await fresh.getPayment(reference)).status).toBe(200)
    sim.control.advanceTime(2_000)
    const expired = await fresh.getPayment(reference)
    expect(expired.status).toBe(401)
    expect(expired.body.detail).toMatch(/expired/)
  })

  it("binds a token to its merchant: other MSN → 403, other subscription key → 401", async () => {
    const reference = newReference()
    await api.createPayment({ reference })
    const otherMsn = await api.call("GET", `/epayment/v1/payments/${reference}`, {
      headers: { "Merchant-Serial-Number": "654321" },
    })
    expect(otherMsn.status).toBe(403)
    const otherKey = await api.call("GET", `/epayment/v1/payments/${reference}`, {
      headers: { "Ocp-Apim-Subscription-Key": "another-key" },
    })
    expect(otherKey.status).toBe(401)
  })

  it("400 for missing standard headers and over-long header values", async () => {
    const reference = newReference()
    await api.createPayment({ reference })
    const path = `/epayment/v1/payments/${reference}`
    const noKey = await api.call("GET", path, { headers: { "Ocp-Apim-Subscription-Key": undefined } })
    expect(noKey.status).toBe(400)
    expect(noKey.body.extraDetails).toEqual([expect.objectContaining({ name: "Ocp-Apim-Subscription-Key" })])
    expect((await api.call("GET", path, { headers: { "Merchant-Serial-Number": undefined } })).status).toBe(
      400,
    )
    for (const header of [
      "Vipps-System-Name",
      "Vipps-System-Version",
      "Vipps-System-Plugin-Name",
      "Vipps-System-Plugin-Version",
    ]) {
      const res = await api.call("GET", path, { headers: { [header]: "x".repeat(31) } })
      expect(res.status).toBe(400)
    }
    expect((await api.call("GET", path, { headers: { "Vipps-System-Name": "x".repeat(30) } })).status).toBe(
      200,
    )

    const body = { modificationAmount: { currency: "NOK", value: 100 } }
    const capture = `${path}/capture`
    expect((await api.call("POST", capture, { body })).status).toBe(400) // no Idempotency-Key
    expect((await api.call("POST", capture, { body, idempotencyKey: "k".repeat(51) })).status).toBe(400)
    const created = await api.call("POST", "/epayment/v1/payments", { body: { reference: newReference() } })
    expect(created.status).toBe(400)
    expect(created.body.extraDetails[0].name).toBe("Idempotency-Key")
  })

  it("the request log redacts secrets unless asked for the raw entries", async () => {
    sim.control.clearRequests()
    await new Api(sim).getPayment(newReference())
    const [tokenCall] = sim.control.requests({ operation: "accessToken" })
    expect(tokenCall.headers.client_secret).toBe("[redacted]")
    expect(tokenCall.headers["ocp-apim-subscription-key"]).toBe("[redacted]")
    expect(tokenCall.headers.client_id).toBe(M.clientId)
    expect((tokenCall.responseBody as { access_token: string }).access_token).toBe("[redacted]")
    const [get] = sim.control.requests({ operation: "getPayment" })
    expect(get.headers.authorization).toBe("Bearer [redacted]")
    expect(get.status).toBe(404)
    const [raw] = sim.control.requests({ operation: "accessToken", redact: false })
    expect(raw.headers.client_secret).toBe(M.clientSecret)
    expect(JSON.stringify(sim.control.requests())).not.toContain(M.clientSecret)
  })
})
