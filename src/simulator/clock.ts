/**
 * The simulator's time source. Real time plus an offset by default, so time flows normally; tests can
 * jump it (`set`, `advance`) or freeze it. Everything time-dependent in the simulator (token expiry,
 * payment expiry, event timestamps, `expiresAt` validation) reads this clock, never `Date.now()`.
 */
export type ClockListener = () => void

export class SimulatorClock {
  private offsetMs = 0
  private frozenAt: number | null = null
  private readonly listeners = new Set<ClockListener>()

  /** Milliseconds since the epoch on the simulator clock. */
  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs
  }

  date(): Date {
    return new Date(this.now())
  }

  iso(): string {
    return this.date().toISOString()
  }

  /** Jump to an absolute time. If the clock is frozen it stays frozen at that time. */
  set(time: Date | number | string): void {
    const target = toMillis(time)
    if (this.frozenAt !== null) {
      this.frozenAt = target
    } else {
      this.offsetMs = target - Date.now()
    }
    this.changed()
  }

  /** Move the clock forward (or backward, with a negative value) by `ms` milliseconds. */
  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new TypeError("advance() needs a finite number of milliseconds")
    if (this.frozenAt !== null) {
      this.frozenAt += ms
    } else {
      this.offsetMs += ms
    }
    this.changed()
  }

  /** Stop time at its current value (or at `time`). */
  freeze(time?: Date | number | string): void {
    this.frozenAt = time === undefined ? this.now() : toMillis(time)
    this.changed()
  }

  /** Let time flow again from where it stands. */
  unfreeze(): void {
    if (this.frozenAt === null) return
    this.offsetMs = this.frozenAt - Date.now()
    this.frozenAt = null
  }

  get frozen(): boolean {
    return this.frozenAt !== null
  }

  /** Back to real time. */
  reset(): void {
    this.offsetMs = 0
    this.frozenAt = null
    this.changed()
  }

  onChange(listener: ClockListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private changed(): void {
    for (const listener of this.listeners) listener()
  }
}

export function toMillis(time: Date | number | string): number {
  const ms = time instanceof Date ? time.getTime() : typeof time === "number" ? time : Date.parse(time)
  if (!Number.isFinite(ms)) throw new TypeError(`Not a valid time: ${String(time)}`)
  return ms
}
