/**
 * The multi-instance scenario shared by races.spec.ts (asserted, Redis) and scripts/multi-instance/race.ts
 * (measured, any module set): a store of several `medusa start` processes with the plugin, the ePayment
 * simulator in this process, storefront-vs-webhook races and reconciliation job accounting.
 */
import axios, { AxiosResponse } from "axios"
import fs from "node:fs"
import { Pool } from "pg"
import { webhookHeaders } from "../../src/lib/webhook-signature"
import { RunningSimulator, startSimulator } from "../../src/simulator"
import type { SeededStore } from "../helpers/store"
import { merchantClient, NORWAY } from "../helpers/simulator"
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/medusa-process"
import {
  createStoreDir,
  freePorts,
  MedusaProcess,
  migrateAndSeed,
  ModuleSet,
  poll,
  PROVIDER_ID,
  RunningRedis,
  startRedis,
  storeEnv,
  WorkerMode,
} from "./cluster"
import { jobRuns, type JobRuns } from "./job-runs"
import { checkPayment, ordersOf, type PaymentCheck, type Prepared, type RaceResult } from "./payment-check"

export const WEBHOOK_PATH = "/hooks/vipps/vipps"

export type StoreOptions = {
  label: string
  modules: ModuleSet
  /** The first two answer HTTP and are "A" (storefront) and "B" (webhooks). */
  processes: { name: string; mode: WorkerMode }[]
  /** Seconds between the reconciliation job's ticks (a six-field cron with a seconds step). */
  reconcileEverySeconds: number
  reconcileAfterSeconds: number
  bootTimeoutMs?: number
  log?: (line: string) => void
}

export class MultiInstanceStore {
  readonly databaseName: string
  database?: FreshDatabase
  processes: MedusaProcess[] = []
  sim?: RunningSimulator
  redis?: RunningRedis
  dir?: string
  store?: SeededStore
  /** The sentinel payment: created, never approved; every job run reads it once from the ePayment API. */
  sentinel?: Prepared
  private secret?: string
  private pg?: Pool
  private readonly log: (line: string) => void

  constructor(readonly options: StoreOptions) {
    this.databaseName = `vipps_mi_${options.label}_${process.pid}`.toLowerCase().replace(/\W/g, "_")
    this.log = options.log ?? (() => {})
  }

  get a(): MedusaProcess {
    return this.processes[0]
  }

  get b(): MedusaProcess {
    return this.processes[1]
  }

  get reconcileSchedule(): string {
    return `*/${this.options.reconcileEverySeconds} * * * * *`
  }

  /** Simulator, Redis, database, migrations, seed, webhook registration, then every process until healthy. */
  async start(): Promise<void> {
    const started = Date.now()
    const { options } = this
    this.sim = await startSimulator({ merchants: [NORWAY], webhookRetry: { attempts: 2, baseDelayMs: 100 } })
    if (options.modules !== "memory") this.redis = await startRedis()
    this.database = await freshDatabase({ name: this.databaseName })
    this.dir = createStoreDir(options.label)
    const env = storeEnv({
      databaseUrl: this.database.url,
      modules: options.modules,
      redisUrl: this.redis?.url,
      simulatorUrl: this.sim.url,
      reconcileSchedule: this.reconcileSchedule,
      reconcileAfterSeconds: options.reconcileAfterSeconds,
    })
    this.store = await migrateAndSeed(this.dir, env)
    this.log(`migrated and seeded in ${Date.now() - started} ms`)

    const ports = await freePorts(options.processes.length)
    // Vipps MobilePay sends webhooks to one public URL; here that is server B. Only AUTHORIZED is
    // registered, so that the only reads of a payment nobody approves come from the reconciliation job.
    const registration = await merchantClient(this.sim.url, NORWAY).webhooks.register({
      url: `http://127.0.0.1:${ports[1]}${WEBHOOK_PATH}`,
      events: ["epayments.payment.authorized.v1"],
    })
    this.secret = registration.secret
    // Every process gets the same environment (and so the same provider options); only the mode differs.
    const processEnv = { ...env, VIPPS_WEBHOOK_SECRET: this.secret }
    const booting = Date.now()
    this.processes = options.processes.map(
      (p, i) => new MedusaProcess(p.name, p.mode, ports[i], this.dir!, processEnv),
    )
    // Every start settles (healthy, or stopped after failing) before a failure is thrown: stop() ends them all.
    const booted = await Promise.allSettled(
      this.processes.map((p) => p.start(options.bootTimeoutMs ?? 150_000)),
    )
    for (const result of booted) if (result.status === "rejected") throw result.reason
    this.log(
      `${this.processes.map((p) => `${p.name} (${p.mode}) :${p.port}`).join(", ")} healthy in ${Date.now() - booting} ms`,
    )
    this.pg = new Pool({ connectionString: this.database.url, max: 4 })
  }

  /** Stops everything that was started, in any state; removes the store directory unless asked to keep it. */
  async stop({ keepFiles = false }: { keepFiles?: boolean } = {}): Promise<void> {
    const errors: unknown[] = []
    const attempt = async (fn: () => Promise<unknown>) => {
      try {
        await fn()
      } catch (error) {
        errors.push(error)
      }
    }
    await Promise.all(this.processes.map((p) => attempt(() => p.stop())))
    await attempt(async () => this.pg?.end())
    await attempt(async () => this.sim?.stop())
    await attempt(async () => this.redis?.stop())
    await attempt(async () => this.database?.drop())
    await attempt(async () => this.database?.close())
    if (this.dir && !keepFiles) fs.rmSync(this.dir, { recursive: true, force: true })
    if (errors.length) this.log(`cleanup: ${errors.map(String).join("; ")}`)
  }

  get simulator(): RunningSimulator {
    if (!this.sim) throw new Error("not started")
    return this.sim
  }

  private get seeded(): SeededStore {
    if (!this.store) throw new Error("not seeded")
    return this.store
  }

  private storeHeaders() {
    return { "x-publishable-api-key": this.seeded.publishableKey }
  }

  /** Storefront: cart with two mugs, payment collection, Vipps MobilePay session (on server `via`). */
  async preparePayment(via: MedusaProcess = this.a): Promise<Prepared> {
    const headers = this.storeHeaders()
    const { data: created } = await axios.post(
      `${via.url}/store/carts`,
      {
        region_id: this.seeded.regions.nok.id,
        sales_channel_id: this.seeded.salesChannelId,
        email: "shopper@example.com",
        items: [{ variant_id: this.seeded.variants.mug, quantity: 2 }],
      },
      { headers },
    )
    const cartId = created.cart.id as string
    const { data: pc } = await axios.post(
      `${via.url}/store/payment-collections`,
      { cart_id: cartId },
      { headers },
    )
    const { data: withSession } = await axios.post(
      `${via.url}/store/payment-collections/${pc.payment_collection.id}/payment-sessions`,
      { provider_id: PROVIDER_ID, data: { cart_id: cartId } },
      { headers },
    )
    const session = (
      withSession.payment_collection.payment_sessions as {
        id: string
        provider_id: string
        data: { reference: string }
      }[]
    ).find((s) => s.provider_id === PROVIDER_ID)
    if (!session) throw new Error(`no ${PROVIDER_ID} session on cart ${cartId}`)
    return { cartId, sessionId: session.id, reference: session.data.reference }
  }

  /** The sentinel: a payment nobody approves, read by every job run once it is `reconcileAfterSeconds` old. */
  async createSentinel(): Promise<void> {
    this.sentinel = await this.preparePayment()
  }

  /** The payment is approved in the app; the simulator's own webhook for it is dropped. */
  approveWithoutWebhook(reference: string): void {
    this.simulator.control.dropWebhooks(10, { reference })
    this.simulator.control.approve(reference)
  }

  /** The AUTHORIZED delivery Vipps MobilePay made (dropped), signed for `target` exactly as Vipps signs it. */
  async signedAuthorizedWebhook(reference: string, target: MedusaProcess) {
    const delivery = await poll(
      `AUTHORIZED delivery of ${reference}`,
      () => this.simulator.control.webhookDeliveries({ reference, eventName: "AUTHORIZED" })[0],
      5000,
      20,
    )
    const host = `127.0.0.1:${target.port}`
    const headers = webhookHeaders({
      secret: this.secret!,
      pathAndQuery: WEBHOOK_PATH,
      host,
      date: new Date().toUTCString(),
      body: delivery.body,
    })
    return { body: delivery.body, headers: { ...headers, "content-type": "application/json" } }
  }

  /**
   * `count` races on `lanes` concurrent lanes (a store has several shoppers at once). Each lane prepares a
   * cart with a session (alternating servers), then races it; each race is still one cart's storefront
   * completion on A against its webhook on B at the same moment.
   */
  async races(count: number, lanes = 2, onRace?: (done: number) => void): Promise<RaceResult[]> {
    const results: RaceResult[] = []
    let next = 0
    const lane = async () => {
      while (next < count) {
        const index = next++
        const prepared = await this.preparePayment(index % 2 ? this.b : this.a)
        results[index] = await this.race(index, prepared)
        onRace?.(results.filter(Boolean).length)
      }
    }
    await Promise.all(Array.from({ length: lanes }, lane))
    return results
  }

  /**
   * One race: the payment is approved in the app, then at the same moment `POST /store/carts/:id/complete`
   * goes to A and the signed AUTHORIZED webhook to B.
   */
  async race(index: number, prepared: Prepared): Promise<RaceResult> {
    this.approveWithoutWebhook(prepared.reference)
    const hook = await this.signedAuthorizedWebhook(prepared.reference, this.b)
    const timed = async (call: () => Promise<AxiosResponse>) => {
      const t0 = Date.now()
      const response = await call()
      return { response, ms: Date.now() - t0 }
    }
    const [completion, webhook] = await Promise.all([
      timed(() =>
        axios.post(
          `${this.a.url}/store/carts/${prepared.cartId}/complete`,
          {},
          {
            headers: this.storeHeaders(),
            validateStatus: () => true,
          },
        ),
      ),
      timed(() =>
        axios.post(`${this.b.url}${WEBHOOK_PATH}`, hook.body, {
          headers: hook.headers,
          validateStatus: () => true,
          transformRequest: [(d) => d],
        }),
      ),
    ])
    const check = await this.checkPayment(prepared)
    const complete = {
      status: completion.response.status,
      type: completion.response.data?.type as string | undefined,
      orderId: completion.response.data?.order?.id as string | undefined,
      message: (completion.response.data?.message ?? completion.response.data?.error?.message) as
        string | undefined,
      ms: completion.ms,
    }
    const result: RaceResult = {
      index,
      ...check,
      complete,
      webhook: { status: webhook.response.status, outcome: webhook.response.data?.outcome, ms: webhook.ms },
    }
    if (complete.status !== 200 || complete.type !== "order") {
      result.problems.push(
        `storefront got ${complete.status} ${complete.type ?? ""} ${complete.message ?? ""}`.trim(),
      )
    } else if (check.orders.length === 1 && complete.orderId !== check.orders[0]) {
      result.problems.push("storefront got another order than the cart's")
    }
    if (webhook.response.status < 200 || webhook.response.status > 299) {
      result.problems.push(`webhook answered ${webhook.response.status}`)
    }
    return result
  }

  /** What Medusa and Vipps MobilePay hold for one payment: one order, one Vipps payment, nothing undone. */
  checkPayment(prepared: Prepared): Promise<PaymentCheck> {
    return checkPayment(this.pg!, this.simulator, prepared)
  }

  /**
   * Payments approved in the app whose webhooks never arrive and whose shoppers never return: only the
   * reconciliation job can complete them (once they are `reconcileAfterSeconds` old).
   */
  async approveWithLostWebhooks(count: number): Promise<Prepared[]> {
    const prepared: Prepared[] = []
    for (let i = 0; i < count; i++) prepared.push(await this.preparePayment(i % 2 ? this.b : this.a))
    for (const p of prepared) this.approveWithoutWebhook(p.reference)
    return prepared
  }

  /** Waits until each cart has an order and no job run is in progress, then checks each payment. */
  async awaitOrders(prepared: Prepared[], timeoutMs = 60_000): Promise<PaymentCheck[]> {
    await poll(
      `orders for ${prepared.length} payments whose webhooks were lost`,
      async () => (await Promise.all(prepared.map((p) => this.ordersOf(p.cartId)))).every((n) => n > 0),
      timeoutMs,
      500,
    )
    // The run that created an order may still be adding its payment (Medusa links the order before it
    // authorizes): check once it has finished, and give a run still in flight until the deadline.
    await this.settledJobRuns()
    const checks = () => Promise.all(prepared.map((p) => this.checkPayment(p)))
    // Past the deadline the checks are returned as they are, so the test names the problems.
    return poll(
      "payments on their orders",
      async () => {
        const now = await checks()
        return now.every((c) => c.problems.length === 0) && now
      },
      30_000,
      500,
    ).catch(checks)
  }

  ordersOf(cartId: string): Promise<number> {
    return ordersOf(this.pg!, cartId)
  }

  /** jobRuns() at a moment when every run that read the sentinel has also logged its line (none in progress). */
  async settledJobRuns(timeoutMs = 30_000): Promise<JobRuns> {
    const logged = (runs: JobRuns) => Object.values(runs.perProcess).reduce((a, b) => a + b, 0)
    try {
      return await poll(
        "reconciliation runs logged",
        () => {
          const runs = this.jobRuns()
          return logged(runs) === runs.runs && runs
        },
        timeoutMs,
        100,
      )
    } catch {
      return this.jobRuns()
    }
  }

  /** Reconciliation job accounting up to `until` (job-runs.ts). */
  jobRuns(until = Date.now()): JobRuns {
    if (!this.sentinel) throw new Error("no sentinel")
    return jobRuns(
      this.simulator,
      this.sentinel.reference,
      this.options.reconcileEverySeconds,
      this.processes,
      until,
    )
  }
}
