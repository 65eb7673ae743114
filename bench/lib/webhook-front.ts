import type { MedusaContainer } from "@medusajs/framework/types"
import http from "node:http"
import type { AddressInfo } from "node:net"
import { WebhookEvent } from "../../src/lib/vipps/schemas"
import { verifyWebhook } from "../../src/lib/webhook-signature"
import { findRegistration } from "../../src/providers/vipps/registration"
import { syncVippsPayment } from "../../src/sync/sync-payment"

/**
 * Bench only: the URL the simulator delivers webhooks to, in the Medusa process, so the benchmark can put
 * the plugin's route and the synchronous route it replaced side by side in one run.
 *
 * - `inbox`: passes each delivery byte for byte (host header included, so the signature still holds) to
 *   Medusa's `POST /hooks/vipps/:id`, which verifies, queues and answers.
 * - `sync`: the route as it was before the inbox: verify the signature, then answer only after
 *   `syncVippsPayment` finished (CREATED answered at once, a failed sync answered 503 so Vipps retries).
 *
 * The plugin has no synchronous mode; this reproduces the old behaviour from the plugin's exported parts.
 */
export type FrontMode = "inbox" | "sync"

export type WebhookFront = {
  port: number
  mode: FrontMode
  /**
   * Where deliveries go once Medusa has booted: its port, or several (separate processes, taken in turn;
   * no container then, and no `sync` mode).
   */
  attach(container: MedusaContainer | undefined, medusaPorts: number | number[]): void
  close(): Promise<void>
}

export async function startWebhookFront(secret: () => string | undefined): Promise<WebhookFront> {
  let container: MedusaContainer | undefined
  let medusaPorts: number[] = []
  let turn = 0
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })

  const readBody = (req: http.IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => resolve(Buffer.concat(chunks)))
      req.on("error", reject)
    })
  const answer = (res: http.ServerResponse, status: number, body: object) => {
    res.writeHead(status, { "content-type": "application/json" })
    res.end(JSON.stringify(body))
  }

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port: medusaPorts[turn++ % medusaPorts.length],
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers)
        reply.pipe(res)
      },
    )
    upstream.on("error", () => answer(res, 502, { message: "Medusa unreachable" }))
    upstream.end(body)
  }

  const synchronous = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const registration = findRegistration(container!, "vipps")
    const key = secret()
    if (!registration || !key) return answer(res, 404, { message: "no registration" })
    const verification = verifyWebhook({
      secret: key,
      body,
      headers: req.headers,
      pathAndQuery: req.url ?? "",
      host: req.headers.host ?? "",
      toleranceMs: registration.options.webhookToleranceSeconds * 1000,
    })
    if (!verification.ok) return answer(res, 401, { message: "Invalid webhook signature" })
    let parsed: ReturnType<typeof WebhookEvent.safeParse>
    try {
      parsed = WebhookEvent.safeParse(JSON.parse(body.toString("utf8")))
    } catch {
      return answer(res, 200, { received: true, outcome: "ignored" })
    }
    if (!parsed.success || parsed.data.name === "CREATED") {
      return answer(res, 200, { received: true, outcome: "ignored" })
    }
    try {
      const result = await syncVippsPayment(container!, registration, parsed.data.reference)
      answer(res, 200, { received: true, outcome: result.outcome })
    } catch {
      answer(res, 503, { type: "unexpected_state", message: "Not processed, please retry" })
    }
  }

  const front: WebhookFront = {
    port: 0,
    mode: "inbox",
    attach(c, ports) {
      container = c
      medusaPorts = Array.isArray(ports) ? ports : [ports]
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  const server = http.createServer((req, res) => {
    readBody(req).then(
      (body) => {
        if (front.mode === "inbox" && medusaPorts.length > 0) return forward(req, res, body)
        if (!container) return answer(res, 503, { message: "Medusa not booted yet" })
        return synchronous(req, res, body)
      },
      () => answer(res, 400, { message: "unreadable body" }),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, resolve))
  front.port = (server.address() as AddressInfo).port
  return front
}
