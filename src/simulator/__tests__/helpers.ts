import http from "node:http"
import type { AddressInfo } from "node:net"
import {
  DEFAULT_SIMULATOR_MERCHANT,
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from "../index"
import type { SimulatorMerchant } from "../types"

/** Shared test helpers: a plain fetch-based API caller, payment factories, a webhook receiver, polling. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- responses are inspected loosely in tests
export type Loose = any

export type ApiResult = { status: number; headers: Headers; body: Loose; text: string }

export type CallOptions = {
  body?: unknown
  rawBody?: string
  headers?: Record<string, string | undefined>
  idempotencyKey?: string | null
  token?: string | null
}

let counter = 0
/** A fresh, valid payment reference. */
export function newReference(prefix = "simtest"): string {
  counter += 1
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`
}

export async function startTestSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ webhookRetry: { attempts: 4, baseDelayMs: 20, reorderHoldMs: 1000 }, ...options })
}

export class Api {
  private token: string | undefined

  constructor(
    readonly sim: RunningSimulator,
    readonly merchant: SimulatorMerchant = DEFAULT_SIMULATOR_MERCHANT,
  ) {}

  async accessToken(): Promise<string> {
    if (this.token) return this.token
    const res = await fetch(`${this.sim.url}/accesstoken/get`, {
      method: "POST",
      headers: {
        client_id: this.merchant.clientId,
        client_secret: this.merchant.clientSecret,
        "Ocp-Apim-Subscription-Key": this.merchant.subscriptionKey,
        "Merchant-Serial-Number": this.merchant.msn,
      },
    })
    if (res.status !== 200) throw new Error(`token request failed: ${res.status}`)
    this.token = ((await res.json()) as { access_token: string }).access_token
    return this.token
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<ApiResult> {
    const token = options.token === undefined ? await this.accessToken() : options.token
    const headers: Record<string, string> = {
      "Ocp-Apim-Subscription-Key": this.merchant.subscriptionKey,
      "Merchant-Serial-Number": this.merchant.msn,
      "Vipps-System-Name": "medusa",
      "Vipps-System-Version": "2.21.2",
      "Vipps-System-Plugin-Name": "medusa-payment-vipps-mobilepay",
      "Vipps-System-Plugin-Version": "0.1.0",
    }
    if (token !== null) headers.Authorization = `Bearer ${token}`
    if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
    if (body !== undefined) headers["Content-Type"] = "application/json"
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      const existing = Object.keys(headers).find((h) => h.toLowerCase() === name.toLowerCase())
      if (existing) delete headers[existing]
      if (value !== undefined) headers[name] = value
    }
    const res = await fetch(`${this.sim.url}${path}`, { method, headers, body, redirect: "manual" })
    const text = await res.text()
    let parsed: unknown = undefined
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = text
    }
    return { status: res.status, headers: res.headers, body: parsed, text }
  }

  createPayment(overrides: Record<string, unknown> = {}, idempotencyKey?: string): Promise<ApiResult> {
    const body = paymentBody(overrides)
    return this.call("POST", "/epayment/v1/payments", {
      body,
      idempotencyKey: idempotencyKey ?? `create-${String(body.reference)}`,
    })
  }

  getPayment(reference: string): Promise<ApiResult> {
    return this.call("GET", `/epayment/v1/payments/${reference}`)
  }

  events(reference: string): Promise<ApiResult> {
    return this.call("GET", `/epayment/v1/payments/${reference}/events`)
  }

  modify(
    operation: "capture" | "refund",
    reference: string,
    value: number,
    key: string,
    currency = "NOK",
  ): Promise<ApiResult> {
    return this.call("POST", `/epayment/v1/payments/${reference}/${operation}`, {
      body: { modificationAmount: { currency, value } },
      idempotencyKey: key,
    })
  }

  cancel(reference: string, key: string, body?: unknown): Promise<ApiResult> {
    return this.call("POST", `/epayment/v1/payments/${reference}/cancel`, { body, idempotencyKey: key })
  }

  forceApprove(reference: string, body: unknown = {}): Promise<ApiResult> {
    return this.call("POST", `/epayment/v1/test/payments/${reference}/approve`, { body })
  }

  /** Creates and approves a payment; returns its reference. */
  async authorizedPayment(value = 10_000, overrides: Record<string, unknown> = {}): Promise<string> {
    const reference = newReference()
    const created = await this.createPayment({ reference, amount: { currency: "NOK", value }, ...overrides })
    if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`)
    const approved = await this.forceApprove(reference)
    if (approved.status !== 200) throw new Error(`approve failed: ${approved.status} ${approved.text}`)
    return reference
  }
}

export function paymentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const reference = (overrides.reference as string | undefined) ?? newReference()
  return {
    amount: { currency: "NOK", value: 49_900 },
    paymentMethod: { type: "WALLET" },
    reference,
    userFlow: "WEB_REDIRECT",
    returnUrl: `https://shop.example.com/return?reference=${reference}`,
    paymentDescription: "Order from the simulator test",
    ...overrides,
  }
}

export function errorCode(body: Loose): string | undefined {
  return body?.extraDetails?.find((d: { name: string }) => d.name === "ErrorCode")?.reason
}

/** Polls until `check` returns a truthy value; fails after the deadline (no blind sleeps). */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5000,
  intervalMs = 10,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) return value as NonNullable<T>
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`)
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

export type ReceivedWebhook = {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  rawBody: Buffer
  body: Loose
  receivedAt: number
}

export type WebhookReceiver = {
  url: string
  port: number
  received: ReceivedWebhook[]
  /** Decides the status for each request (default 200). */
  respond: (request: ReceivedWebhook, index: number) => number
  close(): Promise<void>
}

export async function startReceiver(): Promise<WebhookReceiver> {
  const receiver = {
    received: [] as ReceivedWebhook[],
    respond: (() => 200) as WebhookReceiver["respond"],
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks)
      let body: unknown
      try {
        body = JSON.parse(rawBody.toString("utf8"))
      } catch {
        body = undefined
      }
      const entry: ReceivedWebhook = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        rawBody,
        body,
        receivedAt: Date.now(),
      }
      const index = receiver.received.length
      receiver.received.push(entry)
      res.writeHead(receiver.respond(entry, index)).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const port = (server.address() as AddressInfo).port
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
}
