import { createHash, createHmac } from "node:crypto"
import { WebhookEvent } from "../../lib/vipps/schemas"
import { verifyWebhook } from "../../lib/webhook-signature"
import type { RunningSimulator } from "../index"
import {
  Api,
  eventually,
  newReference,
  startReceiver,
  startTestSimulator,
  type ReceivedWebhook,
  type WebhookReceiver,
} from "./helpers"

/** The signing algorithm of the fact sheet (section 15), written independently of lib/webhook-signature. */
function independentSignature(
  secret: string,
  pathAndQuery: string,
  date: string,
  host: string,
  body: Buffer | string,
) {
  const contentHash = createHash("sha256").update(body).digest("base64")
  const stringToSign = ["POST", pathAndQuery, `${date};${host};${contentHash}`].join("\n")
  const signature = createHmac("sha256", Buffer.from(secret, "utf8"))
    .update(stringToSign, "utf8")
    .digest("base64")
  return {
    contentHash,
    signature,
    authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
  }
}

const ALL_EVENTS = [
  "epayments.payment.created.v1",
  "epayments.payment.authorized.v1",
  "epayments.payment.aborted.v1",
  "epayments.payment.expired.v1",
  "epayments.payment.cancelled.v1",
  "epayments.payment.captured.v1",
  "epayments.payment.refunded.v1",
  "epayments.payment.terminated.v1",
]

const names = (list: ReceivedWebhook[], reference: string) =>
  list.filter((w) => w.body?.reference === reference).map((w) => w.body.name as string)

describe("simulator: webhook signing vectors", () => {
  it("reproduces the official published vector", () => {
    const body = '{"some-unique-content":"ee6e441b-cc4a-46f8-895d-a5af79bcc233/hello-world"}'
    const signed = independentSignature(
      "A0+AeKBRG2KRGvnNwJpQlb6IJFk48CKXCIcrLoHncVJKDILsQSxS6NWCccwWm6r6FhGKhiHTBsG2wo/xU6FY/A==",
      "/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63",
      "Thu, 30 Mar 2023 08:38:32 GMT",
      "webhook.site",
      body,
    )
    expect(signed.contentHash).toBe("lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=")
    expect(signed.signature).toBe("agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=")
  })

  it("reproduces the fact sheet's worked example", () => {
    const body =
      '{"msn":"123456","reference":"acme-shop-123-order123abc","pspReference":"7686f7788898767977","name":"AUTHORIZED","amount":{"currency":"NOK","value":49900},"timestamp":"2024-05-02T10:15:30.123Z","idempotencyKey":"create-acme-shop-123-order123abc","success":true}'
    expect(Buffer.byteLength(body)).toBe(260)
    const signed = independentSignature(
      "my-webhook-secret-from-registration",
      "/hooks/vipps?store=main",
      "Thu, 02 May 2024 10:15:31 GMT",
      "shop.example.com",
      body,
    )
    expect(signed.contentHash).toBe("sx4hwZ4IbgHpRNzVhw8qLjtkEpEgv/pyTKDtDIqovuI=")
    expect(signed.authorization).toBe(
      "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=cE+PIgQd7WjP10VlojmVpRMNG4TVxNtl/oTv2KwDdzI=",
    )
  })
})

describe("simulator: Webhooks API and deliveries", () => {
  let sim: RunningSimulator
  let api: Api
  let receiver: WebhookReceiver

  beforeAll(async () => {
    sim = await startTestSimulator()
    api = new Api(sim)
  })
  afterAll(() => sim.stop())

  beforeEach(async () => {
    sim.control.reset()
    receiver = await startReceiver()
  })
  afterEach(() => receiver.close())

  async function register(url: string, events = ALL_EVENTS, client = api) {
    const res = await client.call("POST", "/webhooks/v1/webhooks", { body: { url, events } })
    expect(res.status).toBe(201)
    return res.body as { id: string; secret: string }
  }

  it("registers, lists and deletes webhooks per MSN; the secret is only returned at registration", async () => {
    const created = await register(`${receiver.url}/hooks/vipps`, ["epayments.payment.captured.v1"])
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(created.secret.length).toBeGreaterThan(20)
    const list = await api.call("GET", "/webhooks/v1/webhooks")
    expect(list.body).toEqual({
      webhooks: [
        { id: created.id, url: `${receiver.url}/hooks/vipps`, events: ["epayments.payment.captured.v1"] },
      ],
    })
    expect(list.text).not.toContain(created.secret)

    const other = await startTestSimulator({
      merchants: [
        sim.merchants[0],
        { clientId: "o", clientSecret: "o-s", subscriptionKey: "o-k", msn: "777777", currencies: ["NOK"] },
      ],
    })
    try {
      const otherApi = new Api(other, other.merchants[1])
      await register(`${receiver.url}/other`, ALL_EVENTS, otherApi)
      expect((await new Api(other).call("GET", "/webhooks/v1/webhooks")).body.webhooks).toEqual([])
    } finally {
      await other.stop()
    }

    expect((await api.call("DELETE", `/webhooks/v1/webhooks/${created.id}`)).status).toBe(204)
    expect((await api.call("DELETE", `/webhooks/v1/webhooks/${created.id}`)).status).toBe(404)
    expect((await api.call("DELETE", "/webhooks/v1/webhooks/not-a-uuid")).status).toBe(400)
    expect((await api.call("GET", "/webhooks/v1/webhooks")).body.webhooks).toEqual([])
  })

  it("validates registrations", async () => {
    const bad = [
      { url: "not a url", events: ALL_EVENTS },
      { url: `${receiver.url}/x`, events: [] },
      { url: `${receiver.url}/x`, events: ["not an event"] },
      { url: "ftp://example.com/x", events: ALL_EVENTS },
      { url: `${receiver.url}/x` },
    ]
    for (const body of bad) {
      const res = await api.call("POST", "/webhooks/v1/webhooks", { body })
      expect(res.status).toBe(400)
      expect(res.headers.get("content-type")).toContain("application/problem+json")
    }
  })

  it("delivers every event signed as section 15 says, to the registered path and Host", async () => {
    const path = "/hooks/vipps?store=main"
    const { secret } = await register(`${receiver.url}${path}`)
    const reference = newReference()
    await api.createPayment({ reference, amount: { currency: "NOK", value: 10_000 } }, `create-${reference}`)
    await api.forceApprove(reference)
    await api.modify("capture", reference, 10_000, `capture-${reference}`)
    await eventually(() => receiver.received.length >= 3)

    expect(names(receiver.received, reference)).toEqual(["CREATED", "AUTHORIZED", "CAPTURED"])
    for (const hook of receiver.received) {
      expect(hook.method).toBe("POST")
      expect(hook.path).toBe(path)
      expect(hook.headers.host).toBe(`127.0.0.1:${receiver.port}`)
      expect(hook.headers["content-type"]).toContain("application/json")
      const expected = independentSignature(
        secret,
        path,
        String(hook.headers["x-ms-date"]),
        hook.headers.host as string,
        hook.rawBody,
      )
      expect(hook.headers["x-ms-content-sha256"]).toBe(expected.contentHash)
      expect(hook.headers.authorization).toBe(expected.authorization)
      expect(Math.abs(Date.parse(String(hook.headers["x-ms-date"])) - Date.now())).toBeLessThan(60_000)
      expect(
        verifyWebhook({
          secret,
          pathAndQuery: path,
          host: `127.0.0.1:${receiver.port}`,
          body: hook.rawBody,
          headers: hook.headers,
        }),
      ).toEqual({ ok: true })
      expect(WebhookEvent.safeParse(hook.body).success).toBe(true)
      expect(hook.body).toMatchObject({
        msn: "123456",
        reference,
        success: true,
        amount: { currency: "NOK", value: 10_000 },
      })
    }
    const [created, authorized, captured] = receiver.received.map((h) => h.body)
    expect(created.idempotencyKey).toBe(`create-${reference}`)
    expect(captured.idempotencyKey).toBe(`capture-${reference}`)
    // Each webhook carries the pspReference of its own event, as in the event log.
    const log = (await api.events(reference)).body as Array<{ pspReference: string }>
    expect([created, authorized, captured].map((b) => b.pspReference)).toEqual(log.map((e) => e.pspReference))

    const deliveries = sim.control.webhookDeliveries({ reference })
    expect(deliveries.map((d) => d.state)).toEqual(["delivered", "delivered", "delivered"])
    expect(deliveries[0].attempts[0].status).toBe(200)
  })

  it("sends only subscribed events, to every matching registration of the MSN", async () => {
    const second = await startReceiver()
    try {
      await register(`${receiver.url}/a`, ["epayments.payment.captured.v1"])
      await register(`${second.url}/b`, ["epayments.payment.created.v1", "epayments.payment.captured.v1"])
      const reference = await api.authorizedPayment(5_000)
      sim.control.capture(reference)
      await eventually(() => receiver.received.length >= 1 && second.received.length >= 2)
      await sim.control.waitForWebhookIdle()
      expect(names(receiver.received, reference)).toEqual(["CAPTURED"])
      expect(names(second.received, reference)).toEqual(["CREATED", "CAPTURED"])
      expect(receiver.received[0].body.idempotencyKey).toBeNull()
    } finally {
      await second.close()
    }
  })

  it("retries non-2xx with backoff, and a failing event blocks later events of that payment", async () => {
    await register(`${receiver.url}/hooks`)
    let authorizedFailures = 0
    receiver.respond = (hook) => {
      if (hook.body?.name === "AUTHORIZED" && authorizedFailures < 2) {
        authorizedFailures += 1
        return 503
      }
      return 200
    }
    const reference = newReference()
    await api.createPayment({ reference, amount: { currency: "NOK", value: 10_000 } })
    await api.forceApprove(reference)
    await api.modify("capture", reference, 10_000, `capture-${reference}`)
    await eventually(() => names(receiver.received, reference).includes("CAPTURED"))
    expect(names(receiver.received, reference)).toEqual([
      "CREATED",
      "AUTHORIZED",
      "AUTHORIZED",
      "AUTHORIZED",
      "CAPTURED",
    ])
    const authorized = sim.control.webhookDeliveries({ reference, eventName: "AUTHORIZED" })[0]
    expect(authorized.attempts.map((a) => a.status)).toEqual([503, 503, 200])
    const gaps = [1, 2].map(
      (i) => Date.parse(authorized.attempts[i].at) - Date.parse(authorized.attempts[i - 1].at),
    )
    expect(gaps[0]).toBeGreaterThanOrEqual(15) // base delay 20 ms
    expect(gaps[1]).toBeGreaterThanOrEqual(35) // doubled
  })

  it("gives up after the configured attempts, then delivers the next event", async () => {
    await register(`${receiver.url}/hooks`)
    receiver.respond = (hook) => (hook.body?.name === "CREATED" ? 500 : 200)
    const reference = newReference()
    await api.createPayment({ reference })
    sim.control.approve(reference)
    await eventually(() => names(receiver.received, reference).includes("AUTHORIZED"))
    expect(names(receiver.received, reference)).toEqual([
      "CREATED",
      "CREATED",
      "CREATED",
      "CREATED",
      "AUTHORIZED",
    ])
    const created = sim.control.webhookDeliveries({ reference, eventName: "CREATED" })[0]
    expect(created.state).toBe("failed")
    expect(created.attempts).toHaveLength(4)
  })

  it("treats connection failures as failed attempts", async () => {
    const dead = await startReceiver()
    const deadUrl = `${dead.url}/gone`
    await dead.close()
    await register(deadUrl, ["epayments.payment.created.v1"])
    const reference = newReference()
    await api.createPayment({ reference })
    const [delivery] = await sim.control.waitForWebhooks(1, { reference })
    expect(delivery.state).toBe("failed")
    expect(delivery.attempts).toHaveLength(4)
    expect(delivery.attempts.every((a) => a.status === undefined && typeof a.error === "string")).toBe(true)
  })

  it("keeps order per payment while other payments are not blocked", async () => {
    await register(`${receiver.url}/hooks`)
    const a = newReference("slow")
    const b = newReference("fast")
    let failures = 0
    receiver.respond = (hook) =>
      hook.body?.reference === a && hook.body?.name === "CREATED" && failures++ < 3 ? 500 : 200
    await api.createPayment({ reference: a })
    await api.createPayment({ reference: b })
    sim.control.approve(a)
    sim.control.approve(b)
    await eventually(
      () =>
        names(receiver.received, a).includes("AUTHORIZED") &&
        names(receiver.received, b).includes("AUTHORIZED"),
    )
    expect(names(receiver.received, a)).toEqual(["CREATED", "CREATED", "CREATED", "CREATED", "AUTHORIZED"])
    expect(names(receiver.received, b)).toEqual(["CREATED", "AUTHORIZED"])
    const order = receiver.received.map((h) => `${h.body.reference === a ? "a" : "b"}:${h.body.name}`)
    expect(order.indexOf("b:AUTHORIZED")).toBeLessThan(order.indexOf("a:AUTHORIZED"))
  })

  it("fault: drop the next delivery (the following events still arrive)", async () => {
    await register(`${receiver.url}/hooks`)
    sim.control.dropWebhooks(1, { event: "AUTHORIZED" })
    const reference = await api.authorizedPayment(5_000)
    sim.control.capture(reference)
    await eventually(() => names(receiver.received, reference).includes("CAPTURED"))
    await sim.control.waitForWebhookIdle()
    expect(names(receiver.received, reference)).toEqual(["CREATED", "CAPTURED"])
    expect(sim.control.webhookDeliveries({ reference, eventName: "AUTHORIZED" })[0]).toMatchObject({
      state: "dropped",
      attempts: [],
      faults: ["drop"],
    })
  })

  it("fault: duplicate the next delivery", async () => {
    await register(`${receiver.url}/hooks`)
    sim.control.duplicateWebhooks(1)
    const reference = newReference()
    await api.createPayment({ reference })
    await eventually(() => receiver.received.length >= 2)
    expect(receiver.received[0].rawBody.equals(receiver.received[1].rawBody)).toBe(true)
    const [original, copy] = sim.control.webhookDeliveries({ reference })
    expect(original.duplicateOf).toBeUndefined()
    expect(copy.duplicateOf).toBe(original.id)
    expect(original.faults).toEqual(["duplicate"])
  })

  it("fault: delay the next delivery", async () => {
    await register(`${receiver.url}/hooks`)
    sim.control.delayWebhooks(1, 250)
    const started = Date.now()
    const reference = newReference()
    await api.createPayment({ reference })
    await eventually(() => receiver.received.length >= 1)
    expect(receiver.received[0].receivedAt - started).toBeGreaterThanOrEqual(240)
  })

  it("fault: reorder — the next event overtakes the held one", async () => {
    await register(`${receiver.url}/hooks`)
    sim.control.reorderWebhooks(1)
    const reference = newReference()
    await api.createPayment({ reference })
    sim.control.approve(reference)
    await eventually(() => receiver.received.length >= 2)
    expect(names(receiver.received, reference)).toEqual(["AUTHORIZED", "CREATED"])
    // With no later event, a held delivery goes out after the hold time.
    sim.control.reorderWebhooks(1)
    sim.control.capture(reference)
    await eventually(() => receiver.received.length >= 3, 3000)
    expect(receiver.received[2].body.name).toBe("CAPTURED")
  })

  it("probability-based faults are reproducible with a seed", async () => {
    await register(`${receiver.url}/hooks`)
    const run = async () => {
      sim.control.setWebhookChaos({ dropRate: 0.3, duplicateRate: 0.3, seed: 42 })
      const references: string[] = []
      for (let i = 0; i < 20; i++) {
        const reference = newReference("chaos")
        references.push(reference)
        await api.createPayment({ reference })
      }
      await sim.control.waitForWebhookIdle()
      const labels = references.map((ref) =>
        sim.control.webhookDeliveries({ reference: ref })[0].faults.join("+"),
      )
      sim.control.setWebhookChaos(null)
      return labels
    }
    const first = await run()
    const second = await run()
    expect(second).toEqual(first)
    expect(first.filter((l) => l.includes("drop")).length).toBeGreaterThan(0)
    expect(first.filter((l) => l.includes("duplicate")).length).toBeGreaterThan(0)
    expect(first.filter((l) => l === "").length).toBeGreaterThan(0)
    const dropped = sim.control.webhookDeliveries({ state: "dropped" }).length
    expect(receiver.received.length).toBe(sim.control.webhookDeliveries({ state: "delivered" }).length)
    expect(dropped).toBe(first.filter((l) => l.includes("drop")).length * 2)
  })
})
