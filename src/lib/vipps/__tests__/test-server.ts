import http from "node:http"
import { AddressInfo } from "node:net"

/** What one request to the test server looked like. */
export type Recorded = {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: string
}

export type Reply = (
  request: Recorded,
  res: http.ServerResponse,
  socket: import("node:net").Socket,
) => void | Promise<void>

/**
 * A real HTTP server on 127.0.0.1 for client tests: routes answer with scripted replies and every request
 * is recorded, so tests see exactly what went over the wire.
 */
export async function startTestServer() {
  const requests: Recorded[] = []
  const routes = new Map<string, Reply[]>()
  const fallbacks = new Map<string, Reply>()
  let tokenCounter = 0

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", async () => {
      const recorded: Recorded = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      }
      requests.push(recorded)
      const key = `${recorded.method} ${recorded.path}`
      const queue = routes.get(key)
      const reply = queue && queue.length > 0 ? queue.shift()! : fallbacks.get(key)
      if (reply) {
        await reply(recorded, res, req.socket)
      } else if (key === "POST /accesstoken/get") {
        tokenCounter++
        json(res, 200, {
          token_type: "Bearer",
          expires_in: "3600",
          ext_expires_in: "3600",
          expires_on: String(Math.floor(Date.now() / 1000) + 3600),
          not_before: String(Math.floor(Date.now() / 1000)),
          resource: "00000002-0000-0000-c000-000000000000",
          access_token: `test-access-token-${tokenCounter}-${"x".repeat(40)}`,
        })
      } else {
        json(res, 404, { type: "about:blank", title: "Not Found", status: 404, traceId: "trace-404" })
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Replies used once each, in order, before the route's fallback. */
    enqueue(route: string, ...replies: Reply[]) {
      routes.set(route, [...(routes.get(route) ?? []), ...replies])
    },
    always(route: string, reply: Reply) {
      fallbacks.set(route, reply)
    },
    count(route: string) {
      return requests.filter((r) => `${r.method} ${r.path}` === route).length
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    "Content-Type": status >= 400 ? "application/problem+json" : "application/json",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

export function problem(status: number, code?: number, extra: Record<string, unknown> = {}) {
  return {
    type: "https://developer.vippsmobilepay.com/docs/APIs/epayment-api/api-guide/errors",
    title: "Bad Request",
    detail: "Something was not right",
    status,
    instance: "/epayment/v1/payments/acme-order-123456",
    traceId: "trace-1234",
    ...(code ? { extraDetails: [{ name: "ErrorCode", reason: String(code) }] } : {}),
    ...extra,
  }
}

export const amount = (value: number, currency: "NOK" | "DKK" | "EUR" = "NOK") => ({ currency, value })

export function modification(reference: string, captured = 0, refunded = 0) {
  return {
    amount: amount(10000),
    state: "AUTHORIZED",
    aggregate: {
      authorizedAmount: amount(10000),
      cancelledAmount: amount(0),
      capturedAmount: amount(captured),
      refundedAmount: amount(refunded),
    },
    pspReference: "psp-1",
    reference,
  }
}
