/**
 * Typed errors of the Vipps MobilePay client. None of them carries request headers, tokens, secrets
 * or bodies: only what a merchant or developer needs to act (operation, status, numeric code, traceId).
 */

export type ProblemDetail = { name: string; reason: string }

export class VippsError extends Error {
  /** The client operation that failed, e.g. "epayment.capture". */
  readonly operation: string
  constructor(message: string, operation: string) {
    super(message)
    this.name = "VippsError"
    this.operation = operation
  }
}

/** The API answered with an error status (RFC 7807 Problem when it sent one). */
export class VippsApiError extends VippsError {
  readonly status: number
  readonly title?: string
  readonly detail?: string
  readonly traceId?: string
  readonly instance?: string
  readonly extraDetails: ProblemDetail[]
  /** Numeric ePayment error code from `extraDetails` (`ErrorCode`), e.g. 6090. */
  readonly code?: number
  /** Seconds from a `Retry-After` header, when present. */
  readonly retryAfterSeconds?: number

  constructor(args: {
    operation: string
    status: number
    title?: string
    detail?: string
    traceId?: string
    instance?: string
    extraDetails?: ProblemDetail[]
    retryAfterSeconds?: number
  }) {
    const extraDetails = args.extraDetails ?? []
    const codeText = extraDetails.find((d) => d.name === "ErrorCode")?.reason
    const code = codeText !== undefined && /^\d+$/.test(codeText) ? Number(codeText) : undefined
    const parts = [
      `Vipps MobilePay ${args.operation} failed with HTTP ${args.status}`,
      code !== undefined ? `code ${code}` : undefined,
      args.title,
      // `detail` stays a field only: it can echo request values (a phone number, an address).
      args.traceId ? `traceId ${args.traceId}` : undefined,
    ].filter(Boolean)
    super(parts.join(": ").replace(/: (code \d+)/, " ($1)"), args.operation)
    this.name = "VippsApiError"
    this.status = args.status
    this.title = args.title
    this.detail = args.detail
    this.traceId = args.traceId
    this.instance = args.instance
    this.extraDetails = extraDetails
    this.code = code
    this.retryAfterSeconds = args.retryAfterSeconds
  }

  is(status: number, code?: number): boolean {
    return this.status === status && (code === undefined || this.code === code)
  }
}

/** No usable answer: connection refused or cut, DNS, timeout. The operation may or may not have happened. */
export class VippsNetworkError extends VippsError {
  /** Node/axios error code, e.g. ECONNRESET, ECONNABORTED, ETIMEDOUT. */
  readonly code?: string
  constructor(operation: string, code: string | undefined, reason: string) {
    super(`Vipps MobilePay ${operation} failed without an answer: ${reason}`, operation)
    this.name = "VippsNetworkError"
    this.code = code
  }
}

/** The API answered 2xx with a body that does not match the ePayment spec. */
export class VippsResponseValidationError extends VippsError {
  readonly issues: string[]
  constructor(operation: string, issues: string[]) {
    super(`Vipps MobilePay ${operation} returned an unexpected response: ${issues.join("; ")}`, operation)
    this.name = "VippsResponseValidationError"
    this.issues = issues
  }
}

/** A request we were about to send does not satisfy the ePayment spec; nothing was sent. */
export class VippsRequestValidationError extends VippsError {
  readonly issues: string[]
  constructor(operation: string, issues: string[]) {
    super(`Invalid Vipps MobilePay ${operation} request: ${issues.join("; ")}`, operation)
    this.name = "VippsRequestValidationError"
    this.issues = issues
  }
}
