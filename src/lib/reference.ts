/**
 * Vipps references and idempotency keys derived from Medusa ids, so that any process (or a restart)
 * derives the same values from stored data.
 *
 * reference = [prefix "-"] + session id with "_" -> "-"   e.g. "shop1-payses-01JABC…"
 * Medusa session ids are `payses_<ULID>`: the ULID has no "_" or "-", so the mapping is reversible.
 */

export const REFERENCE_MAX_LENGTH = 50
export const IDEMPOTENCY_KEY_MAX_LENGTH = 50
const REFERENCE_PATTERN = /^[a-zA-Z0-9-]{8,50}$/
export const REFERENCE_PREFIX_PATTERN = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,14}[a-zA-Z0-9])?$/

export class VippsReferenceError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "VippsReferenceError"
  }
}

export function referenceFromSessionId(sessionId: string, prefix?: string): string {
  if (!/^[a-z]+_[A-Za-z0-9]+$/.test(sessionId)) {
    throw new VippsReferenceError(`Cannot derive a Vipps reference from the session id "${sessionId}"`)
  }
  const core = sessionId.replace("_", "-")
  const reference = prefix ? `${prefix}-${core}` : core
  if (!REFERENCE_PATTERN.test(reference)) {
    throw new VippsReferenceError(
      `The Vipps reference "${reference}" is not valid (8-50 characters a-z A-Z 0-9 -): shorten referencePrefix.`,
    )
  }
  return reference
}

/** The session id a reference was made from, or null when it was not made by this registration. */
export function sessionIdFromReference(reference: string, prefix?: string): string | null {
  let core = reference
  if (prefix) {
    if (!reference.startsWith(`${prefix}-`)) return null
    core = reference.slice(prefix.length + 1)
  }
  const match = /^([a-z]+)-([A-Za-z0-9]+)$/.exec(core)
  return match ? `${match[1]}_${match[2]}` : null
}

/** `<operation>-<medusa id>` with "_" kept (allowed in keys), cut to the 50-character limit. */
export function idempotencyKey(operation: string, id: string): string {
  const key = `${operation}-${id}`
  if (key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw new VippsReferenceError(`Idempotency key for ${operation} would exceed 50 characters`)
  }
  return key
}

/**
 * `<operation>-<reference tail>` within 50 characters, for operations keyed by the payment itself. A reference
 * can be 50 characters long; its tail holds the session's ULID, which keeps the key unique.
 */
export function referenceKey(operation: string, reference: string): string {
  const room = IDEMPOTENCY_KEY_MAX_LENGTH - operation.length - 1
  if (room < 26) throw new VippsReferenceError(`Operation name "${operation}" leaves no room for a reference`)
  return `${operation}-${reference.slice(-room)}`
}
