/**
 * The log of every request the simulator answered (or cut): method, path, headers, body, status and
 * response body. Secrets (client secret, subscription key, tokens, webhook secrets) are redacted when
 * read unless the caller asks for the raw entries.
 */

export type RequestLogEntry = {
  id: number
  at: string
  method: string
  path: string
  operation: string | null
  headers: Record<string, string>
  body: unknown
  status: number | null
  /** True when the connection was destroyed without a response (fault injection). */
  cut: boolean
  responseHeaders: Record<string, string>
  responseBody: unknown
  durationMs: number
}

export const REDACTED = "[redacted]"
const SECRET_HEADERS = new Set(["authorization", "client_secret", "ocp-apim-subscription-key"])
const SECRET_FIELDS = new Set(["access_token", "secret", "client_secret"])

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_HEADERS.has(name.toLowerCase())) {
      out[name] = value
    } else if (name.toLowerCase() === "authorization" && /^Bearer\s/i.test(value)) {
      out[name] = `Bearer ${REDACTED}`
    } else {
      out[name] = REDACTED
    }
  }
  return out
}

export function redactBody(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redactBody)
  if (body !== null && typeof body === "object") {
    return Object.fromEntries(
      Object.entries(body as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_FIELDS.has(k) && typeof v === "string" ? REDACTED : redactBody(v),
      ]),
    )
  }
  return body
}

export type RequestLogFilter = {
  operation?: string
  method?: string
  /** Substring of the path. */
  path?: string
  /** Default true. */
  redact?: boolean
}

export class RequestLog {
  private entries: RequestLogEntry[] = []
  private nextId = 1

  constructor(private readonly limit: number) {}

  add(entry: Omit<RequestLogEntry, "id">): RequestLogEntry {
    const full = { ...entry, id: this.nextId++ }
    this.entries.push(full)
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit)
    return full
  }

  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const redact = filter.redact ?? true
    return this.entries
      .filter((e) => !filter.operation || e.operation === filter.operation)
      .filter((e) => !filter.method || e.method === filter.method.toUpperCase())
      .filter((e) => !filter.path || e.path.includes(filter.path))
      .map((e) =>
        redact
          ? {
              ...e,
              headers: redactHeaders(e.headers),
              responseHeaders: redactHeaders(e.responseHeaders),
              body: redactBody(e.body),
              responseBody: redactBody(e.responseBody),
            }
          : { ...e },
      )
  }

  clear(): void {
    this.entries = []
  }
}
