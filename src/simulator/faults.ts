import { EPAYMENT_ERROR_CODES } from "../lib/vipps/error-codes"
import type { OperationName } from "./types"

/**
 * API fault injection: fail the next N calls of an operation with a status (optionally with
 * Retry-After), add latency, or cut the connection (destroy the socket without an answer) before or
 * after the operation took effect.
 */

export type FaultSpec = {
  operation: OperationName | "*"
  /** How many matching calls this fault affects (default 1; `Infinity` until cleared). */
  times?: number
  /** Answer with this HTTP status (a Problem body) instead of running the operation. */
  status?: number
  /**
   * Numeric error code to put in the Problem's extraDetails. Alone (no `status`), any code of the ePayment
   * error table is answered as the API answers it: its HTTP status and title.
   */
  code?: string
  detail?: string
  /** `Retry-After` header value (seconds or an HTTP date). */
  retryAfter?: number | string
  /** Delay before the request is handled. */
  latencyMs?: number
  /** Destroy the socket without a response; "after" (default) lets the operation take effect first. */
  cutConnection?: "before" | "after" | boolean
}

export type ActiveFault = FaultSpec & { id: number; remaining: number; hits: number }

export type FaultPlan = {
  latencyMs: number
  fail?: { status: number; code?: string; detail?: string; retryAfter?: number | string }
  cut?: "before" | "after"
}

export class FaultInjector {
  private faults: ActiveFault[] = []
  private nextId = 1

  add(input: FaultSpec): number {
    const known = input.code !== undefined ? EPAYMENT_ERROR_CODES[Number(input.code)] : undefined
    if (input.code !== undefined && input.status === undefined && !known) {
      throw new TypeError(`Unknown ePayment error code ${input.code}: pass a status too`)
    }
    const spec: FaultSpec = { ...input, status: input.status ?? known?.status }
    if (
      spec.status !== undefined &&
      (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599)
    ) {
      throw new TypeError(`Invalid fault status ${spec.status}`)
    }
    const times = spec.times ?? 1
    if (!(times > 0)) throw new TypeError("times must be positive")
    const fault: ActiveFault = { ...spec, id: this.nextId++, remaining: times, hits: 0 }
    this.faults.push(fault)
    return fault.id
  }

  /** Consumes the faults that apply to this call and says what to do. */
  take(operation: OperationName): FaultPlan {
    const plan: FaultPlan = { latencyMs: 0 }
    for (const fault of this.faults) {
      if (fault.remaining <= 0) continue
      if (fault.operation !== "*" && fault.operation !== operation) continue
      const failing = fault.status !== undefined
      const cutting = fault.cutConnection !== undefined && fault.cutConnection !== false
      // Only one failure / cut per call: later failing faults wait for the next call.
      if ((failing || cutting) && (plan.fail || plan.cut)) continue
      fault.remaining -= 1
      fault.hits += 1
      plan.latencyMs += fault.latencyMs ?? 0
      if (failing) {
        plan.fail = {
          status: fault.status as number,
          code: fault.code,
          detail: fault.detail,
          retryAfter: fault.retryAfter,
        }
      }
      if (cutting) plan.cut = fault.cutConnection === "before" ? "before" : "after"
    }
    this.faults = this.faults.filter((f) => f.remaining > 0)
    return plan
  }

  remove(id: number): boolean {
    const before = this.faults.length
    this.faults = this.faults.filter((f) => f.id !== id)
    return this.faults.length < before
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }))
  }

  clear(): void {
    this.faults = []
  }
}
