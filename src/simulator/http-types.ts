import type { IncomingHttpHeaders } from "node:http"
import { ApiError, badRequest } from "./problems"

/** The request/response shapes the handlers work with (the server does the node:http plumbing). */

export type SimRequest = {
  method: string
  url: URL
  /** Path plus query, as received. */
  pathAndQuery: string
  headers: IncomingHttpHeaders
  rawBody: Buffer
}

export type SimResponse = {
  status: number
  headers?: Record<string, string>
  /** JSON-serialisable value, or a Buffer / string sent as-is with `contentType`. */
  body?: unknown
  contentType?: string
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): SimResponse => ({
  status,
  body,
  contentType: "application/json; charset=utf-8",
  headers,
})

export const html = (status: number, body: string, headers?: Record<string, string>): SimResponse => ({
  status,
  body,
  contentType: "text/html; charset=utf-8",
  headers,
})

export function problemResponse(error: ApiError, instance: string): SimResponse {
  return {
    status: error.status,
    body: error.toProblem(instance),
    contentType: "application/problem+json; charset=utf-8",
    headers: error.headers,
  }
}

/** The JSON body, `undefined` when empty; 400 when it is not valid JSON. */
export function jsonBody(request: SimRequest): unknown {
  const text = request.rawBody.toString("utf8")
  if (text.trim() === "") return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw badRequest(undefined, "The request body is not valid JSON.", [
      { name: "body", reason: "Invalid JSON." },
    ])
  }
}

/** Form fields of an `application/x-www-form-urlencoded` body (the landing page's buttons). */
export function formBody(request: SimRequest): URLSearchParams {
  return new URLSearchParams(request.rawBody.toString("utf8"))
}

export function singleHeader(request: SimRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

export { ApiError }
