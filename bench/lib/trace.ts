import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { PAYMENT_CHECK_EVENT } from "../../src/providers/vipps/events"
import { findRegistration } from "../../src/providers/vipps/registration"
import type { Checkout, Db } from "./flows"
import { percentile, round } from "./stats"

/**
 * Bench only: where a checkout's time goes, from moments recorded inside the bench's Medusa process by
 * wrapping the instances the plugin and Medusa use (the event bus's emit, the locking module, the
 * registration's ePayment client), joined with the simulator's delivery log and Medusa's timestamps:
 *
 *   Vipps:  cart started → session made → approval → webhook sent → inbox event emitted → the reference
 *           lock asked (by the sync, or the storefront's completion) → held → first ePayment read back →
 *           cart lock taken (completion starts) → order row → session authorized → shopper told
 *   anchor: cart started (cart, payment collection, session) → POST complete → cart lock taken → order row →
 *           session authorized → shopper told (Medusa's answer)
 *
 * Each segment is the median over a flow's checkouts of the time between two consecutive moments that
 * checkout has, in the order they happened (a moment it lacks is skipped).
 */
type Moments = Partial<Record<Moment, number>>
type Moment = "emitted" | "lockAsked" | "lockHeld" | "read"

export function traceCheckouts(container: MedusaContainer) {
  const byReference = new Map<string, Moments>()
  /** Every time a cart's lock was taken (creating the payment collection takes it too). */
  const cartLock = new Map<string, number[]>()
  /**
   * Payment checks emitted and reference-lock runs finished: the inbox is idle when they are equal. Only
   * for the webhook flood (no storefront completions, whose middleware takes the same lock).
   */
  const inbox = { emitted: 0, synced: 0 }
  const mark = (reference: string, moment: Moment) => {
    const m = byReference.get(reference) ?? {}
    if (m[moment] === undefined) m[moment] = Date.now()
    byReference.set(reference, m)
  }
  const eventBus = container.resolve(Modules.EVENT_BUS) as { emit: (...args: unknown[]) => Promise<unknown> }
  const emit = eventBus.emit.bind(eventBus)
  eventBus.emit = (message: unknown, ...rest: unknown[]) => {
    for (const m of Array.isArray(message) ? message : [message]) {
      const { name, data } = (m ?? {}) as { name?: string; data?: { reference?: string } }
      if (name === PAYMENT_CHECK_EVENT && data?.reference) {
        inbox.emitted++
        mark(data.reference, "emitted")
      }
    }
    return emit(message, ...rest)
  }
  type Locking = {
    execute(key: string | string[], job: () => Promise<unknown>, args?: unknown): Promise<unknown>
    acquire(key: string | string[], args?: unknown): Promise<unknown>
  }
  const locking = container.resolve(Modules.LOCKING) as Locking
  const execute = locking.execute.bind(locking)
  locking.execute = (key, job, args) => {
    const reference = typeof key === "string" && key.startsWith("vipps:") ? key.slice(6) : undefined
    if (!reference) return execute(key, job, args)
    mark(reference, "lockAsked")
    return execute(
      key,
      () => {
        mark(reference, "lockHeld")
        return job()
      },
      args,
    ).finally(() => inbox.synced++)
  }
  const acquire = locking.acquire.bind(locking)
  locking.acquire = async (key, args) => {
    const result = await acquire(key, args)
    if (typeof key === "string" && key.startsWith("cart_"))
      cartLock.set(key, [...(cartLock.get(key) ?? []), Date.now()])
    return result
  }
  const epayment = findRegistration(container, "vipps")!.client.epayment
  const getPayment = epayment.getPayment.bind(epayment)
  epayment.getPayment = async (reference: string) => {
    const payment = await getPayment(reference)
    mark(reference, "read")
    return payment
  }
  /** Until every payment check emitted so far has had its sync (or the deadline passed). */
  const inboxIdle = async (deadlineMs = 120_000) => {
    const deadline = Date.now() + deadlineMs
    while (inbox.synced < inbox.emitted && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { byReference, cartLock, inboxIdle }
}

type Delivery = { reference: string; eventName: string; attempts: { at: string }[] }

export async function breakdown(
  trace: ReturnType<typeof traceCheckouts>,
  db: Db,
  checkouts: Checkout[],
  deliveries: Delivery[],
) {
  const rows = await db.query<{ id: string; authorized_at: Date | null; created_at: Date | null }>(
    `SELECT ps.id, ps.authorized_at, o.created_at
       FROM payment_session ps
       LEFT JOIN cart_payment_collection cpc ON cpc.payment_collection_id = ps.payment_collection_id
       LEFT JOIN order_cart oc ON oc.cart_id = cpc.cart_id AND oc.deleted_at IS NULL
       LEFT JOIN "order" o ON o.id = oc.order_id
      WHERE ps.id = ANY($1)`,
    [checkouts.map((c) => c.sessionId)],
  )
  const db_ = new Map(rows.map((r) => [r.id, r]))
  const sent = new Map<string, number>()
  for (const d of deliveries) {
    if (d.eventName !== "AUTHORIZED" || !d.attempts[0] || sent.has(d.reference)) continue
    sent.set(d.reference, Date.parse(d.attempts[0].at))
  }
  const segments = new Map<string, number[]>()
  for (const c of checkouts) {
    const row = db_.get(c.sessionId)
    const m = c.reference ? (trace.byReference.get(c.reference) ?? {}) : {}
    const moments: [string, number | undefined][] = [
      ["cart started", c.beganAt],
      ["session made", c.reference ? c.sessionAt : undefined],
      [c.reference ? "approval" : "POST complete", c.startedAt],
      ["webhook sent", c.reference ? sent.get(c.reference) : undefined],
      ["event emitted", m.emitted],
      ["reference lock asked", m.lockAsked],
      ["reference lock held", m.lockHeld],
      ["read", m.read],
      ["cart lock", trace.cartLock.get(c.cartId)?.find((t) => t >= c.startedAt)],
      ["order row", row?.created_at ? new Date(row.created_at).getTime() : undefined],
      ["authorized", row?.authorized_at ? new Date(row.authorized_at).getTime() : undefined],
      ["shopper told", c.toldAt],
    ]
    // In the order they happened (a storefront completion reads Vipps after it took the cart lock).
    const present = (moments.filter(([, t]) => t !== undefined) as [string, number][]).sort(
      (a, b) => a[1] - b[1],
    )
    for (let i = 1; i < present.length; i++) {
      const name = `${present[i - 1][0]} → ${present[i][0]}`
      segments.set(name, [...(segments.get(name) ?? []), present[i][1] - present[i - 1][1]])
    }
  }
  return [...segments.entries()].map(([segment, list]) => ({
    segment,
    checkouts: list.length,
    p50: round(percentile(list, 50), 1),
    p95: round(percentile(list, 95), 1),
  }))
}
