import type { AxiosInstance } from "axios"
import { Pool } from "pg"
import type { SeededStore } from "../../integration-tests/helpers/store"

/**
 * The checkouts the Medusa benchmarks compare, driven over HTTP only (so the same code runs against the
 * bench's own Medusa process and against separate `medusa start` processes), with Medusa's database read
 * directly for the moments that matter (millisecond timestamps).
 *
 * - `anchor`: Medusa's own `pp_system_default`: cart → payment session → `POST complete`. Clock from
 *   `POST complete`.
 * - `webhook`: Vipps MobilePay, the shopper approves in the app and waits; the webhook makes the order.
 * - `race`: the same, but the storefront also completes the cart right after the approval (a return page),
 *   racing the webhook. Clock from the approval for both Vipps flows.
 * - `sync-route`: `webhook` with the synchronous route the inbox replaced (bench/lib/webhook-front.ts).
 */
export type Flow = "anchor" | "webhook" | "race" | "sync-route"

export type Checkout = {
  flow: Flow
  cartId: string
  sessionId: string
  /** Vipps reference (none for the anchor). */
  reference?: string
  /** `POST complete` sent (anchor) or approval taken effect (Vipps), epoch ms. */
  startedAt: number
  /** The shopper began this checkout (cart) and had a payment session, epoch ms: before the clock starts. */
  beganAt: number
  sessionAt: number
  /** The shopper knew the order was paid (Medusa's answer, or the wait for the webhook's order), epoch ms. */
  toldAt: number
}

/** Reads Medusa's tables: one pool per database. */
export type Db = { query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]> }

export function database(url: string): Db & { close(): Promise<void> } {
  const pool = new Pool({ connectionString: url, max: 2 })
  return {
    query: async <T>(text: string, values?: unknown[]) => (await pool.query(text, values)).rows as T[],
    close: () => pool.end(),
  }
}

/** When each session's order became a paid order: max(order.created_at, session.authorized_at), in ms. */
export async function paidAt(db: Db, sessionIds: string[]): Promise<Map<string, number>> {
  const rows = await db.query<{ id: string; authorized_at: Date | null; created_at: Date }>(
    `SELECT ps.id, ps.authorized_at, o.created_at
       FROM payment_session ps
       JOIN payment p ON p.payment_session_id = ps.id AND p.deleted_at IS NULL
       JOIN cart_payment_collection cpc ON cpc.payment_collection_id = ps.payment_collection_id
            AND cpc.deleted_at IS NULL
       JOIN order_cart oc ON oc.cart_id = cpc.cart_id AND oc.deleted_at IS NULL
       JOIN "order" o ON o.id = oc.order_id
      WHERE ps.id = ANY($1) AND ps.authorized_at IS NOT NULL`,
    [sessionIds],
  )
  const at = new Map<string, number>()
  for (const r of rows) {
    const t = Math.max(new Date(r.created_at).getTime(), new Date(r.authorized_at!).getTime())
    at.set(r.id, Math.max(at.get(r.id) ?? 0, t))
  }
  return at
}

/** Orders per cart (a lost order is 0, a doubled one 2). */
export async function ordersPerCart(db: Db, cartIds: string[]): Promise<Map<string, number>> {
  const rows = await db.query<{ cart_id: string; n: string }>(
    `SELECT cart_id, count(*) AS n FROM order_cart WHERE cart_id = ANY($1) AND deleted_at IS NULL GROUP BY cart_id`,
    [cartIds],
  )
  return new Map(rows.map((r) => [r.cart_id, Number(r.n)]))
}

/** Resolves a shopper once their order is paid: one query per tick for everyone waiting. */
export function paidOrderWatcher(db: Db, { intervalMs = 50, deadlineMs = 180_000 } = {}) {
  const waiting = new Map<string, { deadline: number; resolve(): void; reject(e: Error): void }>()
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  const tick = async () => {
    if (waiting.size > 0) {
      try {
        const paid = await paidAt(db, [...waiting.keys()])
        for (const [sessionId, waiter] of waiting) {
          if (paid.has(sessionId)) {
            waiting.delete(sessionId)
            waiter.resolve()
          } else if (Date.now() > waiter.deadline) {
            waiting.delete(sessionId)
            waiter.reject(new Error(`no paid order for session ${sessionId} within ${deadlineMs} ms`))
          }
        }
      } catch {
        // The next tick asks again.
      }
    }
    if (!stopped) timer = setTimeout(() => void tick(), intervalMs)
  }
  void tick()
  return {
    wait: (sessionId: string) =>
      new Promise<void>((resolve, reject) =>
        waiting.set(sessionId, { deadline: Date.now() + deadlineMs, resolve, reject }),
      ),
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}

export type Shop = {
  /** The storefront's Medusa (rotates between processes when there are several). */
  api(): AxiosInstance
  /** The simulator's control API. */
  control: AxiosInstance
  store: SeededStore
  currency: string
  variant: string
  watcher: ReturnType<typeof paidOrderWatcher>
}

async function startPayment(shop: Shop, api: AxiosInstance, index: number, providerId: string) {
  const headers = { "x-publishable-api-key": shop.store.publishableKey }
  const { data } = await api.post(
    "/store/carts",
    {
      region_id: shop.store.regions[shop.currency].id,
      sales_channel_id: shop.store.salesChannelId,
      email: `bench-${index}@example.com`,
      items: [{ variant_id: shop.variant, quantity: 1 + (index % 3) }],
    },
    { headers },
  )
  const cartId = data.cart.id as string
  const { data: pc } = await api.post("/store/payment-collections", { cart_id: cartId }, { headers })
  const { data: withSession } = await api.post(
    `/store/payment-collections/${pc.payment_collection.id}/payment-sessions`,
    { provider_id: providerId, data: providerId === "pp_system_default" ? {} : { cart_id: cartId } },
    { headers },
  )
  const session = withSession.payment_collection.payment_sessions.find(
    (s: { provider_id: string }) => s.provider_id === providerId,
  ) as { id: string; data: { reference?: string } }
  return { cartId, session, headers }
}

async function complete(api: AxiosInstance, cartId: string, headers: Record<string, string>) {
  const { status, data } = await api.post(`/store/carts/${cartId}/complete`, {}, { headers })
  if (status !== 200 || data.type !== "order")
    throw new Error(`cart ${cartId} did not complete (${status} ${String(data?.type)})`)
}

/** One shopper's checkout in the given flow; resolves once the shopper knows the order is paid. */
export async function checkout(shop: Shop, flow: Flow, index: number): Promise<Checkout> {
  const api = shop.api()
  const beganAt = Date.now()
  if (flow === "anchor") {
    const { cartId, session, headers } = await startPayment(shop, api, index, "pp_system_default")
    const startedAt = Date.now()
    await complete(api, cartId, headers)
    return {
      flow,
      cartId,
      sessionId: session.id,
      startedAt,
      beganAt,
      sessionAt: startedAt,
      toldAt: Date.now(),
    }
  }
  const { cartId, session, headers } = await startPayment(shop, api, index, "pp_vipps_vipps")
  const sessionAt = Date.now()
  const reference = session.data.reference as string
  await shop.control.post(`/payments/${reference}/approve`, {})
  const startedAt = Date.now()
  // The storefront's return page completes the cart (the answer is the order); else the shopper waits.
  if (flow === "race") await complete(shop.api(), cartId, headers)
  else await shop.watcher.wait(session.id)
  return { flow, cartId, sessionId: session.id, reference, startedAt, beganAt, sessionAt, toldAt: Date.now() }
}

/**
 * `shoppers` concurrent shoppers, `perShopper` checkouts each one after the other. Returns the checkouts
 * and the phase's start (epoch ms); its end is the last paid order (read from the database).
 */
export async function phase(shop: Shop, flow: Flow, shoppers: number, perShopper: number, base: number) {
  const startedAt = Date.now()
  const done = await Promise.all(
    Array.from({ length: shoppers }, async (_, shopper) => {
      const mine: Checkout[] = []
      for (let k = 0; k < perShopper; k++)
        mine.push(await checkout(shop, flow, base + shopper * perShopper + k))
      return mine
    }),
  )
  return { startedAt, done: done.flat() }
}
