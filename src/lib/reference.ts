import { createHash } from "node:crypto"
import { REFERENCE_PATTERN } from "./vipps/schemas"

/**
 * Vipps references and idempotency keys derived from Medusa ids, so that any process (or a restart)
 * derives the same values from stored data.
 *
 * reference = [prefix "-"] + session id with "_" -> "-"   e.g. "shop1-payses-01JABC…"
 * Medusa session ids are `payses_<ULID>`: the ULID has no "_" or "-", so the mapping is reversible.
 * ePayment 1.7.0 allows references of 8-64 characters; Idempotency-Keys stay at 50.
 */

export const REFERENCE_MAX_LENGTH = 64
export const IDEMPOTENCY_KEY_MAX_LENGTH = 50
/** A Medusa session id (`payses_` + 26-character ULID, 33 characters) leaves 30 for the prefix and "-". */
export const REFERENCE_PREFIX_MAX_LENGTH = 30
export const REFERENCE_PREFIX_PATTERN = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,28}[a-zA-Z0-9])?$/
/** The ULID at the end of every Medusa id: what keeps a shortened key unique. */
const ULID_LENGTH = 26

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
      `The Vipps reference "${reference}" is not valid (8-64 characters a-z A-Z 0-9 -): shorten referencePrefix.`,
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

/** A short, stable stand-in for text that does not fit (base64url SHA-256, 22 characters = 132 bits). */
function digest(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 22)
}

/**
 * `<operation>-<medusa id>` with "_" kept (allowed in keys). A Medusa id is `<prefix>_<ULID>` and always fits;
 * an id too long for the 50-character limit is replaced by a digest of it, so the key stays deterministic
 * and unique instead of failing a money movement.
 */
export function idempotencyKey(operation: string, id: string): string {
  if (operation.length > IDEMPOTENCY_KEY_MAX_LENGTH - 23) {
    throw new VippsReferenceError(`Operation name "${operation}" leaves no room for an id`)
  }
  const key = `${operation}-${id}`
  if (key.length <= IDEMPOTENCY_KEY_MAX_LENGTH) return key
  return `${operation}-${digest(id)}`
}

/**
 * `<operation>-<reference tail>` within 50 characters, for operations keyed by the payment itself. A reference
 * can be 64 characters long; its tail holds the session's ULID, which keeps the key unique. When the operation
 * name leaves no room for the whole ULID, a digest of the reference stands in for it.
 */
export function referenceKey(operation: string, reference: string): string {
  const room = IDEMPOTENCY_KEY_MAX_LENGTH - operation.length - 1
  if (room < 22) throw new VippsReferenceError(`Operation name "${operation}" leaves no room for a reference`)
  if (reference.length <= room) return `${operation}-${reference}`
  return room >= ULID_LENGTH ? `${operation}-${reference.slice(-room)}` : `${operation}-${digest(reference)}`
}
