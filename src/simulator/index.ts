import type { AddressInfo } from "node:net"
import type { Socket } from "node:net"
import { SimulatorControl } from "./control"
import { createSimulatorServer } from "./server"
import { DEFAULT_SIMULATOR_MERCHANT, SimulatorState, type SimulatorOptions } from "./state"
import type { SimulatorMerchant } from "./types"

/**
 * A local Vipps MobilePay sandbox: Access Token, ePayment, Webhooks and Userinfo APIs, a landing page
 * with Approve / Reject, QR images, signed webhook deliveries, a controllable clock and fault injection.
 *
 *   const sim = await startSimulator()            // random port on 127.0.0.1
 *   sim.url                                       // e.g. http://127.0.0.1:53211 — the plugin's API base URL
 *   sim.control.approve("acme-shop-123-order1")   // the user approves
 *   await sim.stop()
 *
 * HTTP control API (same operations, for other processes): see control-routes.ts, prefix /_simulator.
 */

export type RunningSimulator = {
  /** Base URL of every API (use it as the plugin's API base URL). */
  url: string
  /** URL used in redirectUrls (publicUrl option, else `url`). */
  publicUrl: string
  port: number
  merchants: SimulatorMerchant[]
  control: SimulatorControl
  stop(): Promise<void>
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const state = new SimulatorState(options)
  const control = new SimulatorControl(state)
  const server = createSimulatorServer(state, control)
  const sockets = new Set<Socket>()
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  const host = options.host ?? "127.0.0.1"
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host
  const url = `http://${urlHost}:${port}`
  state.publicUrl = (options.publicUrl ?? url).replace(/\/+$/, "")

  const sweepMs = options.expirySweepMs ?? 1000
  const sweeper = setInterval(() => state.payments.sweep(), sweepMs)
  sweeper.unref()

  let stopped: Promise<void> | null = null
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      clearInterval(sweeper)
      state.sender.stop()
      server.close(() => resolve())
      for (const socket of sockets) socket.destroy()
    })
    return stopped
  }

  return { url, publicUrl: state.publicUrl, port, merchants: state.merchants, control, stop }
}

export { DEFAULT_SIMULATOR_MERCHANT, SimulatorControl }
export type { SimulatorOptions, SimulatorMerchant }
export type { SimulatorTestUser, SimPayment, SimEvent, OperationName } from "./types"
export type { FaultSpec } from "./faults"
export type { WebhookFaultSpec, WebhookChaos } from "./webhook-faults"
export type { WebhookDelivery, DeliveryAttempt, WebhookRetryOptions } from "./webhook-sender"
export type { RequestLogEntry, RequestLogFilter } from "./request-log"
export type { WebhookRegistrationRecord } from "./webhooks"
export { DEFAULT_TEST_USER } from "./userinfo"
