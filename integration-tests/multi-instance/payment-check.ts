/**
 * What the multi-instance scenario checks after each payment: Medusa's rows (in PostgreSQL) and the
 * simulator's payment must show one order, one Vipps payment and nothing undone; and the race counts.
 */
import type { Pool } from "pg"
import type { RunningSimulator } from "../../src/simulator"
import { PROVIDER_ID } from "./cluster"

export type Prepared = { cartId: string; sessionId: string; reference: string }

export type RaceResult = {
  index: number
  cartId: string
  sessionId: string
  reference: string
  complete: { status: number; type?: string; orderId?: string; message?: string; ms: number }
  webhook: { status: number; outcome?: string; ms: number }
  /** Live orders of the cart, and orders created then deleted again (a compensated second order). */
  orders: string[]
  deletedOrders: number
  /** Vipps payments of the order (live, not canceled), and every payment row of the session. */
  orderPayments: number
  sessionPayments: number
  vipps: { state?: string; cancelled: number; modifications: number }
  problems: string[]
}

export type PaymentCheck = Omit<RaceResult, "index" | "complete" | "webhook">

/** What Medusa and Vipps MobilePay hold for one payment: one order, one Vipps payment, nothing undone. */
export async function checkPayment(
  pg: Pool,
  sim: RunningSimulator,
  { cartId, sessionId, reference }: Prepared,
): Promise<PaymentCheck> {
  const { rows: orderRows } = await pg.query<{ id: string; deleted: boolean }>(
    `SELECT o.id, (o.deleted_at IS NOT NULL OR oc.deleted_at IS NOT NULL) AS deleted
       FROM order_cart oc JOIN "order" o ON o.id = oc.order_id WHERE oc.cart_id = $1`,
    [cartId],
  )
  const orders = orderRows.filter((r) => !r.deleted).map((r) => r.id)
  const { rows: orderPayments } = await pg.query<{ id: string }>(
    `SELECT p.id FROM order_payment_collection opc JOIN payment p ON p.payment_collection_id = opc.payment_collection_id
      WHERE opc.order_id = ANY($1) AND opc.deleted_at IS NULL AND p.deleted_at IS NULL
        AND p.canceled_at IS NULL AND p.provider_id = $2`,
    [orders, PROVIDER_ID],
  )
  const { rows: sessionPayments } = await pg.query<{ id: string }>(
    `SELECT id FROM payment WHERE payment_session_id = $1 AND deleted_at IS NULL`,
    [sessionId],
  )
  const payment = sim.control.getPayment(reference)
  const modifications = sim.control
    .requests({ method: "POST", path: reference })
    .filter((r) => /\/(capture|refund|cancel)$/.test(r.path)).length
  const check: PaymentCheck = {
    cartId,
    sessionId,
    reference,
    orders,
    deletedOrders: orderRows.length - orders.length,
    orderPayments: orderPayments.length,
    sessionPayments: sessionPayments.length,
    vipps: { state: payment?.state, cancelled: payment?.aggregate.cancelled ?? 0, modifications },
    problems: [],
  }
  if (orders.length !== 1) check.problems.push(`${orders.length} orders`)
  if (check.deletedOrders > 0)
    check.problems.push(`${check.deletedOrders} order(s) created and deleted again`)
  if (orderPayments.length !== 1) check.problems.push(`${orderPayments.length} Vipps payments on the order`)
  if (sessionPayments.length !== 1) check.problems.push(`${sessionPayments.length} payments of the session`)
  if (payment?.state !== "AUTHORIZED" || check.vipps.cancelled > 0 || modifications > 0) {
    check.problems.push(`Vipps payment ${payment?.state}, ${modifications} capture/refund/cancel calls`)
  }
  return check
}

/** Live orders of a cart. */
export async function ordersOf(pg: Pool, cartId: string): Promise<number> {
  const { rows } = await pg.query(
    `SELECT 1 FROM order_cart oc JOIN "order" o ON o.id = oc.order_id
      WHERE oc.cart_id = $1 AND oc.deleted_at IS NULL AND o.deleted_at IS NULL`,
    [cartId],
  )
  return rows.length
}

/** Counts for the console: how many races ended how. */
export function summarize(results: RaceResult[]) {
  const count = (predicate: (r: RaceResult) => boolean) => results.filter(predicate).length
  const ms = results.map((r) => Math.abs(r.complete.ms - r.webhook.ms)).sort((x, y) => x - y)
  return {
    races: results.length,
    passed: count((r) => r.problems.length === 0),
    "storefront 200 order": count((r) => r.complete.status === 200 && r.complete.type === "order"),
    "webhook 2xx": count((r) => r.webhook.status >= 200 && r.webhook.status < 300),
    "exactly one order": count((r) => r.orders.length === 1),
    "two or more orders": count((r) => r.orders.length > 1),
    "order created and deleted": count((r) => r.deletedOrders > 0),
    "one Vipps payment": count((r) => r.orderPayments === 1 && r.sessionPayments === 1),
    "Vipps still authorized": count((r) => r.vipps.state === "AUTHORIZED" && r.vipps.cancelled === 0),
    "median gap slower-faster ms": ms.length ? ms[Math.floor(ms.length / 2)] : 0,
  }
}
