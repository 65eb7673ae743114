import http, { type IncomingMessage, type ServerResponse } from "node:http"
import type { SimulatorControl } from "./control"
import { CONTROL_PREFIX, handleControlRequest } from "./control-routes"
import { landingAction, landingPage, qrImage } from "./customer-handlers"
import * as epayment from "./epayment-handlers"
import { problemResponse, type SimRequest, type SimResponse } from "./http-types"
import { ApiError, ERROR_TITLES, problemBody } from "./problems"
import * as services from "./service-handlers"
import type { SimulatorState } from "./state"
import type { OperationName } from "./types"

/** The node:http server: body reading, routing, fault injection, request logging. No framework. */

const MAX_BODY_BYTES = 1024 * 1024

type Handler = (
  state: SimulatorState,
  request: SimRequest,
  params: string[],
) => SimResponse | Promise<SimResponse>
type Route = { method: string; pattern: RegExp; operation: OperationName; handler: Handler }

const REF = "([^/]+)"
const ROUTES: Route[] = [
  {
    method: "POST",
    pattern: /^\/accesstoken\/get\/?$/i,
    operation: "accessToken",
    handler: services.accessToken,
  },
  {
    method: "POST",
    pattern: /^\/epayment\/v1\/payments\/?$/,
    operation: "createPayment",
    handler: epayment.createPayment,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/epayment/v1/payments/${REF}/events$`),
    operation: "getPaymentEvents",
    handler: (s, r, [ref]) => epayment.getPaymentEvents(s, r, ref),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/epayment/v1/payments/${REF}$`),
    operation: "getPayment",
    handler: (s, r, [ref]) => epayment.getPayment(s, r, ref),
  },
  ...(["capture", "refund", "cancel"] as const).map((op): Route => ({
    method: "POST",
    pattern: new RegExp(`^/epayment/v1/payments/${REF}/${op}$`),
    operation: op,
    handler: (s, r, [ref]) => epayment.modifyPayment(s, r, ref, op),
  })),
  {
    method: "POST",
    pattern: new RegExp(`^/epayment/v1/test/payments/${REF}/approve$`),
    operation: "forceApprove",
    handler: (s, r, [ref]) => epayment.forceApprove(s, r, ref),
  },
  {
    method: "POST",
    pattern: /^\/webhooks\/v1\/webhooks\/?$/,
    operation: "registerWebhook",
    handler: services.registerWebhook,
  },
  {
    method: "GET",
    pattern: /^\/webhooks\/v1\/webhooks\/?$/,
    operation: "listWebhooks",
    handler: services.listWebhooks,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/webhooks/v1/webhooks/${REF}$`),
    operation: "deleteWebhook",
    handler: (s, r, [id]) => services.deleteWebhook(s, r, id),
  },
  {
    method: "GET",
    pattern: new RegExp(`^/vipps-userinfo-api/userinfo/${REF}$`),
    operation: "userinfo",
    handler: (s, r, [sub]) => services.userinfo(s, r, sub),
  },
  { method: "GET", pattern: /^\/landing\/?$/, operation: "landing", handler: landingPage },
  {
    method: "POST",
    pattern: /^\/landing\/approve$/,
    operation: "landing",
    handler: (s, r) => landingAction(s, r, "approve"),
  },
  {
    method: "POST",
    pattern: /^\/landing\/reject$/,
    operation: "landing",
    handler: (s, r) => landingAction(s, r, "reject"),
  },
  { method: "GET", pattern: /^\/qr\/?$/, operation: "qr", handler: qrImage },
]

function match(
  method: string,
  path: string,
): { route: Route; params: string[] } | { allowed: string[] } | null {
  const allowed: string[] = []
  for (const route of ROUTES) {
    const m = route.pattern.exec(path)
    if (!m) continue
    if (route.method === method) return { route, params: m.slice(1).map(decodeURIComponent) }
    allowed.push(route.method)
  }
  return allowed.length > 0 ? { allowed } : null
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError({ status: 413, detail: "The request body is too large." }))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () => resolve(Buffer.concat(chunks)))
    req.on("error", reject)
  })
}

function flatHeaders(
  headers: Record<string, string | string[] | number | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value)
  }
  return out
}

function parseForLog(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined
  const text = raw.toString("utf8")
  if (contentType?.includes("json") || /^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return contentType?.startsWith("image/") ? `<${raw.length} bytes>` : text
}

function serialize(response: SimResponse): { body: Buffer; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...(response.headers ?? {}) }
  let body: Buffer
  if (response.body === undefined || response.status === 204) {
    body = Buffer.alloc(0)
  } else if (Buffer.isBuffer(response.body)) {
    body = response.body
  } else if (typeof response.body === "string" && !response.contentType?.includes("json")) {
    body = Buffer.from(response.body, "utf8")
  } else {
    body = Buffer.from(JSON.stringify(response.body), "utf8")
  }
  if (body.length > 0 || response.contentType)
    headers["content-type"] = response.contentType ?? "application/json"
  headers["content-length"] = String(body.length)
  return { body, headers }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function createSimulatorServer(state: SimulatorState, control: SimulatorControl): http.Server {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now()
    const method = (req.method ?? "GET").toUpperCase()
    const url = new URL(req.url ?? "/", "http://simulator.local")
    let rawBody: Buffer = Buffer.alloc(0)
    const request: SimRequest = { method, url, pathAndQuery: req.url ?? "/", headers: req.headers, rawBody }
    let operation: OperationName | null = null
    const log = (
      status: number | null,
      response: SimResponse | null,
      headers: Record<string, string>,
      cut: boolean,
    ) =>
      state.requestLog.add({
        at: new Date(started).toISOString(),
        method,
        path: request.pathAndQuery,
        operation,
        headers: flatHeaders(req.headers),
        body: parseForLog(rawBody, req.headers["content-type"]),
        status,
        cut,
        responseHeaders: headers,
        responseBody: response ? parseForLog(serialize(response).body, response.contentType) : undefined,
        durationMs: Date.now() - started,
      })

    let response: SimResponse
    let cutAfter = false
    try {
      rawBody = await readBody(req)
      request.rawBody = rawBody
      if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
        if (!state.controlApi) throw new ApiError({ status: 404, detail: "The control API is disabled." })
        const controlResponse = await handleControlRequest(control, request)
        const { body, headers } = serialize(controlResponse)
        res.writeHead(controlResponse.status, headers).end(body)
        return
      }
      const found = match(method, url.pathname)
      if (!found) throw new ApiError({ status: 404, detail: `No such endpoint: ${method} ${url.pathname}` })
      if ("allowed" in found) {
        throw new ApiError({
          status: 405,
          detail: `Method ${method} not allowed`,
          headers: { allow: found.allowed.join(", ") },
        })
      }
      operation = found.route.operation
      const plan = state.faults.take(operation)
      if (plan.latencyMs > 0) await sleep(plan.latencyMs)
      if (plan.cut === "before") {
        log(null, null, {}, true)
        req.socket.destroy()
        return
      }
      if (plan.fail) {
        const { status, code, detail, retryAfter } = plan.fail
        response = {
          status,
          body: problemBody({
            status,
            code,
            title: code ? ERROR_TITLES[code] : undefined,
            detail: detail ?? "Injected fault",
            instance: url.pathname,
          }),
          contentType: "application/problem+json; charset=utf-8",
          headers: retryAfter !== undefined ? { "retry-after": String(retryAfter) } : undefined,
        }
      } else {
        // "after": whatever the operation does (even when it fails) happens before the socket is cut.
        cutAfter = plan.cut === "after"
        response = await found.route.handler(state, request, found.params)
      }
    } catch (error) {
      if (error instanceof ApiError) {
        response = problemResponse(error, url.pathname)
      } else {
        const message = error instanceof Error ? error.message : String(error)
        response = problemResponse(new ApiError({ status: 500, code: "3010", detail: message }), url.pathname)
      }
    }
    if (cutAfter) {
      log(null, response, {}, true)
      req.socket.destroy()
      return
    }
    const { body, headers } = serialize(response)
    log(response.status, response, headers, false)
    res.writeHead(response.status, headers).end(body)
  }

  return http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Last resort: never leave a request hanging.
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" })
      res.end(error instanceof Error ? error.message : "Internal error")
    })
  })
}
