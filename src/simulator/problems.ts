import { randomBytes } from "node:crypto"
import { EPAYMENT_ERROR_CODES } from "../lib/vipps/error-codes"

/**
 * RFC 7807 Problem bodies as the ePayment API sends them (`application/problem+json`), with the numeric
 * error code in `extraDetails: [{ name: "ErrorCode", reason: "<code>" }]`.
 */

/** Titles of every code in the ePayment error table (lib/vipps/error-codes.ts), keyed by the code as text. */
export const ERROR_TITLES: Record<string, string> = Object.fromEntries(
  Object.entries(EPAYMENT_ERROR_CODES).map(([code, { title }]) => [code, title]),
)

const STATUS_TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  422: "Unprocessable Entity",
  423: "Locked",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
}

export type ExtraDetail = { name: string; reason: string }

export type ProblemBody = {
  type: string
  title: string
  detail: string
  status: number
  instance: string
  traceId: string
  extraDetails: ExtraDetail[]
}

export type ApiErrorInit = {
  status: number
  code?: string
  detail?: string
  title?: string
  extraDetails?: ExtraDetail[]
  headers?: Record<string, string>
}

/** Thrown by handlers and the state machine; the server turns it into a Problem response. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string | undefined
  readonly title: string
  readonly extraDetails: ExtraDetail[]
  readonly headers: Record<string, string>

  constructor(init: ApiErrorInit) {
    const title =
      init.title ?? (init.code ? ERROR_TITLES[init.code] : undefined) ?? STATUS_TITLES[init.status] ?? "Error"
    super(init.detail ?? title)
    this.name = "ApiError"
    this.status = init.status
    this.code = init.code
    this.title = title
    this.extraDetails = init.extraDetails ?? []
    this.headers = init.headers ?? {}
  }

  toProblem(instance: string): ProblemBody {
    return problemBody({
      status: this.status,
      code: this.code,
      title: this.title,
      detail: this.message,
      extraDetails: this.extraDetails,
      instance,
    })
  }
}

export function statusTitle(status: number): string {
  return STATUS_TITLES[status] ?? (status >= 500 ? "Server Error" : "Error")
}

export function newTraceId(): string {
  return randomBytes(16).toString("hex")
}

export function problemBody(input: {
  status: number
  code?: string
  title?: string
  detail?: string
  extraDetails?: ExtraDetail[]
  instance: string
}): ProblemBody {
  const extraDetails = [...(input.extraDetails ?? [])]
  if (input.code) extraDetails.unshift({ name: "ErrorCode", reason: input.code })
  const title = input.title ?? statusTitle(input.status)
  const slug = input.code ?? String(input.status)
  return {
    type: `https://developer.vippsmobilepay.com/docs/APIs/epayment-api/api-guide/errors/#${slug}`,
    title,
    detail: input.detail ?? title,
    status: input.status,
    instance: input.instance,
    traceId: newTraceId(),
    extraDetails,
  }
}

/** Shorthands for the errors the handlers raise most. */
export const badRequest = (code: string | undefined, detail: string, extraDetails?: ExtraDetail[]) =>
  new ApiError({ status: 400, code, detail, extraDetails })

export const unauthorized = (detail: string) => new ApiError({ status: 401, detail })
export const forbidden = (detail: string) => new ApiError({ status: 403, detail })
export const notFound = (detail: string) => new ApiError({ status: 404, detail })
export const conflict = (code: string, detail: string) => new ApiError({ status: 409, code, detail })
