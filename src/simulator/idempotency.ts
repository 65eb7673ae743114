import { createHash } from "node:crypto"

/**
 * Idempotency records per (MSN, operation, reference, Idempotency-Key): the same key with the same body
 * replays the original response (status and body) without a second effect; the same key with another
 * body is a conflict. 4xx outcomes are remembered too, so a failed request stays failed for its key.
 */

export type StoredResponse = {
  status: number
  body: unknown
  contentType?: string
}

type Entry = { bodyHash: string; response: StoredResponse; at: number }

export type IdempotencyLookup =
  | { kind: "miss" }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "conflict"; response: StoredResponse }

/** Stable JSON (sorted keys) so whitespace or key order do not make two equal bodies differ. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`
  }
  return JSON.stringify(value) ?? "null"
}

export function hashBody(body: unknown): string {
  const normalized = body === undefined ? "{}" : canonicalJson(body)
  return createHash("sha256").update(normalized).digest("hex")
}

/** Statuses that describe the operation's outcome for that key (and so are replayed). */
export function isRememberedStatus(status: number): boolean {
  if (status >= 200 && status < 300) return true
  return status >= 400 && status < 500 && ![401, 403, 408, 409, 423, 429].includes(status)
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>()

  static scope(msn: string, operation: string, reference: string, key: string): string {
    return JSON.stringify([msn, operation, reference, key])
  }

  lookup(scope: string, bodyHash: string): IdempotencyLookup {
    const entry = this.entries.get(scope)
    if (!entry) return { kind: "miss" }
    if (entry.bodyHash === bodyHash) return { kind: "replay", response: entry.response }
    return { kind: "conflict", response: entry.response }
  }

  remember(scope: string, bodyHash: string, response: StoredResponse, at: number): void {
    if (this.entries.has(scope) || !isRememberedStatus(response.status)) return
    this.entries.set(scope, { bodyHash, response, at })
  }

  clear(): void {
    this.entries.clear()
  }

  get size(): number {
    return this.entries.size
  }
}
