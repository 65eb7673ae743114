import type { IPaymentModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

/**
 * Payments staff must look at, kept on the payment session's metadata (durable, next to the payment it is
 * about; the money itself lives in Medusa's rows and at Vipps MobilePay, never here).
 */
export const ATTENTION_KEY = "vipps_attention"

export type AttentionReason =
  /** Approved, but the cart could not become an order: released at Vipps, the shopper told. */
  | "released_unorderable"
  /** A capture or refund at Vipps on a payment Medusa had canceled. */
  | "movement_after_cancel"
  /** Released at Vipps (portal, deadline) before the order's payment was captured. */
  | "released_outside_medusa"
  /** Vipps and Medusa disagree and the plugin could not bring Medusa in line. */
  | "unresolved"

export type Attention = {
  reason: AttentionReason
  message: string
  flagged_at: string
  /** Minor units at the time of flagging. */
  vipps?: { captured: number; refunded: number; cancelled: number; currency: string }
  medusa?: { captured: number; refunded: number; currency: string }
}

type SessionRow = {
  id: string
  amount: unknown
  currency_code: string
  status: string
  data: Record<string, unknown>
  metadata?: Record<string, unknown> | null
}

/** Flags a payment session (status kept unless given); flagging the same reason again keeps the first time. */
export async function flagForStaff(
  container: MedusaContainer,
  session: SessionRow,
  attention: Omit<Attention, "flagged_at">,
  status?: string,
): Promise<void> {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
  const previous = session.metadata?.[ATTENTION_KEY] as Attention | undefined
  const flagged_at = previous?.reason === attention.reason ? previous.flagged_at : new Date().toISOString()
  await paymentModule.updatePaymentSession({
    id: session.id,
    amount: session.amount as never,
    currency_code: session.currency_code,
    data: session.data,
    status: (status ?? session.status) as never,
    metadata: { ...(session.metadata ?? {}), [ATTENTION_KEY]: { ...attention, flagged_at } },
  })
}

/** Ids of the payment sessions flagged for staff, newest first. */
export async function flaggedSessionIds(container: MedusaContainer, limit = 200): Promise<string[]> {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as unknown as (table: string) => {
    select(column: string): {
      whereNull(column: string): {
        whereRaw(
          sql: string,
          bindings: unknown[],
        ): {
          orderBy(column: string, direction: string): { limit(n: number): Promise<{ id: string }[]> }
        }
      }
    }
  }
  const rows = await knex("payment_session")
    .select("id")
    .whereNull("deleted_at")
    .whereRaw("provider_id like 'pp\\_vipps\\_%' and metadata -> ? is not null", [ATTENTION_KEY])
    .orderBy("updated_at", "desc")
    .limit(limit)
  return rows.map((row) => row.id)
}
