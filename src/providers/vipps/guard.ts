import { MedusaError } from "@medusajs/framework/utils"
import type { Logger } from "@medusajs/framework/types"
import { fromMinorUnits, toMinorUnits } from "../../lib/money"
import type { VippsClient } from "../../lib/vipps/client"
import { isRetryable } from "../../lib/vipps/retry-policy"
import { medusaDecimal } from "./amount"
import { requestPaymentCheck } from "./events"
import { withPayment } from "./payment-state"
import type { VippsSessionData } from "./session-data"

export type MovementKind = "capture" | "refund"

/**
 * How the sync marks a refund row that records a refund Vipps MobilePay already made: metadata where the
 * payment module stores it (Medusa 2.15+), and the note, which every supported version stores. Whoever
 * wrote it, the provider only records such a row when Vipps holds it unrecorded: the marker cannot move money.
 */
export const RECORDED_FROM_VIPPS = "vipps_mobilepay_recorded"
export const RECORDED_NOTE =
  "Refunded at Vipps MobilePay (business portal, or an answer that was lost); recorded by the plugin"

/** Medusa's capture and refund rows (the payment module's own services; Medusa passes providers no amounts). */
type MoneyRow = {
  id: string
  payment_id?: string
  raw_amount?: { value: string | number }
  amount?: unknown
  metadata?: Record<string, unknown> | null
  note?: string | null
}
export type MoneyRowService = {
  retrieve(id: string, config: { select: string[] }): Promise<MoneyRow>
  list(filters: { payment_id: string }, config: { select: string[] }): Promise<MoneyRow[]>
}

/** One capture or refund row Medusa is making, with what its payment already has recorded. */
export type MovementRow = {
  id: string
  kind: MovementKind
  /** This row's amount, minor units. */
  value: number
  /** The payment's other rows of the same kind, minor units. */
  recordedBefore: number
  /** Made by the sync to record what Vipps MobilePay already did: nothing must be sent. */
  recordsVipps: boolean
}

const FIELD = { capture: "capturedAmount", refund: "refundedAmount" } as const
const DONE = { capture: "captured", refund: "refunded" } as const

/**
 * Keeps Medusa from moving money twice. Vipps MobilePay's aggregate is the ledger: a capture or refund must
 * not go out while Vipps holds more captured (refunded) than Medusa's rows say, because an earlier attempt
 * that Medusa saw fail may have gone through, and the new attempt carries a new Medusa id, so its
 * Idempotency-Key could not stop a second charge.
 */
export class MovementGuard {
  constructor(
    private readonly client: VippsClient,
    private readonly services: { capture?: MoneyRowService; refund?: MoneyRowService },
    private readonly logger: Logger,
  ) {}

  /** Reads the row Medusa is making and the payment's other rows of its kind, each once. */
  async row(kind: MovementKind, rowId: string, currency: string): Promise<MovementRow | undefined> {
    const service = this.services[kind]
    if (!service) return undefined
    const minor = (row: MoneyRow) =>
      toMinorUnits(medusaDecimal((row.raw_amount ?? row.amount) as never), currency)
    const current = await service.retrieve(rowId, {
      select:
        kind === "refund"
          ? ["id", "payment_id", "amount", "raw_amount", "metadata", "note"]
          : ["id", "payment_id", "amount", "raw_amount"],
    })
    const others = current.payment_id
      ? (
          await service.list({ payment_id: current.payment_id }, { select: ["id", "amount", "raw_amount"] })
        ).filter((row) => row.id !== rowId)
      : []
    return {
      id: rowId,
      kind,
      value: minor(current),
      recordedBefore: others.reduce((total, row) => total + minor(row), 0),
      recordsVipps: current.metadata?.[RECORDED_FROM_VIPPS] === true || current.note === RECORDED_NOTE,
    }
  }

  /**
   * Refuses when Vipps holds more than Medusa recorded, unless our own key is already a successful event
   * (a safe replay). A refusal asks the sync to record what Vipps holds at once, so the merchant sees it.
   */
  async assertNothingUnrecorded(session: VippsSessionData, row: MovementRow, key: string): Promise<void> {
    const payment = await this.client.epayment.getPayment(session.reference)
    const held = payment.aggregate[FIELD[row.kind]].value
    if (held <= row.recordedBefore) return
    const events = await this.client.epayment.getPaymentEvents(session.reference)
    if (events.some((event) => event.idempotencyKey === key && event.success)) return
    await requestPaymentCheck({ reference: session.reference, cause: "guard" }).catch(() => undefined)
    const currency = payment.amount.currency
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Vipps MobilePay holds ${fromMinorUnits(held, currency)} ${currency} ${DONE[row.kind]} for ${session.reference}, Medusa recorded ${fromMinorUnits(row.recordedBefore, currency)} ${currency}: an earlier ${row.kind} went through. Nothing was sent. The plugin is recording it from Vipps MobilePay now; reload the order in a moment and check the amounts before trying again.`,
    )
  }

  /** A row the sync makes to record a movement must be covered by what Vipps holds beyond Medusa's rows. */
  async assertHeldAtVipps(session: VippsSessionData, row: MovementRow): Promise<VippsSessionData> {
    const payment = await this.client.epayment.getPayment(session.reference)
    const held = payment.aggregate[FIELD[row.kind]].value
    if (held < row.recordedBefore + row.value) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Vipps MobilePay does not hold this ${row.kind} of ${session.reference}; nothing was recorded`,
      )
    }
    return withPayment(session, payment)
  }

  /**
   * After a capture or refund failed without a clear answer it may still have happened: a timeout is not a
   * failure. If the event log shows our Idempotency-Key as a successful event, it did; report success so
   * Medusa keeps its row. Only a definite refusal (a 4xx that is not retryable) proves nothing happened.
   */
  async tookEffect(
    session: VippsSessionData,
    error: unknown,
    key: string,
  ): Promise<VippsSessionData | undefined> {
    if (!isRetryable(error)) return undefined
    try {
      const events = await this.client.epayment.getPaymentEvents(session.reference)
      if (!events.some((event) => event.idempotencyKey === key && event.success)) return undefined
      this.logger.warn(`Vipps MobilePay ${key} went through although no answer came back; recorded it`)
      return withPayment(session, await this.client.epayment.getPayment(session.reference))
    } catch {
      return undefined
    }
  }
}
