import { signWebhook, verifyWebhook, webhookHeaders } from "../webhook-signature"

// The worked example of the Vipps MobilePay webhook documentation (signing a request, HMAC-SHA256).
const EXAMPLE = {
  secret: "my-webhook-secret-from-registration",
  pathAndQuery: "/hooks/vipps?store=main",
  host: "shop.example.com",
  date: "Thu, 02 May 2024 10:15:31 GMT",
  body: '{"msn":"123456","reference":"acme-shop-123-order123abc","pspReference":"7686f7788898767977","name":"AUTHORIZED","amount":{"currency":"NOK","value":49900},"timestamp":"2024-05-02T10:15:30.123Z","idempotencyKey":"create-acme-shop-123-order123abc","success":true}',
}

describe("webhook signature", () => {
  it("reproduces the fact sheet's worked example", () => {
    expect(Buffer.byteLength(EXAMPLE.body)).toBe(260)
    const signed = signWebhook(EXAMPLE)
    expect(signed.contentHash).toBe("sx4hwZ4IbgHpRNzVhw8qLjtkEpEgv/pyTKDtDIqovuI=")
    expect(signed.stringToSign).toBe(
      "POST\n/hooks/vipps?store=main\nThu, 02 May 2024 10:15:31 GMT;shop.example.com;sx4hwZ4IbgHpRNzVhw8qLjtkEpEgv/pyTKDtDIqovuI=",
    )
    expect(signed.signature).toBe("cE+PIgQd7WjP10VlojmVpRMNG4TVxNtl/oTv2KwDdzI=")
    expect(signed.authorization).toBe(
      "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=cE+PIgQd7WjP10VlojmVpRMNG4TVxNtl/oTv2KwDdzI=",
    )
  })

  it("reproduces the official published vector", () => {
    const signed = signWebhook({
      secret: "A0+AeKBRG2KRGvnNwJpQlb6IJFk48CKXCIcrLoHncVJKDILsQSxS6NWCccwWm6r6FhGKhiHTBsG2wo/xU6FY/A==",
      pathAndQuery: "/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63",
      host: "webhook.site",
      date: "Thu, 30 Mar 2023 08:38:32 GMT",
      body: '{"some-unique-content":"ee6e441b-cc4a-46f8-895d-a5af79bcc233/hello-world"}',
    })
    expect(signed.contentHash).toBe("lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=")
    expect(signed.signature).toBe("agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=")
  })

  const now = new Date("Thu, 02 May 2024 10:16:00 GMT")
  const verify = (overrides: Partial<Parameters<typeof verifyWebhook>[0]> = {}) =>
    verifyWebhook({
      secret: EXAMPLE.secret,
      pathAndQuery: EXAMPLE.pathAndQuery,
      host: EXAMPLE.host,
      body: Buffer.from(EXAMPLE.body),
      headers: webhookHeaders(EXAMPLE),
      now,
      ...overrides,
    })

  it("accepts the genuine delivery", () => {
    expect(verify()).toEqual({ ok: true })
  })

  it("accepts the X-Vipps-Authorization fallback header", () => {
    const { authorization, ...rest } = webhookHeaders(EXAMPLE)
    expect(verify({ headers: { ...rest, "x-vipps-authorization": authorization } })).toEqual({ ok: true })
  })

  it("rejects a wrong secret, altered body, other path or host, stale date, missing headers", () => {
    expect(verify({ secret: "other" })).toEqual({ ok: false, reason: "signature_mismatch" })
    expect(verify({ body: EXAMPLE.body.replace("49900", "49901") })).toEqual({
      ok: false,
      reason: "content_hash_mismatch",
    })
    expect(verify({ pathAndQuery: "/hooks/vipps" })).toEqual({ ok: false, reason: "signature_mismatch" })
    expect(verify({ host: "evil.example.com" })).toEqual({ ok: false, reason: "signature_mismatch" })
    expect(verify({ now: new Date("Thu, 02 May 2024 10:30:00 GMT") })).toEqual({
      ok: false,
      reason: "stale_date",
    })
    const { authorization: _a, ...noAuth } = webhookHeaders(EXAMPLE)
    expect(verify({ headers: noAuth })).toEqual({ ok: false, reason: "missing_headers" })
    expect(verify({ headers: { ...webhookHeaders(EXAMPLE), "x-ms-date": "yesterday" } })).toEqual({
      ok: false,
      reason: "invalid_date",
    })
  })

  it("rejects a signature whose content hash header was rewritten to match an altered body", () => {
    const forged = signWebhook({ ...EXAMPLE, body: EXAMPLE.body.replace("49900", "1"), secret: "guess" })
    const headers = {
      ...webhookHeaders(EXAMPLE),
      "x-ms-content-sha256": forged.contentHash,
      authorization: forged.authorization,
    }
    expect(verify({ body: EXAMPLE.body.replace("49900", "1"), headers })).toEqual({
      ok: false,
      reason: "signature_mismatch",
    })
  })
})
