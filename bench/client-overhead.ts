import axios, { type AxiosInstance } from "axios"
import http from "node:http"
import https from "node:https"
import os from "node:os"
import { Client as SdkClient } from "@vippsmobilepay/sdk"
import { VippsClient } from "../src/lib/vipps/client"
import { systemHeaders, type SystemInfo } from "../src/lib/vipps/config"
import { TokenCache } from "../src/lib/vipps/token-cache"
import type { CreatePaymentRequest } from "../src/lib/vipps/schemas"
import { startCaptureProxy, type RawRequest } from "./lib/capture-proxy"
import { startSim, type SimHandle, type SimMode } from "./lib/sim-process"
import { median, msSince, percentile, round, table, type Row } from "./lib/stats"

/**
 * Client overhead: the same sequence (token, create, get, capture, refund) against the simulator by
 * (a) our VippsClient, (b) bare axios sending byte-identical requests, (c) the official SDK. The three
 * are interleaved per iteration (rotating who goes first) so that they share the same conditions.
 */

export const OPS = ["token", "create", "get", "capture", "refund"] as const
export type Op = (typeof OPS)[number]
export type ContenderName = "ours" | "axios" | "sdk"
type Timings = Record<Op, number>
type Contender = { name: ContenderName; run(reference: string): Promise<Timings> }

const MERCHANT = {
  clientId: "sim-client-id",
  clientSecret: "sim-client-secret",
  subscriptionKey: "sim-subscription-key",
  msn: "123456",
}
const SYSTEM_INFO: SystemInfo = {
  systemName: "medusa",
  systemVersion: "2.21.2",
  pluginName: "medusa-payment-vipps-mobilepay",
  pluginVersion: "0.1.0",
}
const AMOUNT = { currency: "NOK" as const, value: 1000 }

/** Keys in the order of the CreatePaymentRequest schema, so our client's serialisation matches it. */
function createBody(reference: string): CreatePaymentRequest {
  return {
    amount: { ...AMOUNT },
    paymentMethod: { type: "WALLET" },
    reference,
    userFlow: "WEB_REDIRECT",
    returnUrl: `https://shop.example/return?reference=${reference}`,
    paymentDescription: "Benchmark payment",
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint()
  await fn()
  return msSince(start)
}

function ours(url: string, approve: (reference: string) => Promise<void>): Contender {
  const tokens = new TokenCache()
  const client = new VippsClient(
    {
      clientId: MERCHANT.clientId,
      clientSecret: MERCHANT.clientSecret,
      subscriptionKey: MERCHANT.subscriptionKey,
      merchantSerialNumber: MERCHANT.msn,
      baseUrl: url,
      systemInfo: SYSTEM_INFO,
    },
    { tokenCache: tokens },
  )
  // The token step of the pipeline is private; reach it to time it on its own (cold cache every time).
  const pipeline = client.epayment["http"]
  return {
    name: "ours",
    async run(reference) {
      tokens.clear()
      const token = await timed(() => pipeline["accessToken"]())
      const create = await timed(() =>
        client.epayment.createPayment(createBody(reference), `create-${reference}`),
      )
      const get = await timed(() => client.epayment.getPayment(reference))
      await approve(reference)
      const capture = await timed(() =>
        client.epayment.capturePayment(reference, AMOUNT, `capture-${reference}`),
      )
      const refund = await timed(() =>
        client.epayment.refundPayment(reference, { ...AMOUNT, value: 500 }, `refund-${reference}`),
      )
      return { token, create, get, capture, refund }
    },
  }
}

/** The same axios configuration as our pipeline, and nothing else: headers, one request, JSON.parse. */
export function bareAxios(url: string, approve: (reference: string) => Promise<void>): Contender {
  const instance: AxiosInstance = axios.create({
    baseURL: url,
    timeout: 10_000,
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
    validateStatus: () => true,
    transformRequest: [(data) => data],
    transformResponse: [(data) => data],
    responseType: "text",
    maxRedirects: 0,
  })
  const base = {
    ...systemHeaders(SYSTEM_INFO),
    "Merchant-Serial-Number": MERCHANT.msn,
    Accept: "application/json",
    "Ocp-Apim-Subscription-Key": MERCHANT.subscriptionKey,
  }
  async function send(method: "GET" | "POST", path: string, headers: Record<string, string>, body?: unknown) {
    const response = await instance.request<string>({
      method,
      url: path,
      data: body === undefined ? undefined : JSON.stringify(body),
      headers,
    })
    if (response.status < 200 || response.status >= 300)
      throw new Error(`HTTP ${response.status} for ${path}`)
    return JSON.parse(response.data) as Record<string, unknown>
  }
  const bearer = (token: string, key?: string, body = true): Record<string, string> => ({
    ...base,
    Authorization: `Bearer ${token}`,
    ...(body ? { "Content-Type": "application/json" } : {}),
    ...(key ? { "Idempotency-Key": key } : {}),
  })
  return {
    name: "axios",
    async run(reference) {
      let token = ""
      const tokenMs = await timed(async () => {
        const body = await send("POST", "/accesstoken/get", {
          ...base,
          client_id: MERCHANT.clientId,
          client_secret: MERCHANT.clientSecret,
        })
        token = body.access_token as string
      })
      const path = `/epayment/v1/payments/${reference}`
      const create = await timed(() =>
        send("POST", "/epayment/v1/payments", bearer(token, `create-${reference}`), createBody(reference)),
      )
      const get = await timed(() => send("GET", path, bearer(token, undefined, false)))
      await approve(reference)
      const capture = await timed(() =>
        send("POST", `${path}/capture`, bearer(token, `capture-${reference}`), {
          modificationAmount: AMOUNT,
        }),
      )
      const refund = await timed(() =>
        send("POST", `${path}/refund`, bearer(token, `refund-${reference}`), {
          modificationAmount: { ...AMOUNT, value: 500 },
        }),
      )
      return { token: tokenMs, create, get, capture, refund }
    },
  }
}

/**
 * The official SDK has its base URLs built in. Its fetch (Node's undici) is pointed at the simulator by
 * rewriting the origin inside undici's global dispatcher: no extra Request object, no extra copy.
 */
async function redirectFetchTo(url: string): Promise<void> {
  const key = Symbol.for("undici.globalDispatcher.1")
  const holder = globalThis as unknown as Record<symbol, { dispatch(opts: object, handler: object): boolean }>
  // The first fetch installs Node's default dispatcher.
  await fetch(`${url}/_simulator/health`).then((r) => r.text())
  const inner = holder[key]
  const origin = new URL(url).origin
  const wrapped = Object.create(inner) as typeof inner
  wrapped.dispatch = (opts, handler) => inner.dispatch({ ...opts, origin }, handler)
  holder[key] = wrapped
}

function officialSdk(approve: (reference: string) => Promise<void>): Contender {
  const sdk = SdkClient({
    merchantSerialNumber: MERCHANT.msn,
    subscriptionKey: MERCHANT.subscriptionKey,
    useTestMode: true,
    systemName: SYSTEM_INFO.systemName,
    systemVersion: SYSTEM_INFO.systemVersion,
    pluginName: SYSTEM_INFO.pluginName,
    pluginVersion: SYSTEM_INFO.pluginVersion,
  })
  const ok = <T>(result: { ok: true; data: T } | { ok: false; error: unknown }): T => {
    if (!result.ok) throw new Error(`SDK call failed: ${JSON.stringify(result.error)}`)
    return result.data
  }
  return {
    name: "sdk",
    async run(reference) {
      let token = ""
      const tokenMs = await timed(async () => {
        token = ok(await sdk.auth.getToken(MERCHANT.clientId, MERCHANT.clientSecret)).access_token
      })
      const create = await timed(async () => ok(await sdk.payment.create(token, createBody(reference))))
      const get = await timed(async () => ok(await sdk.payment.info(token, reference)))
      await approve(reference)
      const capture = await timed(async () =>
        ok(await sdk.payment.capture(token, reference, { modificationAmount: AMOUNT })),
      )
      const refund = await timed(async () =>
        ok(await sdk.payment.refund(token, reference, { modificationAmount: { ...AMOUNT, value: 500 } })),
      )
      return { token: tokenMs, create, get, capture, refund }
    },
  }
}

/** Per operation wall time, the whole sequence, and the client process's CPU time for the sequence. */
export const METRICS = [...OPS, "sequence", "cpu"] as const
export type Metric = (typeof METRICS)[number]
export type OverheadStats = Record<ContenderName, Record<Metric, { median: number; p99: number }>>
export type OverheadResult = {
  iterations: number
  warmup: number
  simulator: SimMode
  byteIdentical: { equal: boolean; requests: number; differences: string[] }
  stats: OverheadStats
  ratios: Record<"a/b" | "a/c", Record<Metric, { median: number; p99: number }>>
  loadAverage: { before: number[]; after: number[] }
  wallSeconds: number
}

/** Sequences of (a) and (b) through a recording proxy; equal after masking reference and token values. */
async function compareBytes(sim: SimHandle): Promise<OverheadResult["byteIdentical"]> {
  const proxy = await startCaptureProxy(sim.url)
  const capture = async (make: (url: string) => Contender, reference: string) => {
    const before = proxy.requests().length
    await make(proxy.url).run(reference)
    return proxy.requests().slice(before)
  }
  const stamp = Date.now().toString(36)
  const a = await capture((url) => ours(url, sim.approve), `bytes-a-${stamp}`)
  const b = await capture((url) => bareAxios(url, sim.approve), `bytes-b-${stamp}`)
  await proxy.close()
  const mask = (r: RawRequest, reference: string) =>
    `${r.head}\r\n\r\n${r.body}`
      .replaceAll(reference, "<reference>")
      .replace(/Bearer [A-Za-z0-9._-]+/g, "Bearer <token>")
      .replace(/"access_token":"[^"]+"/g, "")
  const differences: string[] = []
  if (a.length !== b.length) differences.push(`request count ${a.length} vs ${b.length}`)
  a.forEach((request, i) => {
    const left = mask(request, `bytes-a-${stamp}`)
    const right = b[i] ? mask(b[i], `bytes-b-${stamp}`) : "(missing)"
    if (left !== right) differences.push(`request ${i + 1}:\n--- ours\n${left}\n--- axios\n${right}`)
  })
  return { equal: differences.length === 0, requests: a.length, differences }
}

/**
 * The six orders of three contenders. A cyclic rotation is not enough: with three it puts each contender
 * behind the same predecessor two rounds in three, so (a) mostly ran right after the SDK and paid for
 * undici's leftover work (a/b of the token step 1.13 instead of 1.06).
 */
const ORDERS = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
] as const

/** Lets the previous contender's deferred work (socket frees, stream cleanup) run before the next one starts. */
const settle = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)))

export async function runClientOverhead(
  options: { iterations?: number; warmup?: number; simulator?: SimMode; log?: (line: string) => void } = {},
): Promise<OverheadResult> {
  const iterations = options.iterations ?? 2000
  const warmup = options.warmup ?? Math.min(200, Math.ceil(iterations / 10))
  const mode = options.simulator ?? "child"
  const log = options.log ?? (() => undefined)
  const started = Date.now()
  const loadBefore = os.loadavg().map((x) => round(x, 2))
  const sim = await startSim(mode, { requestLogLimit: 1000 })
  try {
    await redirectFetchTo(sim.url)
    const byteIdentical = await compareBytes(sim)
    const contenders = [ours(sim.url, sim.approve), bareAxios(sim.url, sim.approve), officialSdk(sim.approve)]
    const samples = Object.fromEntries(
      contenders.map((c) => [c.name, Object.fromEntries(METRICS.map((op) => [op, [] as number[]]))]),
    ) as Record<ContenderName, Record<Metric, number[]>>
    const stamp = Date.now().toString(36)
    for (let i = 0; i < warmup + iterations; i++) {
      // Every order in turn: each contender goes first, and follows each other one, equally often.
      const order = ORDERS[i % ORDERS.length].map((k) => contenders[k])
      for (const contender of order) {
        await settle()
        const reference = `bench-${contender.name}-${stamp}-${i}`
        const cpuBefore = process.cpuUsage()
        const timings = await contender.run(reference)
        const cpu = process.cpuUsage(cpuBefore)
        if (i < warmup) continue
        samples[contender.name].cpu.push((cpu.user + cpu.system) / 1000)
        for (const op of OPS) samples[contender.name][op].push(timings[op])
        samples[contender.name].sequence.push(OPS.reduce((sum, op) => sum + timings[op], 0))
      }
      if (i % 250 === 249) {
        // Keeps the simulator's payment table small; all contenders see the same state.
        await sim.reset()
        log(`  client overhead: ${i + 1 - warmup > 0 ? i + 1 - warmup : 0}/${iterations}`)
      }
    }
    const stats = {} as OverheadStats
    for (const c of contenders) {
      stats[c.name] = {} as OverheadStats[ContenderName]
      for (const op of METRICS) {
        const list = samples[c.name][op]
        stats[c.name][op] = { median: round(median(list), 3), p99: round(percentile(list, 99), 3) }
      }
    }
    const ratio = (other: ContenderName) =>
      Object.fromEntries(
        METRICS.map((op) => [
          op,
          {
            median: round(median(samples.ours[op]) / median(samples[other][op]), 3),
            p99: round(percentile(samples.ours[op], 99) / percentile(samples[other][op], 99), 3),
          },
        ]),
      ) as OverheadResult["ratios"]["a/b"]
    return {
      iterations,
      warmup,
      simulator: mode,
      byteIdentical,
      stats,
      ratios: { "a/b": ratio("axios"), "a/c": ratio("sdk") },
      wallSeconds: round((Date.now() - started) / 1000, 1),
      loadAverage: { before: loadBefore, after: os.loadavg().map((x) => round(x, 2)) },
    }
  } finally {
    await sim.stop()
  }
}

export function overheadTable(result: OverheadResult): string {
  const rows: Row[] = METRICS.map((op) => ({
    operation: op === "cpu" ? "CPU per sequence" : op,
    "(a) ours p50": result.stats.ours[op].median,
    "(a) p99": result.stats.ours[op].p99,
    "(b) axios p50": result.stats.axios[op].median,
    "(b) p99": result.stats.axios[op].p99,
    "(c) SDK p50": result.stats.sdk[op].median,
    "(c) p99": result.stats.sdk[op].p99,
    "a/b p50": result.ratios["a/b"][op].median,
    "a/b p99": result.ratios["a/b"][op].p99,
    "a/c p50": result.ratios["a/c"][op].median,
    "a/c p99": result.ratios["a/c"][op].p99,
  }))
  return table(rows)
}
